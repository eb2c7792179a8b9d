// Package candidates finds the earlier statements a new one may contradict
// and judges each pair with internal/contradict. It implements
// ingest.Checker.
//
// Retrieval walks the store's indexes without loading statements: the
// rarest terms of the new statement's words and the names its sentence
// mentions, newest statements first, within a time window; the best
// scoring few are loaded and judged. A pair is alerted only when the
// verdict has a reason and its calibrated score reaches the threshold.
//
// Analyses of stored statements are kept between checks, within a byte
// budget (cache.go): a statement comes up as a candidate for many later
// ones, and is then read by its head only. An entry is used only while
// the statement is still what it was analysed from, so verdicts are those
// of a checker keeping nothing.
package candidates

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

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
	// CacheBytes bounds the analysed statements kept between checks
	// (0: DefaultCacheBytes; negative: none, each check analyses afresh).
	CacheBytes int
}

// Checker checks new statements against earlier ones. It is safe for
// concurrent use, also by ingesters writing different stores.
type Checker struct {
	scorer   *contradict.Scorer
	o        Options
	cache    *cache       // nil: none
	pool     sync.Pool    // of *scratch
	judged   atomic.Int64 // pairs judged, for benchmarks and metrics
	prepared *preparedSet // nil: none
	// analyses counts statements analysed in checks, hits cache entries
	// used, preparedHits analyses made by Prepare used: for tests and
	// benchmarks.
	analyses, hits, preparedHits atomic.Int64
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
	if o.CacheBytes == 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	c := &Checker{scorer: scorer, o: o, cache: newCache(o.CacheBytes)}
	if o.CacheBytes > 0 {
		c.prepared = newPreparedSet(preparedBytes)
	}
	c.pool.New = func() any { return newScratch() }
	return c
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

// scratch is what one Check call reuses: memos valid for its transaction
// as it stands (the checker writes nothing, so nothing changes during a
// call) and buffers.
type scratch struct {
	df       map[string]uint64 // TermDF
	speakers map[uint64]string // speaker names
	seen     map[string]bool
	terms    []termDF
	byID     map[uint64]int // index into cands
	cands    []candidate
	pairs    []pair // to judge
}

type termDF struct {
	term string
	df   uint64
}

func newScratch() *scratch {
	return &scratch{df: map[string]uint64{}, speakers: map[uint64]string{}, seen: map[string]bool{}, byID: map[uint64]int{}}
}

func (c *Checker) getScratch() *scratch {
	sc := c.pool.Get().(*scratch)
	clear(sc.df)
	clear(sc.speakers)
	return sc
}

func (c *Checker) putScratch(sc *scratch) {
	// Memos of a call that read many terms are not worth keeping.
	if len(sc.df) > 4096 || len(sc.byID) > 4096 {
		return
	}
	c.pool.Put(sc)
}

func (sc *scratch) termDF(tx *store.Tx, term string) uint64 {
	df, ok := sc.df[term]
	if !ok {
		df = tx.TermDF(term)
		sc.df[term] = df
	}
	return df
}

// speaker is the name of speaker id, "" when unknown.
func (sc *scratch) speaker(tx *store.Tx, id uint64) string {
	name, ok := sc.speakers[id]
	if !ok {
		if sp, found, err := tx.Speaker(id); err == nil && found {
			name = sp.Name
		}
		sc.speakers[id] = name
	}
	return name
}

// Check implements ingest.Checker.
func (c *Checker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	return c.check(ctx, tx, len(fresh), func(i int) (store.Statement, bool, error) { return tx.Statement(fresh[i]) })
}

// CheckStatements implements ingest.StatementChecker: Check with the
// fresh statements as the ingester stored them. One holding text that is
// not UTF-8 is read back instead, as the store keeps it.
func (c *Checker) CheckStatements(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error) {
	return c.check(ctx, tx, len(fresh), func(i int) (store.Statement, bool, error) {
		if validUTF8(fresh[i]) {
			return *fresh[i], true, nil
		}
		return tx.Statement(fresh[i].ID)
	})
}

// check checks the n fresh statements that get gives.
func (c *Checker) check(ctx context.Context, tx *store.Tx, n int, get func(i int) (store.Statement, bool, error)) ([]store.Alert, error) {
	sc := c.getScratch()
	defer c.putScratch(sc)
	count := float64(tx.StatementCount()) + 1
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, ok, err := get(i)
		if err != nil {
			return nil, fmt.Errorf("check a fresh statement: %w", err)
		}
		if !ok {
			continue
		}
		if err := c.checkOne(tx, sc, &st, count); err != nil {
			return nil, err
		}
	}
	c.judgeAll(sc.pairs)
	var out []store.Alert
	for i := range sc.pairs {
		if p := &sc.pairs[i]; p.v.Alert(c.o.Threshold) {
			p.alert.Score, p.alert.Reasons = math.Round(p.v.Score*1000)/1000, p.v.Reasons
			out = append(out, p.alert)
		}
	}
	clear(sc.pairs) // the analyses go with the entries that hold them
	sc.pairs = sc.pairs[:0]
	return out, nil
}

