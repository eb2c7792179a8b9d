package candidates

import (
	"strings"
	"sync"

	"newsbot/internal/contradict"
)

// preparedBytes bounds the analyses Prepare holds for checks to come: a
// bulk batch of 100 articles needs about 3 MB.
const preparedBytes = 8 << 20

// Prepare implements ingest.Preparer: it analyses a statement about to be
// stored, outside the write transaction, so that the check finds the
// analysis made. It is used if the statement is stored as extracted, with
// the speaker under that name; otherwise the check analyses it afresh.
func (c *Checker) Prepare(text, cue, sentence, speaker string) {
	if c.prepared == nil {
		return
	}
	k := claim{text: text, cue: cue, sentence: sentence, speaker: speaker}.own()
	c.prepared.put(k, c.scorer.Analyse(k.claim()))
}

// claim is what an analysis is made from.
type claim struct{ text, cue, sentence, speaker string }

func (k claim) claim() contradict.Claim {
	return contradict.Claim{Text: k.text, Cue: k.cue, Context: k.sentence, Speaker: k.speaker}
}

// own copies the strings an analysis and a cache entry keep: a
// statement's words and sentence as extracted are slices of the article's
// text, which would otherwise stay in memory with them.
func (k claim) own() claim {
	return claim{text: strings.Clone(k.text), cue: strings.Clone(k.cue), sentence: strings.Clone(k.sentence), speaker: k.speaker}
}

// preparedSet holds the analyses made by Prepare until a check takes them,
// in two generations like the cache: one not taken for a generation (its
// article was a duplicate, its quote merged, its speaker renamed) goes.
// It is safe for concurrent use.
type preparedSet struct {
	mu       sync.Mutex
	cur, old map[claim]preparedClaim
	curBytes int
	limit    int
}

// preparedClaim is an analysis with the claim it was made from, whose
// strings the analysis holds.
type preparedClaim struct {
	k claim
	a *contradict.Analysed
}

func newPreparedSet(budget int) *preparedSet {
	return &preparedSet{cur: map[claim]preparedClaim{}, old: map[claim]preparedClaim{}, limit: budget / 2}
}

func (p *preparedSet) put(k claim, a *contradict.Analysed) {
	p.mu.Lock()
	defer p.mu.Unlock()
	size := entrySize(len(k.text), len(k.sentence), len(k.cue)+len(k.speaker))
	if p.curBytes+size > p.limit && len(p.cur) > 0 {
		p.old, p.cur, p.curBytes = p.cur, map[claim]preparedClaim{}, 0
	}
	p.cur[k] = preparedClaim{k, a}
	p.curBytes += size
}

// take removes and returns the analysis of k, if any, with the claim as
// stored.
func (p *preparedSet) take(k claim) (preparedClaim, bool) {
	if p == nil {
		return preparedClaim{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if pc, ok := p.cur[k]; ok {
		delete(p.cur, k) // its bytes stay counted until the generation turns
		return pc, true
	}
	pc, ok := p.old[k]
	delete(p.old, k)
	return pc, ok
}
