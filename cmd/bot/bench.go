package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"

	"newsbot/internal/bench"
)

// runBench measures the bot as open wires it: extraction and ingest on the
// corpus, queries on a generated archive, and the bleve baseline.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("bench", "[--json] [--quick] [--statements N] [--articles N] [--corpus DIR]", stderr)
	c.register(fs)
	asJSON := fs.Bool("json", false, "print the figures as one JSON object")
	quick := fs.Bool("quick", false, "a small run (50,000 statements, 300 single-transaction articles) for development")
	statements := fs.Int("statements", 1_000_000, "statements in the generated archive")
	articles := fs.Int("articles", 0, "articles in the generated archive (default statements/10)")
	corpus := fs.String("corpus", "", "real articles, one per .txt file, first line the headline (default ../shared/corpus/bbc)")
	corpusLimit := fs.Int("corpus-limit", 0, "use only the first N corpus articles (0: all)")
	single := fs.Int("single", 0, "corpus articles ingested one per transaction (0: all)")
	batch := fs.Int("batch", 100, "corpus articles per bulk transaction")
	genBatch := fs.Int("gen-batch", 1000, "generated articles per bulk transaction of the archive (bleve gets as many statements a batch)")
	queries := fs.Int("queries", 2000, "who-said queries timed")
	statusQueries := fs.Int("status-queries", 1000, "status queries timed")
	noBleve := fs.Bool("no-bleve", false, "skip the bleve baseline")
	dir := fs.String("dir", "", "where the databases go, kept afterwards (default: a temporary directory, removed)")
	reuse := fs.Bool("reuse", false, "with --dir: query the archive a previous run left there instead of generating one")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("bench takes no arguments, only flags")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	cfgBench := bench.Config{Statements: *statements, Articles: *articles, CorpusDir: *corpus, CorpusLimit: *corpusLimit,
		SingleArticles: *single, BatchSize: *batch, GenBatch: *genBatch, Queries: *queries, StatusQueries: *statusQueries, Bleve: !*noBleve, Dir: *dir, Reuse: *reuse}
	if *quick {
		for name, apply := range map[string]func(){
			"statements":     func() { cfgBench.Statements = 50_000 },
			"single":         func() { cfgBench.SingleArticles = 300 },
			"queries":        func() { cfgBench.Queries = 1000 },
			"status-queries": func() { cfgBench.StatusQueries = 300 },
		} {
			if !set[name] {
				apply()
			}
		}
	}
	if cfgBench.CorpusDir == "" {
		cfgBench.CorpusDir = filepath.Join("..", "shared", "corpus", "bbc")
		if shared, ok := bench.FindShared("."); ok {
			cfgBench.CorpusDir = filepath.Join(shared, "corpus", "bbc")
		}
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	// The bot's own log: warnings only, so progress stays readable.
	botLog := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfgBench.Log = slog.New(slog.NewTextHandler(stderr, nil))
	opener := func(path string) (*bench.Bot, error) {
		cfg := cfg
		cfg.Database.Path = path
		a, err := open(cfg, botLog, nil)
		if err != nil {
			return nil, err
		}
		return &bench.Bot{Store: a.store, Ingester: a.ingester, Commands: a.commands, Close: a.Close}, nil
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := bench.Run(ctx, cfgBench, opener)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(rep)
	}
	return printBench(stdout, rep)
}

// printBench writes the figures for a person: every JSON field, one a line.
func printBench(w io.Writer, rep *bench.Report) error {
	raw, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		v, _ := json.Marshal(m[k])
		fmt.Fprintf(&b, "%-40s %s\n", k, v)
	}
	_, err = io.WriteString(w, b.String())
	return err
}
