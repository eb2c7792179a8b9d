package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"newsbot/internal/chat/console"
	"newsbot/internal/control"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/ops"
)

// runBot runs the bot: the chat adapters the configuration enables, or the
// console when none is.
func runBot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("run", "[--config FILE] [--db PATH]", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("run takes no arguments, got %q", fs.Args())
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	var alerts lateNotifier
	a, err := open(cfg, log, &alerts)
	if err != nil {
		return err
	}
	defer a.Close()
	log.Debug("database open", "path", cfg.Database.Path)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctlDone := make(chan error, 1)
	go func() { ctlDone <- control.Serve(ctx, a.store, a.commands, log) }()
	defer func() {
		cancel()
		if cerr := <-ctlDone; cerr != nil {
			log.Warn("control socket", "err", cerr)
		}
	}()

	a.commands.LimitRate(cfg.Limits.CommandsPerMinute, time.Now)
	startFeeds(ctx, a)
	var m *ops.Metrics
	if cfg.HTTP.Listen != "" {
		m = newMetrics(a)
		go func() {
			if err := ops.Serve(ctx, cfg.HTTP.Listen, m.Handler(a.healthy), log, nil); err != nil {
				log.Error("operations listener stopped", "err", err)
			}
		}()
	}

	adapters, err := chatAdapters(chatDeps{Config: cfg, Store: a.store, Dispatcher: a.commands, Log: log})
	if err != nil {
		return err
	}
	watchQueues(m, adapters)
	if len(adapters) == 0 {
		interactive := term.IsTerminal(int(os.Stdin.Fd()))
		con := console.New(os.Stdin, stdout, interactive, "operator", a.commands)
		alerts.set(countFailures(m, con.Notifier()))
		return con.Run(ctx)
	}
	var notifiers notify.Multi
	for _, ad := range adapters {
		notifiers = append(notifiers, ad.Notifier())
	}
	alerts.set(countFailures(m, notifiers))
	return runAdapters(ctx, cancel, adapters)
}

// runAdapters runs every adapter until ctx is done or one fails; a failure
// stops the others.
func runAdapters(ctx context.Context, cancel context.CancelFunc, adapters []chatAdapter) error {
	var wg sync.WaitGroup
	errs := make([]error, len(adapters))
	for i, ad := range adapters {
		wg.Go(func() {
			if err := ad.Run(ctx); err != nil && ctx.Err() == nil {
				errs[i] = fmt.Errorf("%s: %w", ad.Name(), err)
				cancel()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// newMetrics hangs the bot's metrics on its command registry and ingester.
func newMetrics(a *app) *ops.Metrics {
	m := ops.NewMetrics()
	a.commands.SetObserver(m.ObserveCommand)
	a.ingester.SetObserver(func(res ingest.Result, err error) {
		switch {
		case err != nil:
			m.Ingests.WithLabelValues("failed").Inc()
			if le := (*ingest.LimitError)(nil); !errors.As(err, &le) && !errors.Is(err, ingest.ErrEmpty) && !errors.Is(err, context.Canceled) {
				// not the article's fault: the store or the checker failed
				m.Errors.WithLabelValues("ingest").Inc()
			}
		case res.DuplicateOf != "":
			m.Ingests.WithLabelValues("duplicate").Inc()
		default:
			m.Ingests.WithLabelValues("new").Inc()
			m.Statements.Add(float64(res.New))
			m.Alerts.Add(float64(len(res.Alerts)))
		}
	})
	return m
}

// countFailures counts the alert posts n fails in the errors metric (m nil:
// no metrics, n as it is).
func countFailures(m *ops.Metrics, n notify.Notifier) notify.Notifier {
	if m == nil {
		return n
	}
	return notify.Func(func(ctx context.Context, a notify.Alert) error {
		err := n.Post(ctx, a)
		if err != nil {
			m.Errors.WithLabelValues("alert_post").Inc()
		}
		return err
	})
}
