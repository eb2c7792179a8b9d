package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

// SampleTopics draws n query topics from what the store holds, as chat
// users ask: statements picked uniformly (so common words come up as
// often as they are said), then one word of the statement (half the
// time), two (a third) or three, or, one time in seven, the speaker's
// surname.
func SampleTopics(ctx context.Context, st *store.Store, n int, seed uint64) ([]string, error) {
	rng := rand.New(rand.NewPCG(seed, 3))
	var out []string
	err := st.View(ctx, func(tx *store.Tx) error {
		last := tx.LastStatementID()
		if last == 0 {
			return fmt.Errorf("the archive has no statements to ask about")
		}
		for tries := 0; len(out) < n && tries < 20*n; tries++ {
			s, ok, err := tx.Statement(1 + rng.Uint64N(last))
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if rng.IntN(7) == 0 {
				sp, ok, err := tx.Speaker(s.SpeakerID)
				if err != nil {
					return err
				}
				if f := strings.Fields(sp.Name); ok && sp.Type == "person" && len(f) > 1 {
					out = append(out, f[len(f)-1])
				}
				continue
			}
			var content []string
			for _, w := range strings.Fields(s.Text) {
				w = strings.Trim(w, ".,;:!?“”\"'")
				if plainWord(w) && len(textindex.Terms(w)) == 1 {
					content = append(content, w)
				}
			}
			if len(content) == 0 {
				continue
			}
			k := 1
			if r := rng.IntN(6); r >= 3 {
				k = 2
				if r == 5 {
					k = 3
				}
			}
			rng.Shuffle(len(content), func(i, j int) { content[i], content[j] = content[j], content[i] })
			out = append(out, strings.Join(content[:min(k, len(content))], " "))
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("no query topics found in the archive")
	}
	return out, err
}

// plainWord: letters only, as a user types a topic.
func plainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return w != ""
}
