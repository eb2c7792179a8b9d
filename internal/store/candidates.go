package store

import (
	"time"
)

// Reads for contradiction candidate retrieval: bounded walks over the term
// and entity indexes, newest statements first, that never load a
// statement. Inside a write transaction they see what it has indexed so
// far.

// TermDF is the number of statements holding term, in their words or
// their sentence.
func (t *Tx) TermDF(term string) uint64 {
	n := int64(storedLength(t.b(bIdxTermBlocks), termLists.prefix(term)))
	if t.pend != nil {
		if l := t.pend.lists[termLists.id][term]; l != nil {
			n += l.df
		}
	}
	return uint64(max(0, n))
}

// TermPostings calls fn for statements with an id below before that hold
// term, newest id first, at most n of them (n ≤ 0: all), until fn returns
// false. inText says the term is in the statement's words, not only in its
// sentence; date is the statement's latest date.
func (t *Tx) TermPostings(term string, before uint64, n int, fn func(id uint64, inText bool, date time.Time) bool) {
	t.walkList(termLists, term, before, n, func(e entry) bool {
		return fn(e.id, e.flags&inText != 0, time.Unix(e.date, 0).UTC())
	})
}

// EntityPostings calls fn for statements with an id below before that
// mention entity (lower case, as indexed), newest id first, at most n
// (n ≤ 0: all), until fn returns false.
func (t *Tx) EntityPostings(entity string, before uint64, n int, fn func(id uint64) bool) {
	t.walkList(entityLists, entity, before, n, func(e entry) bool { return fn(e.id) })
}
