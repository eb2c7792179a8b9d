package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"newsbot/internal/config"
	"newsbot/internal/feeds"
	"newsbot/internal/fetch"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
	"newsbot/internal/webarticle"
)

// webDeps are the bot's ways onto the web: the hardened fetcher and the
// article reader over it.
type webDeps struct {
	fetcher  *fetch.Fetcher
	articles *webarticle.Fetcher
	feeds    *feeds.Service
	stop     func() // stops the feed poller (startFeeds)
}

// newWeb builds the fetcher from [ingest] and the feed service from
// [feeds].
func newWeb(cfg config.Config, st *store.Store, in *ingest.Ingester, log *slog.Logger) (webDeps, error) {
	f, err := fetch.New(fetch.Config{
		UserAgent:      cfg.Ingest.UserAgent,
		MaxBytes:       cfg.Ingest.MaxBytes,
		ConnectTimeout: cfg.Ingest.ConnectTimeout.Duration(),
		ReadTimeout:    cfg.Ingest.ReadTimeout.Duration(),
		AllowHosts:     cfg.Ingest.AllowHosts,
	})
	if err != nil {
		return webDeps{}, fmt.Errorf("ingest.allow_hosts: %w", err)
	}
	web := webDeps{fetcher: f, articles: webarticle.New(f)}
	web.feeds = newFeeds(cfg, st, in, web, log)
	return web, nil
}

// ingestWeb ingests a URL through the fetcher, or a local HTML or
// Markdown file through the same readers.
func ingestWeb(ctx context.Context, a *app, item, outlet string, published time.Time) (ingest.Result, error) {
	var in ingest.Input
	if strings.Contains(item, "://") {
		var err error
		if in, err = a.web.articles.Fetch(ctx, item); err != nil {
			return ingest.Result{}, err
		}
	} else {
		data, err := os.ReadFile(item)
		if err != nil {
			return ingest.Result{}, err
		}
		ct := "text/html"
		if isMarkdown(item) {
			ct = "text/markdown"
		}
		if in, err = webarticle.FromDocument(data, ct, ""); err != nil {
			return ingest.Result{}, err
		}
		in.File = item
	}
	if outlet != "" {
		in.Outlet = outlet
	}
	if !published.IsZero() {
		in.Published = published
	}
	return a.ingester.Ingest(ctx, in)
}

// webItem reports whether an item is read by ingestWeb: a URL, or an HTML
// or Markdown file.
func webItem(item string) bool {
	l := strings.ToLower(item)
	return strings.Contains(item, "://") || strings.HasSuffix(l, ".html") || strings.HasSuffix(l, ".htm") || isMarkdown(item)
}

func isMarkdown(item string) bool {
	l := strings.ToLower(item)
	return strings.HasSuffix(l, ".md") || strings.HasSuffix(l, ".markdown")
}

// duplicateOf names the stored article a duplicate matched, for the
// progress line.
func duplicateOf(res ingest.Result) string {
	d := res.Duplicate
	if d == nil {
		return res.DuplicateOf
	}
	s := d.ID + " (" + d.Why
	if d.Ref != "" {
		s += ", " + d.Ref
	}
	return s + ")"
}
