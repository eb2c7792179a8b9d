// Package ops is the bot's operations listener: /healthz for liveness and
// /metrics in the Prometheus text format. It is off unless http.listen is
// configured, and is meant for a private network or loopback.
package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the bot's counters and histograms. Each bot owns one set on
// its own registry: nothing is registered globally.
type Metrics struct {
	reg *prometheus.Registry

	// Ingests counts ingest attempts by result: new, duplicate, failed.
	Ingests *prometheus.CounterVec
	// Statements counts statements stored by ingests.
	Statements prometheus.Counter
	// Alerts counts contradiction alerts raised.
	Alerts prometheus.Counter
	// Commands observes command latency by command and outcome (ok, error).
	Commands *prometheus.HistogramVec
	// Errors counts internal errors by component.
	Errors *prometheus.CounterVec
	// queues reports alert_queue_depth at each scrape (WatchQueue).
	queues *queueCollector
}

// NewMetrics returns the bot's metrics on a fresh registry, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		Ingests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "newsbot", Name: "ingests_total",
			Help: "Articles ingested, by result (new, duplicate, failed)."}, []string{"result"}),
		Statements: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "newsbot", Name: "statements_total",
			Help: "Statements stored by ingests."}),
		Alerts: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "newsbot", Name: "alerts_total",
			Help: "Contradiction alerts raised."}),
		Commands: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "newsbot", Name: "command_seconds",
			Help:    "Chat command latency, by command and outcome.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"command", "outcome"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "newsbot", Name: "errors_total",
			Help: "Internal errors, by component."}, []string{"component"}),
		queues: &queueCollector{desc: prometheus.NewDesc("newsbot_alert_queue_depth",
			"Alert posts waiting to be delivered, by platform.", []string{"platform"}, nil), depth: map[string]func() int{}},
	}
	m.reg.MustRegister(m.Ingests, m.Statements, m.Alerts, m.Commands, m.Errors, m.queues,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchQueue makes alert_queue_depth{platform} report depth() at every
// scrape: the alert posts the platform's adapter has waiting.
func (m *Metrics) WatchQueue(platform string, depth func() int) {
	m.queues.mu.Lock()
	defer m.queues.mu.Unlock()
	m.queues.depth[platform] = depth
}

// queueCollector asks each watched adapter for its queue depth when
// scraped, so the gauge is never stale.
type queueCollector struct {
	desc  *prometheus.Desc
	mu    sync.Mutex
	depth map[string]func() int
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for platform, depth := range c.depth {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(depth()), platform)
	}
}

// ObserveCommand records one dispatched command (commands.Observer shape).
func (m *Metrics) ObserveCommand(command string, took time.Duration, failed bool) {
	if command == "" {
		command = "unknown"
	}
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.Commands.WithLabelValues(command, outcome).Observe(took.Seconds())
}

// Handler serves /healthz and /metrics. healthy reports whether the bot
// can answer (the database is usable); nil means always.
func (m *Metrics) Handler(healthy func(ctx context.Context) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if healthy != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := healthy(ctx); err != nil {
				m.Errors.WithLabelValues("healthz").Inc()
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "unhealthy: %v\n", err)
				return
			}
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// Serve listens on addr and serves h until ctx is done, then shuts down
// gracefully. It reports the bound address on ready (useful with port 0).
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(net.Addr)) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("operations listener %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	if ready != nil {
		ready(l.Addr())
	}
	log.Info("operations listener", "addr", l.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return fmt.Errorf("operations listener: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("operations listener shutdown: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
