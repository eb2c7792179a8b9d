package ingest

import (
	"context"
	"errors"
	"testing"

	"newsbot/internal/store"
)

// cancellingChecker cancels the ingest's context while the article is being
// written, as a shutdown signal arriving mid-ingest does, then checks.
type cancellingChecker struct{ cancel *context.CancelFunc }

func (c cancellingChecker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	if *c.cancel != nil {
		(*c.cancel)()
	}
	return pairChecker{}.Check(ctx, tx, fresh)
}

// TestShutdownFinishesTheArticle: a cancellation that arrives while an
// article is being written lets it commit whole, alerts included; one that
// arrives before writes nothing.
func TestShutdownFinishesTheArticle(t *testing.T) {
	var cancel context.CancelFunc
	in := newIngester(t, Options{Checker: cancellingChecker{&cancel}})
	mustIngest(t, in, Input{File: "a.txt", Text: "Ann Lee (person): agreements were reached"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	res, err := in.Ingest(ctx, Input{File: "b.txt", Text: "Bo Chan (person): agreements were never reached"})
	if err != nil {
		t.Fatalf("ingest cancelled mid-write: %v", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the checker never ran: the test proves nothing")
	}
	if res.New != 1 || len(res.Alerts) != 1 {
		t.Errorf("result %+v: want the statement and its alert stored", res)
	}
	in.Store().View(context.Background(), func(tx *store.Tx) error {
		if _, ok := tx.ArticleByTextHash(TextHash("Bo Chan (person): agreements were never reached")); !ok {
			t.Error("the article being written when the shutdown came is missing")
		}
		return nil
	})

	// Already cancelled: nothing is written.
	_, err = in.Ingest(ctx, Input{File: "c.txt", Text: "Cy Diaz (person): agreements were reached at last"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ingest after cancellation: err %v, want context.Canceled", err)
	}
	checkStore(t, in.Store())
}
