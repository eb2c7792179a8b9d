// Package candidates finds the earlier statements a new one may contradict
// and judges each pair with internal/contradict. It implements
// ingest.Checker.
//
// Retrieval walks the store's indexes without loading statements: the
// rarest terms of the new statement's words and the names its sentence
// mentions, newest statements first, within a time window; the best
// scoring few are loaded and judged. A pair is alerted only when the
// verdict has a reason and its calibrated score reaches the threshold.
package candidates

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"newsbot/internal/contradict"
	"newsbot/internal/store"
)

// Options tune a Checker. Zero values take the defaults.
type Options struct {
	// Threshold is the calibrated score (expected precision) an alert
	// needs: alerts.threshold in the configuration.
	Threshold float64
	// Window bounds how far apart in time two statements may be.
	Window time.Duration
	// Terms is how many of a statement's rarest terms are looked up (6),
	// Postings how many statements per term or name are read (150),
	// Judge how many candidates are judged per statement (8).
	Terms, Postings, Judge int
}

// Checker checks new statements against earlier ones.
type Checker struct {
	scorer *contradict.Scorer
	o      Options
	judged atomic.Int64 // pairs judged, for benchmarks and metrics
}

// New returns a Checker using scorer.
func New(scorer *contradict.Scorer, o Options) *Checker {
	if o.Threshold <= 0 {
		o.Threshold = 0.8
	}
	if o.Window <= 0 {
		o.Window = 90 * 24 * time.Hour
	}
	if o.Terms <= 0 {
		o.Terms = 6
	}
	if o.Postings <= 0 {
		o.Postings = 150
	}
	if o.Judge <= 0 {
		o.Judge = 8
	}
	return &Checker{scorer: scorer, o: o}
}

// NewDefault returns a Checker with the embedded scorer, the threshold
// (expected precision) and the window in days from the configuration.
func NewDefault(threshold float64, windowDays int) (*Checker, error) {
	sc, err := contradict.New()
	if err != nil {
		return nil, err
	}
	return New(sc, Options{Threshold: threshold, Window: time.Duration(windowDays) * 24 * time.Hour}), nil
}

type candidate struct {
	id    uint64
	score float64
	text  int // shared terms in the words of both
	names int // shared names
}

// Check implements ingest.Checker.
func (c *Checker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	var out []store.Alert
	analysed := map[uint64]*contradict.Analysed{}
	n := float64(tx.StatementCount()) + 1
	for _, id := range fresh {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, ok, err := tx.Statement(id)
		if err != nil {
			return nil, fmt.Errorf("check S%d: %w", id, err)
		}
		if !ok {
			continue
		}
		cands := c.retrieve(tx, &st, n)
		if len(cands) == 0 {
			continue
		}
		a := c.analyse(tx, analysed, &st)
		for _, cd := range cands {
			old, ok, err := tx.Statement(cd.id)
			if err != nil {
				return nil, fmt.Errorf("check S%d against S%d: %w", id, cd.id, err)
			}
			if !ok || old.QuoteHash == st.QuoteHash || !c.inWindow(&old, &st) {
				continue
			}
			if _, dup := tx.AlertForPair(st.ID, old.ID); dup {
				continue
			}
			v := c.scorer.JudgeAnalysed(c.analyse(tx, analysed, &old), a)
			c.judged.Add(1)
			if !v.Alert(c.o.Threshold) {
				continue
			}
			out = append(out, store.Alert{New: st.ID, Old: old.ID, Score: math.Round(v.Score*1000) / 1000,
				Reasons: v.Reasons, SameSpeaker: old.SpeakerID == st.SpeakerID})
		}
	}
	return out, nil
}

func (c *Checker) analyse(tx *store.Tx, cache map[uint64]*contradict.Analysed, st *store.Statement) *contradict.Analysed {
	if a, ok := cache[st.ID]; ok {
		return a
	}
	cl := contradict.Claim{Text: st.Text, Cue: st.Cue}
	if len(st.Sources) > 0 {
		cl.Context = st.Sources[0].Sentence
	}
	if sp, ok, err := tx.Speaker(st.SpeakerID); err == nil && ok {
		cl.Speaker = sp.Name
	}
	a := c.scorer.Analyse(cl)
	cache[st.ID] = a
	return a
}

func (c *Checker) inWindow(a, b *store.Statement) bool {
	d := a.Latest().Sub(b.First())
	if d < 0 {
		d = -d
	}
	d2 := b.Latest().Sub(a.First())
	if d2 < 0 {
		d2 = -d2
	}
	return min(d, d2) <= c.o.Window
}

// retrieve scores earlier statements sharing rare terms or names with st.
func (c *Checker) retrieve(tx *store.Tx, st *store.Statement, n float64) []candidate {
	type termDF struct {
		term string
		df   uint64
	}
	var terms []termDF
	seen := map[string]bool{}
	for _, t := range st.Terms {
		if seen[t] {
			continue
		}
		seen[t] = true
		// A term in more than one statement in twenty says nothing about
		// the matter (once the store is large enough for that to mean it).
		if df := tx.TermDF(t); df > 1 && (n < 2000 || float64(df) <= n/20) {
			terms = append(terms, termDF{t, df})
		}
	}
	slices.SortFunc(terms, func(a, b termDF) int { return cmp.Or(cmp.Compare(a.df, b.df), cmp.Compare(a.term, b.term)) })
	if len(terms) > c.o.Terms {
		terms = terms[:c.o.Terms]
	}
	from, to := st.First().Add(-c.o.Window), st.Latest().Add(c.o.Window)
	byID := map[uint64]*candidate{}
	get := func(id uint64) *candidate {
		cd := byID[id]
		if cd == nil {
			cd = &candidate{id: id}
			byID[id] = cd
		}
		return cd
	}
	for _, t := range terms {
		idf := math.Log(1 + n/float64(t.df))
		tx.TermPostings(t.term, st.ID, c.o.Postings, func(id uint64, inText bool, date time.Time) bool {
			if date.Before(from) || date.After(to) {
				return true
			}
			cd := get(id)
			if inText {
				cd.score += idf
				cd.text++
			} else {
				cd.score += 0.4 * idf
			}
			return true
		})
	}
	for _, e := range uniq(st.Entities) {
		tx.EntityPostings(e, st.ID, c.o.Postings, func(id uint64) bool {
			if cd, ok := byID[id]; ok { // a name alone is no topic: only strengthen term matches
				cd.score += 1
				cd.names++
			}
			return true
		})
	}
	var out []candidate
	for _, cd := range byID {
		// The same matter: two words in common, or one and a name.
		if cd.text >= 2 || cd.text >= 1 && cd.names >= 1 {
			out = append(out, *cd)
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.id, a.id))
	})
	if len(out) > c.o.Judge {
		out = out[:c.o.Judge]
	}
	return out
}

func uniq(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
