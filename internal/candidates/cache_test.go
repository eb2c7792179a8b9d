package candidates

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"newsbot/internal/contradict"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

// archive writes statements straight into a store, so a test can change
// them the ways the bot does: another source merged in, a speaker renamed,
// an article forgotten, a transaction rolled back.
type archive struct {
	t  *testing.T
	st *store.Store
}

func newArchive(t *testing.T) *archive {
	st, err := store.Open(filepath.Join(t.TempDir(), "a.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &archive{t: t, st: st}
}

func (a *archive) update(fn func(tx *store.Tx) error) {
	a.t.Helper()
	if err := a.st.Update(context.Background(), fn); err != nil {
		a.t.Fatal(err)
	}
}

func article(tx *store.Tx, id string, day int) error {
	d := day0.AddDate(0, 0, day)
	return tx.PutArticle(&store.Article{ID: id, Published: d, Ingested: d, TextHash: "h" + id})
}

func speaker(tx *store.Tx, name string) (uint64, error) {
	sp := store.Speaker{Name: name, Type: "person"}
	err := tx.PutSpeaker(&sp)
	return sp.ID, err
}

// statement adds a statement; its entities are those of sentence and
// any given.
func statement(tx *store.Tx, art string, day int, speaker uint64, text, sentence string, entities ...string) (uint64, error) {
	s := store.Statement{SpeakerID: speaker, Text: text, Kind: "direct", Cue: "said",
		Sources: []store.Source{{ArticleID: art, Start: 10, End: 10 + len(text), Sentence: sentence, Date: day0.AddDate(0, 0, day)}},
		Terms:   textindex.Terms(text), Entities: append(ingest.Entities(sentence), entities...), QuoteHash: ingest.QuoteHash(text)}
	err := tx.AddStatement(&s)
	return s.ID, err
}

// checkAll checks every statement of st against the earlier ones.
func checkAll(st *store.Store, c *Checker) ([]store.Alert, error) {
	var out []store.Alert
	err := st.View(context.Background(), func(tx *store.Tx) error {
		var ids []uint64
		for id := uint64(1); id <= tx.LastStatementID(); id++ {
			ids = append(ids, id)
		}
		var err error
		out, err = c.Check(context.Background(), tx, ids)
		return err
	})
	return out, err
}

func (a *archive) checkAll(c *Checker) []store.Alert {
	a.t.Helper()
	out, err := checkAll(a.st, c)
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

// sameAsUncached checks the archive with c and with a checker keeping
// nothing between checks, and fails unless both give the same alerts. It
// returns them.
func (a *archive) sameAsUncached(step string, c *Checker) []store.Alert {
	a.t.Helper()
	got := a.checkAll(c)
	want := a.checkAll(newChecker(a.t, Options{CacheBytes: -1}))
	if !reflect.DeepEqual(got, want) {
		a.t.Errorf("%s: with the cache %+v, without %+v", step, got, want)
	}
	return got
}

const (
	accusation = "the senator took cash from the builder in a car park"
	denial     = "The senator denied the allegations."
	// The sentence naming the senator makes the denial aimed at the
	// accusation; the other does not (the statement is found through the
	// senator's name all the same: a name from elsewhere in the article).
	naming  = "Dana Roe said Senator Kim Lark took cash from the builder in a car park."
	unnamed = "Dana Roe said the senator took cash from the builder in a car park."
)

// TestCacheFollowsChanges changes what an analysis is made from, the ways
// the bot can, and checks that a checker keeping analyses between checks
// gives the alerts of one that keeps none, at each step.
func TestCacheFollowsChanges(t *testing.T) {
	a := newArchive(t)
	c := newChecker(t, Options{})
	var dana, kim, accused uint64
	a.update(func(tx *store.Tx) (err error) {
		for i, id := range []string{"x", "y", "z"} {
			if err := article(tx, id, i); err != nil {
				return err
			}
		}
		if dana, err = speaker(tx, "Dana Roe"); err != nil {
			return err
		}
		if kim, err = speaker(tx, "Kim Lark"); err != nil {
			return err
		}
		if accused, err = statement(tx, "x", 0, dana, accusation, unnamed, "senator kim lark"); err != nil {
			return err
		}
		_, err = statement(tx, "z", 2, kim, denial, "Senator Kim Lark denied the allegations.")
		return err
	})
	if got := a.sameAsUncached("first sentence not naming the senator", c); len(got) != 0 {
		t.Fatalf("alerts %+v: the test's claims no longer do what it needs", got)
	}

	// Another outlet carries the accusation: its sentence is the second,
	// and the analysis stays that of the first.
	a.update(func(tx *store.Tx) error {
		_, err := tx.AddSource(accused, store.Source{ArticleID: "y", Start: 3, End: 3 + len(accusation), Sentence: naming, Date: day0.AddDate(0, 0, 1)})
		return err
	})
	if got := a.sameAsUncached("second source", c); len(got) != 0 {
		t.Fatalf("alerts %+v after a second source", got)
	}
	hits := c.hits.Load()

	// The first outlet is forgotten: the sentence naming the senator is
	// the first now, and the denial is aimed at the accusation.
	a.update(func(tx *store.Tx) error {
		_, _, err := tx.DeleteArticle("x")
		return err
	})
	if got := a.sameAsUncached("first source forgotten", c); len(got) != 1 {
		t.Fatalf("alerts %+v after the first source went, want one", got)
	}

	// The accuser turns out to be the senator under another name: a
	// speaker's denial is not aimed at their own claims.
	a.update(func(tx *store.Tx) error {
		return tx.PutSpeaker(&store.Speaker{ID: dana, Name: "Kim Lark", Type: "person"})
	})
	if got := a.sameAsUncached("accuser renamed", c); len(got) != 0 {
		t.Fatalf("alerts %+v after the rename, want none", got)
	}

	// A statement written in a transaction that fails leaves its analysis
	// in the cache under an id the next statement is given: here one of
	// the same length, by the same speaker, in an article of the same id.
	var bo, lost uint64
	a.update(func(tx *store.Tx) (err error) {
		bo, err = speaker(tx, "Bo Chan")
		return err
	})
	errRollback := errors.New("roll back")
	err := a.st.Update(context.Background(), func(tx *store.Tx) (err error) {
		if err := article(tx, "w", 3); err != nil {
			return err
		}
		if lost, err = statement(tx, "w", 3, bo, accusation, naming); err != nil {
			return err
		}
		den, err := statement(tx, "w", 3, kim, denial, "Senator Kim Lark denied the allegations.")
		if err != nil {
			return err
		}
		if got, err := c.Check(context.Background(), tx, []uint64{den}); err != nil || len(got) != 1 {
			return fmt.Errorf("alerts %+v in the transaction rolled back, want one (%w)", got, err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	other := strings.Replace(accusation, "park", "yard", 1)
	var reused uint64
	a.update(func(tx *store.Tx) (err error) {
		if err := article(tx, "w", 3); err != nil {
			return err
		}
		if reused, err = statement(tx, "w", 3, bo, other, strings.Replace(unnamed, "park", "yard", 1), "senator kim lark"); err != nil {
			return err
		}
		_, err = statement(tx, "w", 3, kim, denial, "Senator Kim Lark denied the allegations.")
		return err
	})
	if reused != lost {
		t.Fatalf("the statement after the rollback has id %d, not %d: the test no longer tests reuse", reused, lost)
	}
	if got := a.sameAsUncached("id of a rolled back statement", c); len(got) != 0 {
		t.Fatalf("alerts %+v after the rollback, want none", got)
	}
	if c.hits.Load() == hits {
		t.Error("the cache was never used")
	}
}

// TestCacheSameAlertsOverArticles ingests made-up articles with many
// overlapping claims through a checker with a small cache (so entries are
// evicted and re-analysed) and through one without, into two stores, and
// compares every alert.
func TestCacheSameAlertsOverArticles(t *testing.T) {
	cached := newChecker(t, Options{CacheBytes: 64 << 10})
	plain := newChecker(t, Options{CacheBytes: -1})
	a, b := newIngester(t, cached), newIngester(t, plain)
	subjects := []string{"The council", "The ministry", "The harbour board", "The union", "The rail company"}
	verbs := []string{"approved the budget for the new harbour", "signed the fishing treaty with Norway",
		"started repairs on the northern rail line", "paid the settlement to the former aide",
		"closed the ferry route to the islands"}
	people := []string{"Ann Lee", "Bo Chan", "Cy Diaz", "Di Eng", "Ed Fox"}
	var alerts int
	for i := 0; i < 60; i++ {
		var lines []string
		for j := 0; j < 4; j++ {
			k := i*4 + j
			claim := subjects[k%5] + " has " + verbs[(k/5)%5]
			switch k % 3 {
			case 1:
				claim = subjects[k%5] + " has not " + verbs[(k/5)%5]
			case 2:
				claim = subjects[k%5] + " has " + verbs[(k/5)%5] + " by " + fmt.Sprint(10+k%7) + " votes"
			}
			lines = append(lines, people[(k/3)%5]+" (person): "+claim+".")
		}
		text := strings.Join(lines, "\n")
		ra := ingestText(t, a, fmt.Sprintf("a%d.txt", i), i%40, text)
		rb := ingestText(t, b, fmt.Sprintf("a%d.txt", i), i%40, text)
		if !reflect.DeepEqual(ra.Alerts, rb.Alerts) {
			t.Fatalf("article %d: with the cache %+v\nwithout %+v", i, ra.Alerts, rb.Alerts)
		}
		alerts += len(ra.Alerts)
	}
	if alerts == 0 {
		t.Fatal("no alerts at all: the test compares nothing")
	}
	if cached.hits.Load() == 0 || cached.analyses.Load() >= plain.analyses.Load() {
		t.Errorf("cache hits %d, analyses %d with the cache and %d without", cached.hits.Load(), cached.analyses.Load(), plain.analyses.Load())
	}
	t.Logf("%d alerts; analyses %d with the cache, %d without; %d hits", alerts, cached.analyses.Load(), plain.analyses.Load(), cached.hits.Load())
}

func TestCacheIsBounded(t *testing.T) {
	c := newCache(1 << 20)
	sc, err := contradict.New()
	if err != nil {
		t.Fatal(err)
	}
	text := "the council approved the budget for the new harbour on Tuesday"
	for id := uint64(1); id <= 5000; id++ {
		st := store.Statement{ID: id, Text: text, SpeakerID: 1, Sources: []store.Source{{ArticleID: "a", Sentence: text}}}
		k := claim{text: text, sentence: text}
		c.put(newAnalysed(&st, preparedClaim{k, sc.Analyse(k.claim())}, "Ann Lee"))
	}
	entries, bytes := c.stats()
	if bytes > 1<<20 || entries == 0 {
		t.Errorf("%d entries of %d bytes in a cache of %d", entries, bytes, 1<<20)
	}
	if c.get(5000) == nil {
		t.Error("the newest entry was evicted")
	}
	if c.get(1) != nil {
		t.Error("the oldest entry is still there")
	}
	c.drop(5000)
	if c.get(5000) != nil {
		t.Error("a dropped entry is still there")
	}
	if newCache(-1) != nil || newCache(0) != nil {
		t.Error("a cache with no budget")
	}
}

// TestCacheBudget checks entrySize against the heap the entries hold, so
// that the budget holds if the analysis grows, and that an entry does not
// keep the article its words were cut from.
func TestCacheBudget(t *testing.T) {
	c := newChecker(t, Options{CacheBytes: 1 << 30})
	words := strings.Fields("the council approved budget for new harbour after long debate on Tuesday but " +
		"union said repairs northern rail line have not started yet and ministry denied allegations " +
		"about 1,500 jobs 2.5 percent Norway fishing treaty will sign")
	sample := func(i int) (string, string) {
		n := 8 + i%20
		ws := make([]string, n)
		for j := range ws {
			ws[j] = words[(i*7+j*3)%len(words)]
		}
		text := strings.Join(ws, " ")
		return text, "Ann Lee said " + text + ", the ministry added on Tuesday."
	}
	for i := range 200 { // stems seen before are shared, as in the bot
		text, _ := sample(i)
		c.scorer.Analyse(contradict.Claim{Text: text})
	}
	const n = 3000
	sc := newScratch()
	sc.speakers[7] = "Ann Lee" // as if read from the store
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for i := range n {
		// Words and sentence cut from a long article, as the extractor
		// gives them; every other statement was prepared while extracting.
		text, sentence := sample(i)
		article := strings.Repeat("x", 4000) + sentence
		sentence = article[4000:]
		text = sentence[len("Ann Lee said ") : len("Ann Lee said ")+len(text)]
		st := store.Statement{ID: uint64(i + 1), Text: text, Cue: "said", SpeakerID: 7, QuoteHash: fmt.Sprintf("%032x", i),
			Sources: []store.Source{{ArticleID: fmt.Sprintf("%064x", i), Sentence: sentence}}}
		if i%2 == 0 {
			c.Prepare(st.Text, st.Cue, sentence, "Ann Lee")
		}
		c.analyse(nil, sc, &st)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	entries, estimated := c.cache.stats()
	held := int64(m1.HeapAlloc) - int64(m0.HeapAlloc)
	t.Logf("%d entries: %d bytes estimated, %d held (%.0f a entry); %d prepared used", entries, estimated, held, float64(held)/n, c.preparedHits.Load())
	if entries != n || c.preparedHits.Load() != n/2 {
		t.Fatalf("%d entries, %d prepared analyses used", entries, c.preparedHits.Load())
	}
	if held > int64(estimated)*5/4 {
		t.Errorf("the entries hold %d bytes, the estimate is %d: entrySize is too low, or entries keep the article", held, estimated)
	}
	runtime.KeepAlive(c)
}

// TestCacheConcurrentChecks runs checks from several goroutines on one
// checker, for the race detector, and compares them with one check alone.
func TestCacheConcurrentChecks(t *testing.T) {
	in := newIngester(t, nil) // no alerts stored: the checks find them all
	for i := range 10 {
		ingestText(t, in, fmt.Sprintf("a%d.txt", i), i, fmt.Sprintf("Ann Lee (person): The council has approved the budget for harbour %d.\n"+
			"Bo Chan (person): The council has not approved the budget for harbour %d.", i%3, (i+1)%3))
	}
	c := newChecker(t, Options{})
	check := func() ([]store.Alert, error) { return checkAll(in.Store(), c) }
	want, err := check()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			got, err := check()
			if err == nil && !reflect.DeepEqual(got, want) {
				err = fmt.Errorf("concurrent check %+v, alone %+v", got, want)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
