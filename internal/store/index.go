package store

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Posting flags: where a term occurs, and what else the posting tells.
const (
	inText    = 1 << 0 // in the statement's words
	inContext = 1 << 1 // in the sentence around them
	oneSource = 1 << 2 // the statement has one source: its first date is its latest
)

var keyStatementCount = []byte("statements")

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

// index adds (add) or removes every index entry of st. Entries are added
// only where there are none: for a new statement, or after they were
// removed (AddSource, DeleteArticle, a rebuild). Term, entity and speaker
// entries are buffered in the transaction and written list by list
// before it commits (postings.go).
func (t *Tx) index(st *Statement, add bool) error {
	if t.pend == nil {
		t.pend = newPending(0)
	}
	id := u64(st.ID)
	date := st.Latest()
	for term, p := range postings(st) {
		if term == "" {
			continue
		}
		var err error
		if add {
			flags := p.flags
			if len(st.Sources) == 1 {
				flags |= oneSource
			}
			err = t.listAdd(termLists, term, entry{id: st.ID, flags: flags, tf: byte(min(p.tf, 255)),
				date: date.Unix(), speaker: st.SpeakerID})
		} else {
			err = t.listRemove(termLists, term, st.ID)
		}
		if err != nil {
			return err
		}
	}
	one := func(k *listKind, key string) error {
		if add {
			return t.listAdd(k, key, entry{id: st.ID})
		}
		return t.listRemove(k, key, st.ID)
	}
	if err := one(speakerLists, string(u64(st.SpeakerID))); err != nil {
		return err
	}
	for _, e := range uniq(st.Entities) {
		if err := one(entityLists, e); err != nil {
			return err
		}
	}
	put := func(b []byte, k []byte) error {
		if add {
			return t.tx.Bucket(b).Put(k, nil)
		}
		return t.tx.Bucket(b).Delete(k)
	}
	if err := put(bIdxTime, timeKey(date, id)); err != nil {
		return err
	}
	if st.QuoteHash != "" {
		if err := put(bIdxQuote, termKey(st.QuoteHash, st.ID)); err != nil {
			return err
		}
	}
	if add {
		t.pend.statements++
	} else {
		t.pend.statements--
	}
	return nil
}

func uniq(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.DeleteFunc(slices.Compact(out), func(s string) bool { return s == "" })
}

// StatementCount is the number of statements stored.
func (t *Tx) StatementCount() uint64 {
	n := int64(getU64(t.b(bMeta).Get(keyStatementCount)))
	if t.pend != nil {
		n += t.pend.statements
	}
	return uint64(max(0, n))
}

// Hit is one search result.
type Hit struct {
	ID    uint64
	Score float64
	Date  time.Time // the statement's latest date, to the second
	// Speaker is the statement's speaker, 0 when the index entry predates
	// its recording; OneSource says the statement has one source, so that
	// its first date is Date. Both as of the last write to the statement.
	Speaker   uint64
	OneSource bool
}

// Search returns up to limit statements holding every term (in their words
// or their sentence), best first: by relevance (tf-idf, words weighing more
// than the sentence around them), then by recency. Terms must be analysed
// the way the statement terms were. When even the rarest term is held by
// more than scanLimit statements, the newest scanLimit of those are ranked.
func (t *Tx) Search(terms []string, limit int) ([]Hit, error) {
	return t.search(terms, limit, scanLimit)
}

