package ingest

import (
	"context"

	"newsbot/internal/extract"
	"newsbot/internal/store"
)

// StatementChecker is a Checker that also takes the fresh statements as
// the ingester just stored them, sparing it reading them back.
type StatementChecker interface {
	Checker
	CheckStatements(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error)
}

// runChecker runs the checker on the fresh statements, handing them over
// whole when it takes them so.
func (in *Ingester) runChecker(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error) {
	if sc, ok := in.checker.(StatementChecker); ok {
		return sc.CheckStatements(ctx, tx, fresh)
	}
	ids := make([]uint64, len(fresh))
	for i, st := range fresh {
		ids[i] = st.ID
	}
	return in.checker.Check(ctx, tx, ids)
}

// Preparer is a Checker with work to do on a statement before it is
// stored: Prepare is called for each extracted statement outside the
// write transaction (for a batch, on every core), with the statement's
// words, reporting cue, sentence and speaker as extracted.
type Preparer interface {
	Prepare(text, cue, sentence, speaker string)
}

// prepareChecks hands the extracted statements to the checker's Prepare.
func (in *Ingester) prepareChecks(found []extract.Statement) {
	p, ok := in.checker.(Preparer)
	if !ok {
		return
	}
	for i := range found {
		s := &found[i]
		p.Prepare(s.Text, s.Cue, s.Sentence, s.Speaker.Name)
	}
}
