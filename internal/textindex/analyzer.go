package textindex

import (
	"hash/maphash"
	"strings"
	"sync"
)

// An Analyzer gives the same terms as Terms, remembering the term of each
// word it has seen, so that a bulk ingest stems a common word once rather
// than on every occurrence: the Snowball stemmer is most of what analysing
// costs, and a newsroom's words follow Zipf's law. The memory is bounded: a
// shard that reaches its share of the bound is emptied and fills again
// with the words in use. An Analyzer is safe for concurrent use; the zero
// value is not: use NewAnalyzer.
type Analyzer struct {
	seed     maphash.Seed
	perShard int
	shards   [analyzerShards]analyzerShard
}

const analyzerShards = 16

type analyzerShard struct {
	mu    sync.RWMutex
	terms map[string]string // word → term, "" for a stop word
}

// NewAnalyzer returns an Analyzer that remembers at most words words (at
// least one per shard). A word and its term take about 100 bytes.
func NewAnalyzer(words int) *Analyzer {
	a := &Analyzer{seed: maphash.MakeSeed(), perShard: max(1, words/analyzerShards)}
	for i := range a.shards {
		a.shards[i].terms = make(map[string]string)
	}
	return a
}

// Terms returns the index terms of text in order, repeats kept, exactly as
// the package's Terms does.
func (a *Analyzer) Terms(text string) []string {
	var out []string
	words(text, func(w string) {
		if t := a.term(w); t != "" {
			out = append(out, t)
		}
	})
	return out
}

func (a *Analyzer) term(w string) string {
	if len(w) > 32 {
		return term(w) // rare and long: not worth a place
	}
	s := &a.shards[maphash.String(a.seed, w)%analyzerShards]
	s.mu.RLock()
	t, ok := s.terms[w]
	s.mu.RUnlock()
	if ok {
		return t
	}
	t = term(w)
	s.mu.Lock()
	if len(s.terms) >= a.perShard {
		clear(s.terms)
	}
	s.terms[strings.Clone(w)] = t
	s.mu.Unlock()
	return t
}
