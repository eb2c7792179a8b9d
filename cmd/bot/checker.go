package main

import (
	"context"
	"fmt"

	"newsbot/internal/candidates"
	"newsbot/internal/config"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// newChecker is the contradiction checker for the configuration: alerts at
// alerts.threshold (an expected precision) within alerts.window_days.
func newChecker(cfg config.Config) ingest.Checker {
	c, err := candidates.NewDefault(cfg.Alerts.Threshold, cfg.Alerts.WindowDays)
	if err != nil {
		return failingChecker{err}
	}
	return c
}

// failingChecker reports why checks cannot run on every ingest, rather
// than silently raising no alerts.
type failingChecker struct{ err error }

func (f failingChecker) Check(context.Context, *store.Tx, []uint64) ([]store.Alert, error) {
	return nil, fmt.Errorf("contradiction checker unavailable: %w", f.err)
}
