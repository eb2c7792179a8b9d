package ops

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHealthAndMetrics(t *testing.T) {
	m := NewMetrics()
	var healthErr error
	h := m.Handler(func(ctx context.Context) error { return healthErr })
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, "127.0.0.1:0", h, slog.New(slog.DiscardHandler), func(a net.Addr) { addrc <- a })
	}()
	base := "http://" + (<-addrc).String()

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("healthz = %d %q", code, body)
	}
	healthErr = errors.New("database closed")
	if code, body := get(t, base+"/healthz"); code != 503 || !strings.Contains(body, "database closed") {
		t.Errorf("unhealthy healthz = %d %q", code, body)
	}

	m.Ingests.WithLabelValues("new").Add(3)
	m.Alerts.Inc()
	m.ObserveCommand("who-said", 3*time.Millisecond, false)
	m.ObserveCommand("", time.Millisecond, true)
	var depth atomic.Int64
	depth.Store(2)
	m.WatchQueue("slack", func() int { return int(depth.Load()) })
	m.WatchQueue("matrix", func() int { return 0 })
	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("metrics = %d", code)
	}
	for _, want := range []string{
		`newsbot_ingests_total{result="new"} 3`,
		`newsbot_alerts_total 1`,
		`newsbot_command_seconds_count{command="who-said",outcome="ok"} 1`,
		`newsbot_command_seconds_count{command="unknown",outcome="error"} 1`,
		`newsbot_alert_queue_depth{platform="slack"} 2`,
		`newsbot_alert_queue_depth{platform="matrix"} 0`,
		`newsbot_errors_total{component="healthz"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The depth is read at each scrape.
	depth.Store(0)
	if _, body := get(t, base+"/metrics"); !strings.Contains(body, `newsbot_alert_queue_depth{platform="slack"} 0`) {
		t.Errorf("the queue depth is stale:\n%s", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not shut down")
	}
}

func TestServeRefusesBusyAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = Serve(context.Background(), l.Addr().String(), NewMetrics().Handler(nil), slog.New(slog.DiscardHandler), nil)
	if err == nil || !strings.Contains(err.Error(), "operations listener") {
		t.Errorf("busy address: %v", err)
	}
}
