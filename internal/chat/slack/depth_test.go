package slack

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/internal/ops"
)

// alert_queue_depth on /metrics follows the adapter's queue: an alert that
// Slack keeps refusing waits (depth 1) and is retried; once Slack takes it,
// the depth is 0 again.
func TestAlertQueueDepthOnMetrics(t *testing.T) {
	f := newFakeSlack(t)
	var failing atomic.Bool
	failing.Store(true)
	f.reply = func(method string, n int) (int, string, string) {
		if method == "chat.postMessage" && failing.Load() {
			return 500, "", ""
		}
		return 0, "", ""
	}
	e := alertEnv(t, f)
	m := ops.NewMetrics()
	m.WatchQueue("slack", e.a.AlertQueueDepth)
	srv := httptest.NewServer(m.Handler(nil))
	defer srv.Close()
	scrape := func() string {
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if strings.Contains(scrape(), want) {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("/metrics never showed %s; calls: %s", want, e.f.summary())
	}
	waitFor(`newsbot_alert_queue_depth{platform="slack"} 1`)
	if n := len(e.f.callsOf(toAlerts)); n == 0 {
		t.Fatal("the alert was never tried")
	}
	failing.Store(false)
	e.waitPosted(1, 5*time.Second)
	waitFor(`newsbot_alert_queue_depth{platform="slack"} 0`)
}
