package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

func newIngester(t *testing.T, o Options) *Ingester {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "i.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o.Store = st
	if o.Extractor == nil {
		o.Extractor = ingesttest.Lines{}
	}
	return New(o)
}

func mustIngest(t *testing.T, in *Ingester, inp Input) Result {
	t.Helper()
	res, err := in.Ingest(context.Background(), inp)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func checkStore(t *testing.T, st *store.Store) {
	t.Helper()
	st.View(context.Background(), func(tx *store.Tx) error {
		probs, err := tx.Check()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			t.Errorf("invariant: %s", p.What)
		}
		return nil
	})
}

func TestSameQuoteFromTwoOutletsIsOneStatement(t *testing.T) {
	in := newIngester(t, Options{})
	r1 := mustIngest(t, in, Input{Headline: true, Outlet: "AFP", Text: "Talks\nMike Pompeo (person): There is lots of work to do.\n"})
	r2 := mustIngest(t, in, Input{Headline: true, Outlet: "Reuters", Text: "Pompeo speaks\nMike Pompeo (person): “There is lots of work to do!”\nMike Pompeo (person): We leave today.\n"})
	if r1.New != 1 || r2.New != 1 || r2.Merged != 1 {
		t.Fatalf("first %+v second %+v: want the shared quote merged", r1, r2)
	}
	in.Store().View(context.Background(), func(tx *store.Tx) error {
		if n := tx.StatementCount(); n != 2 {
			t.Errorf("%d statements, want 2", n)
		}
		ids := tx.StatementsByQuote(QuoteHash("there is lots of work to do"))
		if len(ids) != 1 {
			t.Fatalf("quote index: %v", ids)
		}
		st, _, _ := tx.Statement(ids[0])
		if len(st.Sources) != 2 {
			t.Errorf("sources = %d, want 2 (AFP and Reuters)", len(st.Sources))
		}
		return nil
	})
	checkStore(t, in.Store())
}

func TestDuplicateArticleIsRefused(t *testing.T) {
	in := newIngester(t, Options{})
	r1 := mustIngest(t, in, Input{Headline: true, Text: "Head\nAnn Lee (person): Yes."})
	r2 := mustIngest(t, in, Input{Headline: true, Text: "  head \r\nANN LEE (person):  yes!  "})
	if r2.DuplicateOf != r1.ArticleID || r2.New != 0 {
		t.Errorf("second ingest = %+v, want duplicate of %s", r2, r1.ArticleID)
	}
	r3 := mustIngest(t, in, Input{URL: "https://example.org/a", Text: "Other\nAnn Lee (person): No."})
	r4 := mustIngest(t, in, Input{URL: "https://example.org/a", Text: "Other, edited\nAnn Lee (person): No way."})
	if r4.DuplicateOf != r3.ArticleID {
		t.Errorf("same URL twice: %+v", r4)
	}
}

func TestSpeakersMergeByNameNotSurname(t *testing.T) {
	in := newIngester(t, Options{})
	mustIngest(t, in, Input{Text: "Jane Smith (person): One.\nJohn Smith (person): Two."})
	mustIngest(t, in, Input{Text: "Jane Smith (person): Three."})
	mustIngest(t, in, Input{Text: "Smith (person): Four."}) // ambiguous: two Smiths
	mustIngest(t, in, Input{Text: "Mizintsev (person): Five."})
	mustIngest(t, in, Input{Text: "Mikhail Mizintsev (person): Six."})
	mustIngest(t, in, Input{Text: "Mizintsev (person): Seven."})
	in.Store().View(context.Background(), func(tx *store.Tx) error {
		jane, _ := tx.FindSpeakers("Jane Smith")
		john, _ := tx.FindSpeakers("John Smith")
		if len(jane) != 1 || len(john) != 1 || jane[0].ID == john[0].ID {
			t.Fatalf("Jane %v John %v: two people with one surname must stay apart", jane, john)
		}
		if n := len(tx.StatementsBySpeaker(jane[0].ID, 0)); n != 2 {
			t.Errorf("Jane Smith has %d statements, want 2", n)
		}
		m, _ := tx.FindSpeakers("Mikhail Mizintsev")
		if len(m) != 1 || m[0].Name != "Mikhail Mizintsev" {
			t.Fatalf("Mizintsev: %+v", m)
		}
		if n := len(tx.StatementsBySpeaker(m[0].ID, 0)); n != 3 {
			t.Errorf("Mizintsev has %d statements, want 3 (surname, full name, surname)", n)
		}
		return nil
	})
	checkStore(t, in.Store())
}

