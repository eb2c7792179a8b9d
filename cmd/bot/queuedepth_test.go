package main

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"newsbot/internal/chat/matrix"
	"newsbot/internal/chat/slack"
	"newsbot/internal/notify"
	"newsbot/internal/ops"
)

type queuedAdapter struct{ depth int }

func (queuedAdapter) Name() string                  { return "slack" }
func (queuedAdapter) Run(ctx context.Context) error { return nil }
func (queuedAdapter) Notifier() notify.Notifier     { return nil }
func (q queuedAdapter) AlertQueueDepth() int        { return q.depth }

// run wires each adapter that has an alert queue to alert_queue_depth.
func TestWatchQueues(t *testing.T) {
	watchQueues(nil, []chatAdapter{queuedAdapter{3}}) // no listener: nothing, no panic
	m := ops.NewMetrics()
	watchQueues(m, []chatAdapter{queuedAdapter{3}})
	rec := httptest.NewRecorder()
	m.Handler(nil).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), `newsbot_alert_queue_depth{platform="slack"} 3`) {
		t.Errorf("metrics:\n%s", body)
	}
}

// The real adapters have alert queues the gauge can read.
var (
	_ alertQueuer = (*slack.Adapter)(nil)
	_ alertQueuer = (*matrix.Adapter)(nil)
)
