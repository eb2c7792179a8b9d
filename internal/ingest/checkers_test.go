package ingest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"newsbot/internal/store"
)

// wholeChecker records what the optional checker interfaces are given and
// alerts as pairChecker does.
type wholeChecker struct {
	mu       sync.Mutex
	prepared [][4]string
	fresh    []uint64
	differ   []string // statements handed over unlike what the store gives back
}

func (w *wholeChecker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	panic("Check called on a StatementChecker")
}

func (w *wholeChecker) CheckStatements(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error) {
	ids := make([]uint64, len(fresh))
	for i, st := range fresh {
		ids[i] = st.ID
		back, ok, err := tx.Statement(st.ID)
		if err != nil || !ok {
			return nil, fmt.Errorf("S%d handed over, not stored: %w", st.ID, err)
		}
		if st.Text != back.Text || st.Cue != back.Cue || st.SpeakerID != back.SpeakerID || st.QuoteHash != back.QuoteHash ||
			!slices.Equal(st.Terms, back.Terms) || !slices.Equal(st.ContextTerms, back.ContextTerms) ||
			!slices.Equal(st.Entities, back.Entities) || !slices.EqualFunc(st.Sources, back.Sources, func(a, b store.Source) bool {
			return a.ArticleID == b.ArticleID && a.Start == b.Start && a.End == b.End && a.Sentence == b.Sentence && a.Date.Equal(b.Date)
		}) {
			w.differ = append(w.differ, fmt.Sprintf("handed over %+v, stored %+v", *st, back))
		}
	}
	w.fresh = append(w.fresh, ids...)
	return pairChecker{}.Check(ctx, tx, ids)
}

func (w *wholeChecker) Prepare(text, cue, sentence, speaker string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.prepared = append(w.prepared, [4]string{text, cue, sentence, speaker})
}

// TestStatementCheckerAndPreparer: a checker taking statements whole gets
// them as stored, and Prepare sees every extracted statement, merged or
// not, in one-article and in batch ingests.
func TestStatementCheckerAndPreparer(t *testing.T) {
	w := &wholeChecker{}
	in := newIngester(t, Options{Checker: w})
	mustIngest(t, in, Input{File: "a.txt", Text: "Ann Lee (person): agreements were reached"})
	items, err := in.IngestBatch(context.Background(), []Input{
		{File: "b.txt", Text: "Bo Chan (person): agreements were never reached\nAnn Lee (person): agreements were reached"},
		{File: "c.txt", Text: "Cy Diaz (person): the ferry leaves at noon"},
	})
	if err != nil || items[0].Err != nil || items[1].Err != nil {
		t.Fatal(err, items)
	}
	if len(items[0].Result.Alerts) != 1 || items[0].Result.Merged != 1 {
		t.Errorf("batch article: %+v", items[0].Result)
	}
	if len(w.prepared) != 4 || !reflect.DeepEqual(w.prepared[0], [4]string{"agreements were reached", "said", "agreements were reached", "Ann Lee"}) {
		t.Errorf("prepared %q", w.prepared)
	}
	if !slices.Equal(w.fresh, []uint64{1, 2, 3}) || len(w.differ) > 0 {
		t.Errorf("checked %v, want the three new statements; %q", w.fresh, w.differ)
	}
}
