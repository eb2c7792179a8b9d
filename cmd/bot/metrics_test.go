package main

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"newsbot/internal/notify"
	"newsbot/internal/ops"
)

// TestFailedAlertPostsAreCounted: an alert post that fails shows in
// newsbot_errors_total{component="alert_post"}; one that succeeds does not.
func TestFailedAlertPostsAreCounted(t *testing.T) {
	m := ops.NewMetrics()
	fail := true
	n := countFailures(m, notify.Func(func(ctx context.Context, a notify.Alert) error {
		if fail {
			return errors.New("channel not found")
		}
		return nil
	}))
	if err := n.Post(context.Background(), notify.Alert{ID: "A1"}); err == nil {
		t.Fatal("the failure was swallowed")
	}
	fail = false
	if err := n.Post(context.Background(), notify.Alert{ID: "A2"}); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.Errors.WithLabelValues("alert_post")); got != 1 {
		t.Errorf("alert_post errors = %v, want 1", got)
	}
	if countFailures(nil, n) == nil {
		t.Error("no metrics must leave the notifier as it is")
	}
}
