package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// common are the flags every store-using subcommand takes.
type common struct {
	config string
	db     string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration file (default: $NEWSBOT_CONFIG, else ./newsbot.toml if present)")
	fs.StringVar(&c.db, "db", "", "database file (default: the configuration's database.path, newsbot.db)")
}

// load reads the configuration and applies the --db override.
func (c *common) load() (config.Config, error) {
	path := c.config
	if path == "" {
		path = os.Getenv("NEWSBOT_CONFIG")
	}
	if path == "" {
		if _, err := os.Stat("newsbot.toml"); err == nil {
			path = "newsbot.toml"
		}
	}
	cfg, err := config.Load(path, os.Getenv)
	if err != nil {
		return cfg, err
	}
	if c.db != "" {
		cfg.Database.Path = c.db
	}
	return cfg, nil
}

func newFlagSet(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: bot %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Log.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// app is the wired bot: store, ingester, commands.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	ingester *ingest.Ingester
	commands *commands.Registry
	web      webDeps
}

// open wires the bot on the configured database. notifier may be nil.
func open(cfg config.Config, log *slog.Logger, notifier notify.Notifier) (*app, error) {
	st, err := store.Open(cfg.Database.Path, store.Options{LockTimeout: cfg.Database.LockTimeout.Duration(), Logger: log})
	if err != nil {
		return nil, err
	}
	in := ingest.New(ingest.Options{
		Store:     st,
		Extractor: extract.New(),
		Checker:   newChecker(cfg),
		Notifier:  notifier,
		Limits:    ingest.Limits{MaxChars: cfg.Ingest.MaxArticleChars, MaxStatements: cfg.Ingest.MaxStatementsPerArticle},
		Logger:    log,
	})
	web, err := newWeb(cfg, st, in, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	reg, err := commands.New(commands.Deps{Store: st, Ingester: in, MaxStatements: cfg.Limits.ReplyMaxStatements,
		Logger: log, Now: time.Now, Fetcher: web.articles, Feeds: web.feeds})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{cfg: cfg, log: log, store: st, ingester: in, commands: reg, web: web}, nil
}

func (a *app) Close() error { a.web.close(); return a.store.Close() }

// healthy reports whether the database answers a read.
func (a *app) healthy(ctx context.Context) error {
	return a.store.View(ctx, func(tx *store.Tx) error {
		_, err := tx.Counts()
		return err
	})
}

// lockedErr reports whether err is another process holding the database.
func lockedErr(err error) bool { return errors.Is(err, store.ErrLocked) }