func (t *Tx) search(terms []string, limit, scanLimit int) ([]Hit, error) {
	terms = uniq(terms)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	if err := t.flushForRead(); err != nil {
		return nil, err
	}
	blocks := t.b(bIdxTermBlocks)
	type qterm struct {
		term string
		df   uint64
		idf  float64
	}
	n := float64(t.StatementCount())
	qs := make([]qterm, 0, len(terms))
	for _, term := range terms {
		d := storedLength(blocks, termLists.prefix(term))
		if d == 0 {
			return nil, nil // a term nobody used: nothing holds them all
		}
		qs = append(qs, qterm{term, d, math.Log(1 + n/float64(d))})
	}
	slices.SortFunc(qs, func(a, b qterm) int { return int(a.df) - int(b.df) })

	// Postings are walked newest first (by id), and a term held by more
	// statements than scanLimit is ranked among its newest scanLimit: a
	// word that common is no topic, and the reply stays fast.
	logTF := tfLogs()
	idx := t.b(bIdxTermBlocks)
	h := make(topHits, 0, min(limit, int(qs[0].df)))
	driver := newBlockWalk(idx, termLists, termLists.prefix(qs[0].term), math.MaxUint64)
	// The other terms' postings are walked alongside, newest first too: a
	// merge of sorted lists, reading each term's blocks in order rather
	// than looking each id up from the root.
	others := make([]*blockWalk, len(qs)-1)
	for i, q := range qs[1:] {
		others[i] = newBlockWalk(idx, termLists, termLists.prefix(q.term), math.MaxUint64)
	}
walk:
	for scanned := 0; driver.valid() && scanned < scanLimit; driver.next() {
		scanned++
		if scanned%4096 == 0 && t.ctx != nil {
			if err := t.ctx.Err(); err != nil {
				return nil, err
			}
		}
		e := driver.cur()
		score := weightOf(e, qs[0].idf, &logTF)
		for i, o := range others {
			oe, found, more := o.at(e.id)
			if !more {
				break walk // a term has no postings left below: nothing further holds them all
			}
			if !found {
				continue walk
			}
			score += weightOf(oe, qs[i+1].idf, &logTF)
		}
		h.offer(topHit{score: score, date: e.date, id: e.id, speaker: e.speaker, oneSource: e.flags&oneSource != 0}, limit)
	}
	if driver.err != nil {
		return nil, driver.err
	}
	for _, o := range others {
		if o.err != nil {
			return nil, o.err
		}
	}
	return h.sorted(), nil
}

// scanLimit bounds the postings one search walks: about 10 ms.
const scanLimit = 20_000

// tfLogs holds 1+ln(tf) for every term frequency a posting records.
func tfLogs() [256]float64 {
	var t [256]float64
	for i := range t {
		t[i] = 1 + math.Log(float64(max(i, 1)))
	}
	return t
}

func weightOf(e *entry, idf float64, logTF *[256]float64) float64 {
	w := 0.4 // a term only in the sentence around the words
	if e.flags&inText != 0 {
		w = 1
	}
	return idf * w * logTF[e.tf]
}

// topHit is a hit while ranking: small, and its date still seconds.
type topHit struct {
	score     float64
	date      int64
	id        uint64
	speaker   uint64
	oneSource bool
}

// betterHit orders hits: higher score, then newer, then higher id.
func betterHit(a, b *topHit) bool {
	const eps = 1e-9
	if math.Abs(a.score-b.score) > eps {
		return a.score > b.score
	}
	if a.date != b.date {
		return a.date > b.date
	}
	return a.id > b.id
}

// topHits is a min-heap by betterHit: the root is the worst hit kept.
type topHits []topHit

// offer keeps hit if it is among the best limit seen.
func (h *topHits) offer(hit topHit, limit int) {
	s := *h
	if len(s) < limit {
		s = append(s, hit)
		for i := len(s) - 1; i > 0; {
			p := (i - 1) / 2
			if !betterHit(&s[p], &s[i]) {
				break
			}
			s[p], s[i] = s[i], s[p]
			i = p
		}
		*h = s
		return
	}
	if !betterHit(&hit, &s[0]) {
		return
	}
	s[0] = hit
	s.down(0)
}

func (h topHits) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		worst := l
		if r := l + 1; r < len(h) && betterHit(&h[l], &h[r]) {
			worst = r
		}
		if !betterHit(&h[i], &h[worst]) {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// sorted returns the hits best first.
func (h topHits) sorted() []Hit {
	slices.SortFunc(h, func(a, b topHit) int {
		if betterHit(&a, &b) {
			return -1
		}
		if betterHit(&b, &a) {
			return 1
		}
		return 0
	})
	out := make([]Hit, len(h))
	for i, x := range h {
		out[i] = Hit{ID: x.id, Score: x.score, Date: time.Unix(x.date, 0).UTC(), Speaker: x.speaker, OneSource: x.oneSource}
	}
	return out
}

// StatementsByEntity returns the ids of statements mentioning entity
// (lower case), newest id first, at most n (n ≤ 0: all).
func (t *Tx) StatementsByEntity(entity string, n int) []uint64 {
	return t.listIDs(entityLists, entity, n)
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