// pair is a new statement and a candidate to judge it against.
type pair struct {
	old, new *contradict.Analysed
	alert    store.Alert // the alert it would be, without score and reasons
	v        contradict.Verdict
}

// judgeAll judges the pairs, on every core when there are enough of
// them: judging is pure, and the cores are otherwise idle while the one
// write transaction checks.
func (c *Checker) judgeAll(ps []pair) {
	workers := min(runtime.GOMAXPROCS(0), len(ps)/4)
	var next atomic.Int64
	judge := func() {
		for i := next.Add(1) - 1; i < int64(len(ps)); i = next.Add(1) - 1 {
			ps[i].v = c.scorer.JudgeAnalysed(ps[i].old, ps[i].new)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(judge)
	}
	judge()
	wg.Wait()
	c.judged.Add(int64(len(ps)))
}

// validUTF8 reports whether the strings the check uses are UTF-8, so
// that the store gives them back unchanged.
func validUTF8(st *store.Statement) bool {
	if !utf8.ValidString(st.Text) || !utf8.ValidString(st.Cue) || !utf8.ValidString(st.QuoteHash) {
		return false
	}
	for i := range st.Sources {
		if !utf8.ValidString(st.Sources[i].Sentence) || !utf8.ValidString(st.Sources[i].ArticleID) {
			return false
		}
	}
	for _, xs := range [][]string{st.Terms, st.Entities} {
		for _, x := range xs {
			if !utf8.ValidString(x) {
				return false
			}
		}
	}
	return true
}

// checkOne adds to sc.pairs the earlier statements st is to be judged
// against.
func (c *Checker) checkOne(tx *store.Tx, sc *scratch, st *store.Statement, n float64) error {
	cands := c.retrieve(tx, sc, st, n)
	if len(cands) == 0 {
		return nil
	}
	// The new statement is analysed once: it is stored now, a candidate
	// for the statements after it.
	a := c.analyse(tx, sc, st)
	for _, cd := range cands {
		old, e, ok, err := c.load(tx, sc, cd.id)
		if err != nil {
			return fmt.Errorf("check S%d against S%d: %w", st.ID, cd.id, err)
		}
		if !ok {
			continue
		}
		quoteHash := old.QuoteHash
		if e != nil {
			quoteHash = e.quoteHash
		}
		if quoteHash == st.QuoteHash || !c.inWindow(&old, st) {
			continue
		}
		if _, dup := tx.AlertForPair(st.ID, old.ID); dup {
			continue
		}
		if e == nil {
			e = c.analyse(tx, sc, &old)
		}
		sc.pairs = append(sc.pairs, pair{old: e.a, new: a.a,
			alert: store.Alert{New: st.ID, Old: old.ID, SameSpeaker: old.SpeakerID == st.SpeakerID}})
	}
	return nil
}

// load reads candidate id. With a cache entry still true to the
// statement, it reads only the statement's head and returns the entry;
// otherwise the whole statement and no entry.
func (c *Checker) load(tx *store.Tx, sc *scratch, id uint64) (store.Statement, *analysed, bool, error) {
	if e := c.cache.get(id); e != nil {
		h, ok, err := tx.StatementHead(id)
		if err != nil {
			return h, nil, false, err
		}
		if !ok { // deleted
			c.cache.drop(id)
			return h, nil, false, nil
		}
		if e.matches(&h, sc.speaker(tx, h.SpeakerID)) {
			c.hits.Add(1)
			return h, e, true, nil
		}
		c.cache.drop(id)
	}
	st, ok, err := tx.Statement(id)
	return st, nil, ok, err
}

// analyse analyses st, read whole, and caches the analysis.
func (c *Checker) analyse(tx *store.Tx, sc *scratch, st *store.Statement) *analysed {
	name := sc.speaker(tx, st.SpeakerID)
	if e := c.cache.get(st.ID); e != nil && e.matches(st, name) {
		c.hits.Add(1)
		return e
	}
	k := claim{text: st.Text, cue: st.Cue, speaker: name}
	if len(st.Sources) > 0 {
		k.sentence = st.Sources[0].Sentence
	}
	pc, ok := c.prepared.take(k)
	if ok {
		c.preparedHits.Add(1)
	} else {
		pc.k = k.own()
		pc.a = c.scorer.Analyse(pc.k.claim())
		c.analyses.Add(1)
	}
	e := newAnalysed(st, pc, name)
	c.cache.put(e)
	return e
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
// The candidates returned are sc's, valid until its next use.
func (c *Checker) retrieve(tx *store.Tx, sc *scratch, st *store.Statement, n float64) []candidate {
	terms := sc.terms[:0]
	clear(sc.seen)
	for _, t := range st.Terms {
		if sc.seen[t] {
			continue
		}
		sc.seen[t] = true
		// A term in more than one statement in twenty says nothing about
		// the matter (once the store is large enough for that to mean it).
		if df := sc.termDF(tx, t); df > 1 && (n < 2000 || float64(df) <= n/20) {
			terms = append(terms, termDF{t, df})
		}
	}
	slices.SortFunc(terms, func(a, b termDF) int { return cmp.Or(cmp.Compare(a.df, b.df), cmp.Compare(a.term, b.term)) })
	if len(terms) > c.o.Terms {
		terms = terms[:c.o.Terms]
	}
	sc.terms = terms
	from, to := st.First().Add(-c.o.Window), st.Latest().Add(c.o.Window)
	clear(sc.byID)
	cands := sc.cands[:0]
	for _, t := range terms {
		idf := math.Log(1 + n/float64(t.df))
		tx.TermPostings(t.term, st.ID, c.o.Postings, func(id uint64, inText bool, date time.Time) bool {
			if date.Before(from) || date.After(to) {
				return true
			}
			i, ok := sc.byID[id]
			if !ok {
				i = len(cands)
				sc.byID[id] = i
				cands = append(cands, candidate{id: id})
			}
			cd := &cands[i]
			if inText {
				cd.score += idf
				cd.text++
			} else {
				cd.score += 0.4 * idf
			}
			return true
		})
	}
	// A name alone is no topic: names only strengthen candidates sharing
	// a word, so the walk over a name's statements, newest first, stops
	// below the oldest of those.
	lowest := uint64(math.MaxUint64)
	for i := range cands {
		if cands[i].text > 0 {
			lowest = min(lowest, cands[i].id)
		}
	}
	if lowest != math.MaxUint64 {
		for _, e := range uniq(st.Entities) {
			tx.EntityPostings(e, st.ID, c.o.Postings, func(id uint64) bool {
				if i, ok := sc.byID[id]; ok {
					cands[i].score += 1
					cands[i].names++
				}
				return id > lowest
			})
		}
	}
	// The same matter: two words in common, or one and a name.
	out := slices.DeleteFunc(cands, func(cd candidate) bool { return !(cd.text >= 2 || cd.text >= 1 && cd.names >= 1) })
	sc.cands = cands[:0]
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
