package store

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Reads for contradiction candidate retrieval: bounded walks over the term
// and entity indexes, newest statements first, that never load a
// statement.

// TermDF is the number of statements holding term, in their words or
// their sentence.
func (t *Tx) TermDF(term string) uint64 { return getU64(t.b(bIdxTermDF).Get([]byte(term))) }

// TermPostings calls fn for statements with an id below before that hold
// term, newest id first, at most n of them (n ≤ 0: all), until fn returns
// false. inText says the term is in the statement's words, not only in its
// sentence; date is the statement's latest date.
func (t *Tx) TermPostings(term string, before uint64, n int, fn func(id uint64, inText bool, date time.Time) bool) {
	prefix := append([]byte(term), 0)
	c := t.b(bIdxTerm).Cursor()
	k, v := c.Seek(append(append([]byte(nil), prefix...), u64(before)...))
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	for seen := 0; k != nil && bytes.HasPrefix(k, prefix) && (n <= 0 || seen < n); k, v = c.Prev() {
		if len(k) != len(prefix)+8 || len(v) < 10 {
			continue
		}
		seen++
		date := time.Unix(int64(binary.BigEndian.Uint64(v[2:10])), 0).UTC()
		if !fn(getU64(k[len(prefix):]), v[0]&inText != 0, date) {
			return
		}
	}
}

// EntityPostings calls fn for statements with an id below before that
// mention entity (lower case, as indexed), newest id first, at most n
// (n ≤ 0: all), until fn returns false.
func (t *Tx) EntityPostings(entity string, before uint64, n int, fn func(id uint64) bool) {
	prefix := append([]byte(entity), 0)
	c := t.b(bIdxEntity).Cursor()
	k, _ := c.Seek(append(append([]byte(nil), prefix...), u64(before)...))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	for seen := 0; k != nil && bytes.HasPrefix(k, prefix) && (n <= 0 || seen < n); k, _ = c.Prev() {
		if len(k) != len(prefix)+8 {
			continue
		}
		seen++
		if !fn(getU64(k[len(prefix):])) {
			return
		}
	}
}
