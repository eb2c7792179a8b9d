package ingest

import (
	"context"

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