func TestAnonymousSourcesStayPerArticle(t *testing.T) {
	in := newIngester(t, Options{})
	mustIngest(t, in, Input{Text: "a spokesman (anonymous): One."})
	mustIngest(t, in, Input{Text: "a spokesman (anonymous): Two."})
	in.Store().View(context.Background(), func(tx *store.Tx) error {
		sps, _ := tx.FindSpeakers("a spokesman")
		if len(sps) != 2 {
			t.Errorf("%d speakers, want one per article", len(sps))
		}
		return nil
	})
}

// pairChecker alerts every new statement against every older statement of
// another speaker that shares a word, the way a real checker's candidates
// would be found through the index.
type pairChecker struct{}

func (pairChecker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	var out []store.Alert
	for _, id := range fresh {
		st, _, err := tx.Statement(id)
		if err != nil {
			return nil, err
		}
		hits, err := tx.Search(st.Terms[:1], 50)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			if h.ID < id {
				out = append(out, store.Alert{New: id, Old: h.ID, Score: 0.9, Reasons: []string{"shares a word"}})
			}
		}
	}
	return out, nil
}

func TestAlertsStoredNotifiedOnce(t *testing.T) {
	var mu sync.Mutex
	var posted []notify.Alert
	in := newIngester(t, Options{Checker: pairChecker{}, Notifier: notify.Func(func(ctx context.Context, a notify.Alert) error {
		mu.Lock()
		defer mu.Unlock()
		posted = append(posted, a)
		return nil
	})})
	mustIngest(t, in, Input{File: "a.txt", Outlet: "AFP", Published: time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC),
		Text: "Ann Lee (person): agreements were reached"})
	r := mustIngest(t, in, Input{File: "b.txt", Text: "Bo Chan (person): agreements were never reached"})
	if len(r.Alerts) != 1 || len(posted) != 1 {
		t.Fatalf("alerts %d posted %d, want 1", len(r.Alerts), len(posted))
	}
	a := posted[0]
	if a.Old.Speaker != "Ann Lee" || a.Old.Article != "a.txt" || a.Old.Outlet != "AFP" || a.New.Text != "agreements were never reached" {
		t.Errorf("alert message = %+v", a)
	}
	// The same new claim carried again merges: no new statement, no alert.
	r = mustIngest(t, in, Input{File: "c.txt", Text: "Bo Chan (person): Agreements were never reached.\nCy Diaz (person): Unrelated words."})
	if len(r.Alerts) != 0 || r.Merged != 1 {
		t.Errorf("re-carried claim: %+v", r)
	}
	checkStore(t, in.Store())
}

func TestLimits(t *testing.T) {
	in := newIngester(t, Options{Limits: Limits{MaxChars: 50, MaxStatements: 1}})
	if _, err := in.Ingest(context.Background(), Input{Text: strings.Repeat("x", 51)}); err == nil || !strings.Contains(err.Error(), "limit of 50") {
		t.Errorf("long article: %v", err)
	}
	if _, err := in.Ingest(context.Background(), Input{Text: "A B (person): one\nC D (person): two"}); err == nil || !strings.Contains(err.Error(), "statements") {
		t.Errorf("too many statements: %v", err)
	}
	if _, err := in.Ingest(context.Background(), Input{Text: " \n "}); err != ErrEmpty {
		t.Errorf("empty: %v", err)
	}
}

// TestQueriesDuringIngest runs searches while articles are written: under
// the race detector, and every snapshot a reader sees is consistent.
func TestQueriesDuringIngest(t *testing.T) {
	in := newIngester(t, Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := in.Store().View(ctx, func(tx *store.Tx) error {
					hits, err := tx.Search([]string{"bridg"}, 20)
					for _, h := range hits {
						if _, ok, err := tx.Statement(h.ID); err != nil || !ok {
							return fmt.Errorf("hit S%d not readable in the same snapshot: %v", h.ID, err)
						}
					}
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 0; i < 40; i++ {
		mustIngest(t, in, Input{Text: fmt.Sprintf("Person %d (person): the bridge number %d is safe", i, i)})
	}
	close(stop)
	wg.Wait()
	checkStore(t, in.Store())
}

func TestQuoteHashIgnoresCaseAndPunctuation(t *testing.T) {
	a := QuoteHash("“There were no commitments,” he said")
	b := QuoteHash("there were NO commitments he said.")
	if a != b {
		t.Error("hash differs on case and punctuation")
	}
	if QuoteHash("no commitments") == QuoteHash("commitments") {
		t.Error("hash ignores words")
	}
	if QuoteHash("  ") != "" {
		t.Error("blank text has a hash")
	}
}

func TestEntities(t *testing.T) {
	got := Entities("But the Secretary of State Mike Pompeo met Sergei Lavrov in Helsinki on Monday, The Times said.")
	want := []string{"secretary of state mike pompeo", "sergei lavrov", "helsinki", "monday", "times"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Entities = %q, want %q", got, want)
	}
}
