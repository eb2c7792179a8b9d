package ingest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"newsbot/internal/extract"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

func batchInputs() []Input {
	return []Input{
		{File: "a.txt", Outlet: "AFP", Headline: true, Text: "Talks\nAnn Lee (person): agreements were reached\nBo Chan (person): we leave today"},
		{File: "b.txt", Outlet: "Reuters", Headline: true, Text: "More talks\nAnn Lee (person): Agreements were reached!\nCy Diaz (person): agreements were never reached"},
		{File: "c.txt", Headline: true, Text: "Talks\nAnn Lee (person): agreements were reached\nBo Chan (person): we leave today"}, // a.txt again
		{File: "d.txt", Text: " \n "},
		{File: "e.txt", Headline: true, Text: "Ends\nBo Chan (person): the agreements were reached and kept"},
	}
}

// storeSummary describes what a store holds, ids apart.
func storeSummary(t *testing.T, st *store.Store) string {
	t.Helper()
	var b strings.Builder
	err := st.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.Counts()
		if err != nil {
			return err
		}
		b.WriteString(strings.Join([]string{"articles", itoa(c.Articles), "statements", itoa(c.Statements),
			"speakers", itoa(c.Speakers), "alerts", itoa(c.Alerts)}, " "))
		return tx.ForEachStatement(func(s *store.Statement) error {
			sp, _, err := tx.Speaker(s.SpeakerID)
			b.WriteString("\n" + sp.Name + ": " + s.Text + " [" + itoa(len(s.Sources)) + " sources]")
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// upperLines is ingesttest.Lines with speaker names in capitals: another
// extractor, recognisable in what it stored.
type upperLines struct{ ingesttest.Lines }

func (u upperLines) Name() string { return "upper-lines" }

func (u upperLines) Extract(doc extract.Document) []extract.Statement {
	out := u.Lines.Extract(doc)
	for i := range out {
		out[i].Speaker.Name = strings.ToUpper(out[i].Speaker.Name)
	}
	return out
}

func TestBatchWritesWhatOneByOneWrites(t *testing.T) {
	var mu sync.Mutex
	posted := 0
	notifier := notify.Func(func(ctx context.Context, a notify.Alert) error {
		mu.Lock()
		defer mu.Unlock()
		posted++
		return nil
	})
	one := newIngester(t, Options{Checker: pairChecker{}})
	var singles []Result
	var singleErrs []error
	for _, inp := range batchInputs() {
		r, err := one.Ingest(context.Background(), inp)
		singles, singleErrs = append(singles, r), append(singleErrs, err)
	}
	batch := newIngester(t, Options{Checker: pairChecker{}, Notifier: notifier})
	observed := 0
	batch.SetObserver(func(Result, error) { observed++ })
	items, err := batch.IngestBatch(context.Background(), batchInputs())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(singles) || observed != len(items) {
		t.Fatalf("%d items, %d observed, want %d", len(items), observed, len(singles))
	}
	alerts := 0
	for i, it := range items {
		if !errors.Is(it.Err, singleErrs[i]) && (it.Err == nil) != (singleErrs[i] == nil) {
			t.Errorf("article %d: batch error %v, one by one %v", i, it.Err, singleErrs[i])
		}
		s := singles[i]
		r := it.Result
		if r.ArticleID != s.ArticleID || r.New != s.New || r.Merged != s.Merged || r.DuplicateOf != s.DuplicateOf || len(r.Alerts) != len(s.Alerts) {
			t.Errorf("article %d: batch %+v, one by one %+v", i, r, s)
		}
		alerts += len(r.Alerts)
	}
	if items[2].Result.DuplicateOf != items[0].Result.ArticleID {
		t.Errorf("the repeated article within the batch is not a duplicate: %+v", items[2].Result)
	}
	if items[3].Err != ErrEmpty {
		t.Errorf("empty article: %v", items[3].Err)
	}
	if alerts == 0 || posted != alerts {
		t.Errorf("%d alerts, %d posted: want some, all posted", alerts, posted)
	}
	if got, want := storeSummary(t, batch.Store()), storeSummary(t, one.Store()); got != want {
		t.Errorf("batch store:\n%s\none-by-one store:\n%s", got, want)
	}
	checkStore(t, batch.Store())
}

// failOn fails the check of any statement holding word.
type failOn struct{ word string }

func (f failOn) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	for _, id := range fresh {
		st, _, err := tx.Statement(id)
		if err != nil {
			return nil, err
		}
		if strings.Contains(st.Text, f.word) {
			return nil, errors.New("checker broke on " + f.word)
		}
	}
	return nil, nil
}

func TestBatchFailureFallsBackToOneByOne(t *testing.T) {
	in := newIngester(t, Options{Checker: failOn{"never"}})
	items, err := in.IngestBatch(context.Background(), batchInputs())
	if err != nil {
		t.Fatal(err)
	}
	if items[1].Err == nil || !strings.Contains(items[1].Err.Error(), "checker broke") {
		t.Errorf("the article the checker fails on: %v", items[1].Err)
	}
	for _, i := range []int{0, 4} {
		if items[i].Err != nil || items[i].Result.New == 0 {
			t.Errorf("article %d should be stored alone: %+v", i, items[i])
		}
	}
	in.Store().View(context.Background(), func(tx *store.Tx) error {
		c, _ := tx.Counts()
		if c.Articles != 2 {
			t.Errorf("%d articles stored, want 2 (a and e)", c.Articles)
		}
		return nil
	})
	checkStore(t, in.Store())
}

func TestBatchCancelledWritesNothing(t *testing.T) {
	in := newIngester(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := in.IngestBatch(ctx, batchInputs()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	if s := storeSummary(t, in.Store()); !strings.HasPrefix(s, "articles 0 ") {
		t.Errorf("a cancelled batch wrote: %s", s)
	}
}

func TestWithExtractorSharesStoreAndChecker(t *testing.T) {
	base := newIngester(t, Options{Checker: pairChecker{}})
	mustIngest(t, base, Input{File: "a.txt", Text: "Ann Lee (person): agreements were reached"})
	other := base.WithExtractor(upperLines{})
	r, err := other.Ingest(context.Background(), Input{File: "b.txt", Text: "bo chan (person): agreements were never reached"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Alerts) != 1 || r.Alerts[0].New.Speaker != "BO CHAN" {
		t.Errorf("result %+v: want the checker run on the other extractor's statement", r)
	}
}
