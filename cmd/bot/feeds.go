package main

import (
	"context"
	"log/slog"

	"newsbot/internal/config"
	"newsbot/internal/feeds"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// newFeeds builds the feed service over the web fetchers and the ingester.
func newFeeds(cfg config.Config, st *store.Store, in *ingest.Ingester, web webDeps, log *slog.Logger) *feeds.Service {
	return feeds.New(feeds.Options{Store: st, Web: web.fetcher, Articles: web.articles, Ingester: in,
		DefaultInterval: cfg.Feeds.DefaultInterval.Duration(), MinInterval: cfg.Feeds.MinInterval.Duration(),
		Logger: log.With("part", "feeds")})
}

// startFeeds runs the feed poller until ctx is done or the app closes
// (which waits for the poller, so no poll outlives the store).
func startFeeds(ctx context.Context, a *app) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := a.web.feeds.Run(ctx); err != nil {
			a.log.Error("feed poller stopped", "err", err)
		}
	}()
	a.web.stop = func() {
		cancel()
		<-done
	}
}

// close stops the feed poller if it runs.
func (w *webDeps) close() {
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}
