package store

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Posting flags: where a term occurs.
const (
	inText    = 1 << 0 // in the statement's words
	inContext = 1 << 1 // in the sentence around them
)

var keyStatementCount = []byte("statements")

// posting is the value of an idx_term entry: flags, term frequency, and the
// statement's latest date, so that ranking never has to load a statement.
func posting(flags byte, tf int, date time.Time) []byte {
	v := make([]byte, 10)
	v[0] = flags
	v[1] = byte(min(tf, 255))
	binary.BigEndian.PutUint64(v[2:], uint64(date.Unix()))
	return v
}

type termPosting struct {
	flags byte
	tf    int
}

// postings computes a statement's term index entries.
func postings(st *Statement) map[string]termPosting {
	m := make(map[string]termPosting, len(st.Terms)+len(st.ContextTerms))
	for _, t := range st.Terms {
		p := m[t]
		p.flags |= inText
		p.tf++
		m[t] = p
	}
	for _, t := range st.ContextTerms {
		p := m[t]
		if p.flags&inText == 0 {
			p.tf++
		}
		p.flags |= inContext
		m[t] = p
	}
	return m
}

func termKey(term string, id uint64) []byte {
	k := make([]byte, 0, len(term)+9)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, id)
}

// index adds (add) or removes every index entry of st.
func (t *Tx) index(st *Statement, add bool) error {
	id := u64(st.ID)
	date := st.Latest()
	terms, df := t.b(bIdxTerm), t.b(bIdxTermDF)
	for term, p := range postings(st) {
		if term == "" {
			continue
		}
		k := termKey(term, st.ID)
		var n uint64
		if cur := df.Get([]byte(term)); cur != nil {
			n = getU64(cur)
		}
		if add {
			if terms.Get(k) == nil {
				n++
			}
			if err := terms.Put(k, posting(p.flags, p.tf, date)); err != nil {
				return err
			}
		} else if terms.Get(k) != nil {
			n--
			if err := terms.Delete(k); err != nil {
				return err
			}
		}
		var err error
		if n == 0 {
			err = df.Delete([]byte(term))
		} else {
			err = df.Put([]byte(term), u64(n))
		}
		if err != nil {
			return err
		}
	}
	put := func(b []byte, k []byte) error {
		if add {
			return t.tx.Bucket(b).Put(k, nil)
		}
		return t.tx.Bucket(b).Delete(k)
	}
	if err := put(bIdxSpeaker, append(u64(st.SpeakerID), id...)); err != nil {
		return err
	}
	for _, e := range uniq(st.Entities) {
		if err := put(bIdxEntity, termKey(e, st.ID)); err != nil {
			return err
		}
	}
	if err := put(bIdxTime, timeKey(date, id)); err != nil {
		return err
	}
	if st.QuoteHash != "" {
		if err := put(bIdxQuote, termKey(st.QuoteHash, st.ID)); err != nil {
			return err
		}
	}
	meta := t.b(bMeta)
	n := getU64(meta.Get(keyStatementCount))
	if add {
		n++
	} else if n > 0 {
		n--
	}
	return meta.Put(keyStatementCount, u64(n))
}

func uniq(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.DeleteFunc(slices.Compact(out), func(s string) bool { return s == "" })
}

// StatementCount is the number of statements stored.
func (t *Tx) StatementCount() uint64 { return getU64(t.b(bMeta).Get(keyStatementCount)) }

// Hit is one search result.
type Hit struct {
	ID    uint64
	Score float64
	Date  time.Time // the statement's latest date
}

// Search returns up to limit statements holding every term (in their words
// or their sentence), best first: by relevance (tf-idf, words weighing more
// than the sentence around them), then by recency. Terms must be analysed
// the way the statement terms were.
func (t *Tx) Search(terms []string, limit int) ([]Hit, error) {
	terms = uniq(terms)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	df := t.b(bIdxTermDF)
	type qterm struct {
		term string
		df   uint64
		idf  float64
	}
	n := float64(t.StatementCount())
	qs := make([]qterm, 0, len(terms))
	for _, term := range terms {
		d := getU64(df.Get([]byte(term)))
		if d == 0 {
			return nil, nil // a term nobody used: nothing holds them all
		}
		qs = append(qs, qterm{term, d, math.Log(1 + n/float64(d))})
	}
	slices.SortFunc(qs, func(a, b qterm) int { return int(a.df) - int(b.df) })

	idx := t.b(bIdxTerm)
	h := &hitHeap{}
	prefix := append([]byte(qs[0].term), 0)
	c := idx.Cursor()
	var key []byte
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+8 || len(v) < 10 {
			continue
		}
		id := getU64(k[len(prefix):])
		score := weight(v, qs[0].idf)
		ok := true
		for _, q := range qs[1:] {
			key = append(append(append(key[:0], q.term...), 0), k[len(prefix):]...)
			pv := idx.Get(key)
			if pv == nil {
				ok = false
				break
			}
			score += weight(pv, q.idf)
		}
		if !ok {
			continue
		}
		hit := Hit{ID: id, Score: score, Date: time.Unix(int64(binary.BigEndian.Uint64(v[2:10])), 0).UTC()}
		if h.Len() < limit {
			heap.Push(h, hit)
		} else if better(hit, (*h)[0]) {
			(*h)[0] = hit
			heap.Fix(h, 0)
		}
		if t.ctx != nil {
			if err := t.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	out := make([]Hit, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(Hit)
	}
	return out, nil
}

func weight(v []byte, idf float64) float64 {
	w := 0.4 // a term only in the sentence around the words
	if v[0]&inText != 0 {
		w = 1
	}
	return idf * w * (1 + math.Log(float64(max(v[1], 1))))
}

// better orders hits: higher score, then newer, then higher id.
func better(a, b Hit) bool {
	const eps = 1e-9
	if math.Abs(a.Score-b.Score) > eps {
		return a.Score > b.Score
	}
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	return a.ID > b.ID
}

// hitHeap is a min-heap by better: the root is the worst kept hit.
type hitHeap []Hit

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(Hit)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// StatementsByEntity returns the ids of statements mentioning entity
// (lower case), newest id first, at most n (n ≤ 0: all).
func (t *Tx) StatementsByEntity(entity string, n int) []uint64 {
	ids := idsWithPrefix(t.b(bIdxEntity), append([]byte(entity), 0))
	slices.Reverse(ids)
	if n > 0 && len(ids) > n {
		ids = ids[:n]
	}
	return ids
}

// StatementsBetween returns ids of statements whose latest date falls in
// [from, to), oldest first, at most n (n ≤ 0: all).
func (t *Tx) StatementsBetween(from, to time.Time, n int) []uint64 {
	var out []uint64
	c := t.b(bIdxTime).Cursor()
	end := timeKey(to, nil)
	for k, _ := c.Seek(timeKey(from, nil)); k != nil && bytes.Compare(k[:8], end) < 0; k, _ = c.Next() {
		out = append(out, getU64(k[8:]))
		if n > 0 && len(out) == n {
			break
		}
	}
	return out
}

// NormaliseName folds a speaker name for lookup: lower case, accents
// removed, a leading "the" dropped, punctuation removed, spaces collapsed.
func NormaliseName(s string) string {
	s = norm.NFKD.String(s)
	var b []byte
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = utf8.AppendRune(b, unicode.ToLower(r))
		case r == '.' || r == '\'' || r == '’':
			// "U.S." → "us", "O'Brien" → "obrien"
		default:
			space = true
		}
	}
	out := string(b)
	for _, p := range []string{"the "} {
		if len(out) > len(p) && out[:len(p)] == p {
			out = out[len(p):]
		}
	}
	return out
}
