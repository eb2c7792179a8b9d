// Package bench measures newsbot at newsroom scale: extraction, ingest
// (bulk and one article per transaction) on a real corpus, and chat
// queries on a generated archive of a million statements, also while a
// bulk ingest runs; with bleve as the baseline a user might otherwise
// reach for. Everything runs through the bot as cmd/bot wires it: the
// caller hands Run an Opener that builds the real store, ingester and
// command registry on a database path.
package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// Bot is the bot wired on one database, as the real program wires it.
type Bot struct {
	Store    *store.Store
	Ingester *ingest.Ingester
	Commands commands.Dispatcher
	Close    func() error
}

// Opener wires the bot on the database at path (created when missing).
type Opener func(path string) (*Bot, error)

// Config sizes a run.
type Config struct {
	Statements int // in the generated archive (default 1,000,000)
	Articles   int // in the generated archive (default Statements/10)
	// CorpusDir holds the real articles for extraction and ingest.
	CorpusDir   string
	CorpusLimit int // 0: every article
	// SingleArticles is how many corpus articles are ingested one per
	// transaction (0: all of them).
	SingleArticles int
	BatchSize      int // corpus articles per bulk transaction (default 100)
	GenBatch       int // generated articles per bulk transaction of the archive (default 1,000)
	Queries        int // who-said queries timed (default 2000)
	StatusQueries  int // status queries timed (default 1000)
	Bleve          bool
	// ExtractFor is how long extraction is timed at least (default 1s).
	ExtractFor time.Duration
	Seed       uint64
	// Dir is where the databases go; "" makes a temporary one, removed
	// afterwards.
	Dir string
	// Reuse queries the archive already in Dir, if there is one, instead
	// of generating it (for working on queries; no indexing figure then).
	Reuse bool
	Log   *slog.Logger
}

func (c *Config) defaults() {
	if c.Statements <= 0 {
		c.Statements = 1_000_000
	}
	if c.Articles <= 0 {
		c.Articles = max(1, c.Statements/10)
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 100
	}
	if c.GenBatch <= 0 {
		c.GenBatch = 1000
	}
	if c.Queries <= 0 {
		c.Queries = 2000
	}
	if c.StatusQueries <= 0 {
		c.StatusQueries = 1000
	}
	if c.ExtractFor <= 0 {
		c.ExtractFor = time.Second
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Report is what a run measured. Rates are per second of wall time;
// latencies are milliseconds as a chat user waits for them: from the
// command line handed to the command layer to the structured reply.
type Report struct {
	Machine Machine `json:"machine"`

	// Sizes.
	Statements     int `json:"statements"` // stored in the generated archive
	Articles       int `json:"articles"`
	Speakers       int `json:"speakers"`
	CorpusArticles int `json:"corpus_articles"`
	SingleArticles int `json:"single_articles"`
	BatchArticles  int `json:"batch_articles"`
	// ArchiveBatchArticles is the generated articles written in one
	// transaction of the archive (bleve gets as many statements a batch).
	ArchiveBatchArticles int    `json:"archive_batch_articles"`
	Queries              int    `json:"queries"`
	StatusQueries        int    `json:"status_queries"`
	Reused               bool   `json:"archive_reused,omitempty"`
	Extractor            string `json:"extractor"`
	Checks               bool   `json:"contradiction_checks"`

	ExtractArticlesPerSPerCore  float64 `json:"extract_articles_per_s_per_core"`
	ExtractStatementsPerArticle float64 `json:"extract_statements_per_article"`
	IngestArticlesPerS          float64 `json:"ingest_articles_per_s"`
	IngestSingleArticlesPerS    float64 `json:"ingest_single_articles_per_s"`
	// IngestAtScaleArticlesPerS is the bulk ingest of the corpus into the
	// generated archive while who-said queries run.
	IngestAtScaleArticlesPerS float64 `json:"ingest_at_scale_articles_per_s"`
	// IndexStatementsPerS is the generated archive's statements written
	// through the bulk ingest path (speaker resolution, quote merging,
	// term analysis, every index, durable commit) without text extraction
	// and without the contradiction check: like for like with bleve,
	// which indexes and checks nothing. Only the IngestBatch calls are
	// timed, as only bleve's batches are. The check's cost is in
	// IngestArticlesPerS and IngestAtScaleArticlesPerS, whose corpus is
	// ingested with it. GenerateSeconds is the whole generation.
	IndexStatementsPerS float64 `json:"index_statements_per_s"`
	GenerateSeconds     float64 `json:"generate_s"`
	// Per second of processor time (all cores): what the code costs,
	// whatever else the machine was running.
	IngestArticlesPerCPUS  float64 `json:"ingest_articles_per_cpu_s"`
	IndexStatementsPerCPUS float64 `json:"index_statements_per_cpu_s"`

	OpenMS     float64 `json:"open_ms"`
	WhoSaidP50 float64 `json:"who_said_p50_ms"`
	WhoSaidP99 float64 `json:"who_said_p99_ms"`
	WhoSaidMax float64 `json:"who_said_max_ms"`
	StatusP50  float64 `json:"status_p50_ms"`
	StatusP99  float64 `json:"status_p99_ms"`
	StatusMax  float64 `json:"status_max_ms"`
	// During the bulk ingest into the archive.
	WhoSaidIngestP50 float64 `json:"who_said_during_ingest_p50_ms"`
	WhoSaidIngestP99 float64 `json:"who_said_during_ingest_p99_ms"`
	WhoSaidIngestMax float64 `json:"who_said_during_ingest_max_ms"`
	WhoSaidIngestN   int     `json:"who_said_during_ingest_queries"`

	// Slowest are the slowest queries timed, for what limits the tail.
	Slowest []Query `json:"slowest_queries"`

	Memory
	// AfterIngest is the memory once the corpus was also ingested into the
	// archive while queries ran: the checker's caches and the ingester's
	// term memory full, the Go heap as the ingest left it.
	AfterIngest         Memory  `json:"after_ingest"`
	DBBytes             int64   `json:"db_bytes"`
	DBBytesPerStatement float64 `json:"db_bytes_per_statement"`

	Bleve *Baseline `json:"bleve,omitempty"`
	// Ratios against bleve: above 1, newsbot is faster.
	IndexSpeedupVsBleve float64 `json:"index_speedup_vs_bleve,omitempty"`
	// IndexCPUSpeedupVsBleve compares statements indexed per second of
	// processor time: what each costs, however busy the machine was.
	IndexCPUSpeedupVsBleve   float64 `json:"index_cpu_speedup_vs_bleve,omitempty"`
	WhoSaidP50SpeedupVsBleve float64 `json:"who_said_p50_speedup_vs_bleve,omitempty"`
	WhoSaidP99SpeedupVsBleve float64 `json:"who_said_p99_speedup_vs_bleve,omitempty"`

	Targets map[string]bool `json:"targets"`
	Seconds float64         `json:"total_s"`
}

// Machine describes where a run ran.
type Machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPU        string `json:"cpu,omitempty"`
	OS         string `json:"os"`
	Go         string `json:"go"`
	// Load is the 1-minute load average when the run started and ended:
	// above the CPU count, other work was competing for the cores.
	LoadStart float64 `json:"load_avg_start"`
	LoadEnd   float64 `json:"load_avg_end"`
	// CPUSeconds is the processor time the run used (user and system).
	CPUSeconds float64 `json:"cpu_s"`
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), OS: runtime.GOOS + "/" + runtime.GOARCH,
		Go: runtime.Version(), LoadStart: loadAvg()}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// Run runs every benchmark and reports.
func Run(ctx context.Context, cfg Config, open Opener) (*Report, error) {
	cfg.defaults()
	began := time.Now()
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "newsbot-bench-")
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(dir)
		cfg.Dir = dir
	}
	corpus, err := LoadCorpus(cfg.CorpusDir, cfg.CorpusLimit)
	if err != nil {
		return nil, err
	}
	rep := &Report{Machine: machine(), CorpusArticles: len(corpus), BatchArticles: cfg.BatchSize, ArchiveBatchArticles: cfg.GenBatch,
		Queries: cfg.Queries, StatusQueries: cfg.StatusQueries}
	log := cfg.Log

	log.Info("extraction", "articles", len(corpus))
	if err := rep.extraction(ctx, cfg, open, corpus); err != nil {
		return nil, err
	}
	log.Info("ingest, one article per transaction")
	if err := rep.ingestSingle(ctx, cfg, open, corpus); err != nil {
		return nil, err
	}
	log.Info("ingest, bulk", "batch", cfg.BatchSize)
	if err := rep.ingestBulk(ctx, cfg, open, corpus); err != nil {
		return nil, err
	}
	archive := filepath.Join(cfg.Dir, "archive.db")
	if _, err := os.Stat(archive); err == nil && cfg.Reuse {
		log.Info("reusing the archive", "path", archive)
		rep.Reused = true
	} else {
		log.Info("generating the archive", "statements", cfg.Statements, "articles", cfg.Articles)
		os.Remove(archive)
		if err := rep.generate(ctx, cfg, open, archive, CorpusWords(corpus)); err != nil {
			return nil, err
		}
	}
	topics, err := archiveTopics(ctx, cfg, archive, rep)
	if err != nil {
		return nil, err
	}
	log.Info("queries", "statements", rep.Statements)
	if err := rep.queries(ctx, cfg, open, archive, topics, corpus); err != nil {
		return nil, err
	}
	if cfg.Bleve {
		log.Info("bleve baseline")
		b, err := runBleve(ctx, cfg, archive, topics)
		if err != nil {
			return nil, err
		}
		rep.Bleve = b
		rep.IndexSpeedupVsBleve = ratio(rep.IndexStatementsPerS, b.IndexStatementsPerS)
		rep.IndexCPUSpeedupVsBleve = ratio(rep.IndexStatementsPerCPUS, b.IndexStatementsPerCPUS)
		rep.WhoSaidP50SpeedupVsBleve = ratio(b.QueryP50, rep.WhoSaidP50)
		rep.WhoSaidP99SpeedupVsBleve = ratio(b.QueryP99, rep.WhoSaidP99)
	}
	rep.targets()
	rep.Seconds = round(time.Since(began).Seconds(), 1)
	rep.Machine.LoadEnd, rep.Machine.CPUSeconds = loadAvg(), round(cpuSeconds(), 1)
	return rep, nil
}

// archiveTopics samples the query topics from the archive (and counts
// it, when it was reused).
func archiveTopics(ctx context.Context, cfg Config, path string, rep *Report) ([]string, error) {
	st, err := store.Open(path, store.Options{ReadOnly: true, Logger: cfg.Log})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if rep.Reused {
		if err := rep.count(ctx, st); err != nil {
			return nil, err
		}
	}
	return SampleTopics(ctx, st, 4000, cfg.Seed)
}

// extraction times the wired extractor alone, on one goroutine: articles
// a second on one core.
func (r *Report) extraction(ctx context.Context, cfg Config, open Opener, corpus []ingest.Input) error {
	bot, err := open(filepath.Join(cfg.Dir, "extract.db"))
	if err != nil {
		return err
	}
	ext := bot.Ingester.Extractor()
	r.Extractor, r.Checks = ext.Name(), bot.Ingester.Checks()
	if err := bot.Close(); err != nil {
		return err
	}
	docs := make([]extract.Document, len(corpus))
	for i, a := range corpus {
		docs[i] = extract.Document{Text: a.Text, Headline: a.Headline}
	}
	var n, found int
	start := time.Now()
	for n == 0 || time.Since(start) < cfg.ExtractFor {
		for _, d := range docs {
			found += len(ext.Extract(d))
			n++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	r.ExtractArticlesPerSPerCore = round(float64(n)/time.Since(start).Seconds(), 0)
	r.ExtractStatementsPerArticle = round(float64(found)/float64(n), 2)
	return nil
}

// ingestSingle ingests corpus articles one per transaction into an empty
// store, each committed durably before the next starts.
func (r *Report) ingestSingle(ctx context.Context, cfg Config, open Opener, corpus []ingest.Input) error {
	bot, err := open(filepath.Join(cfg.Dir, "single.db"))
	if err != nil {
		return err
	}
	defer bot.Close()
	n := len(corpus)
	if cfg.SingleArticles > 0 {
		n = min(n, cfg.SingleArticles)
	}
	start := time.Now()
	for _, a := range corpus[:n] {
		if _, err := bot.Ingester.Ingest(ctx, a); err != nil && !errors.Is(err, ingest.ErrEmpty) {
			return fmt.Errorf("ingest %s: %w", a.File, err)
		}
	}
	r.SingleArticles = n
	r.IngestSingleArticlesPerS = round(float64(n)/time.Since(start).Seconds(), 1)
	return bot.Close()
}

// ingestBulk ingests the whole corpus in batches into an empty store.
func (r *Report) ingestBulk(ctx context.Context, cfg Config, open Opener, corpus []ingest.Input) error {
	bot, err := open(filepath.Join(cfg.Dir, "bulk.db"))
	if err != nil {
		return err
	}
	defer bot.Close()
	cpu0 := cpuSeconds()
	took, err := bulk(ctx, bot.Ingester, corpus, cfg.BatchSize)
	if err != nil {
		return err
	}
	r.IngestArticlesPerS = round(float64(len(corpus))/took.Seconds(), 1)
	r.IngestArticlesPerCPUS = perCPU(len(corpus), cpuSeconds()-cpu0)
	return bot.Close()
}

func bulk(ctx context.Context, in *ingest.Ingester, articles []ingest.Input, batch int) (time.Duration, error) {
	start := time.Now()
	for len(articles) > 0 {
		n := min(batch, len(articles))
		items, err := in.IngestBatch(ctx, articles[:n])
		if err != nil {
			return 0, err
		}
		for i, it := range items {
			if it.Err != nil && !errors.Is(it.Err, ingest.ErrEmpty) {
				return 0, fmt.Errorf("ingest %s: %w", articles[i].File, it.Err)
			}
		}
		articles = articles[n:]
	}
	return time.Since(start), nil
}

// generate writes the synthetic archive through the bulk ingest path of
// the wired bot, without the contradiction check.
func (r *Report) generate(ctx context.Context, cfg Config, open Opener, path string, words []string) error {
	bot, err := open(path)
	if err != nil {
		return err
	}
	defer bot.Close()
	gen := NewGenerator(GenConfig{Statements: cfg.Statements, Articles: cfg.Articles, Seed: cfg.Seed, Words: words})
	// Without the contradiction check: this is the indexing figure set
	// against bleve's (the corpus ingests measure the check).
	in := bot.Ingester.WithExtractor(gen.Extractor()).WithChecker(nil)
	// Only the ingest is timed, as only bleve's batches are: making up the
	// articles stands for reading them, which neither figure counts.
	start := time.Now()
	var indexing time.Duration
	var cpu float64
	for {
		arts := gen.Next(cfg.GenBatch)
		if len(arts) == 0 {
			break
		}
		t0, cpu0 := time.Now(), cpuSeconds()
		items, err := in.IngestBatch(ctx, arts)
		if err != nil {
			return err
		}
		indexing += time.Since(t0)
		cpu += cpuSeconds() - cpu0
		for _, it := range items {
			if it.Err != nil {
				return fmt.Errorf("generated article: %w", it.Err)
			}
		}
	}
	took := time.Since(start)
	if err := r.count(ctx, bot.Store); err != nil {
		return err
	}
	r.IndexStatementsPerCPUS = perCPU(r.Statements, cpu)
	r.GenerateSeconds = round(took.Seconds(), 1)
	r.IndexStatementsPerS = round(float64(r.Statements)/indexing.Seconds(), 0)
	return bot.Close()
}

func (r *Report) count(ctx context.Context, st *store.Store) error {
	return st.View(ctx, func(tx *store.Tx) error {
		c, err := tx.Counts()
		r.Statements, r.Articles, r.Speakers = c.Statements, c.Articles, c.Speakers
		return err
	})
}

// queries opens the archive afresh and times chat queries on it: alone,
// then during a bulk ingest of the corpus.
func (r *Report) queries(ctx context.Context, cfg Config, open Opener, path string, topics []string, corpus []ingest.Input) error {
	if len(topics) == 0 {
		return fmt.Errorf("the generated archive gave no query topics")
	}
	// Measure the bot as it is after a start: the generation's garbage
	// returned to the system first.
	runtime.GC()
	debug.FreeOSMemory()
	start := time.Now()
	bot, err := open(path)
	if err != nil {
		return err
	}
	r.OpenMS = round(float64(time.Since(start).Microseconds())/1000, 2)
	defer bot.Close()

	rng := rand.New(rand.NewPCG(cfg.Seed, 7))
	pick := func() string { return topics[rng.IntN(len(topics))] }
	ask := func(line string) (time.Duration, error) {
		t0 := time.Now()
		rep := bot.Commands.Dispatch(ctx, &commands.Request{Platform: "cli", User: "bench", Channel: "bench", Text: line})
		took := time.Since(t0)
		if rep.Error {
			return took, fmt.Errorf("%q failed: %s", line, rep.Text)
		}
		return took, nil
	}
	// A few queries first, so that first-touch page faults of the mapping
	// are not what the percentiles describe.
	for range 20 {
		if _, err := ask("who-said " + pick()); err != nil {
			return err
		}
	}
	time1 := func(n int, cmd string) (Latency, error) {
		lat := make([]time.Duration, 0, n)
		for range n {
			line := cmd + " " + pick()
			took, err := ask(line)
			if err != nil {
				return Latency{}, err
			}
			lat = append(lat, took)
			r.Slowest = slowest(r.Slowest, Query{Line: line, MS: ms(took)}, 6)
		}
		return latency(lat), nil
	}
	ws, err := time1(cfg.Queries, "who-said")
	if err != nil {
		return err
	}
	r.WhoSaidP50, r.WhoSaidP99, r.WhoSaidMax = ws.P50, ws.P99, ws.Max
	st, err := time1(cfg.StatusQueries, "status")
	if err != nil {
		return err
	}
	r.StatusP50, r.StatusP99, r.StatusMax = st.P50, st.P99, st.Max
	r.Memory = ReadMemory()
	if fi, err := os.Stat(path); err == nil {
		r.DBBytes = fi.Size()
		r.DBBytesPerStatement = round(float64(fi.Size())/float64(max(1, r.Statements)), 0)
	}

	// Queries during a bulk ingest: a user asking every 5 ms.
	var wg sync.WaitGroup
	done := make(chan struct{})
	var during []time.Duration
	var qerr error
	wg.Go(func() {
		qrng := rand.New(rand.NewPCG(cfg.Seed, 11))
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			t0 := time.Now()
			rep := bot.Commands.Dispatch(ctx, &commands.Request{Platform: "cli", User: "bench", Channel: "bench",
				Text: "who-said " + topics[qrng.IntN(len(topics))]})
			during = append(during, time.Since(t0))
			if rep.Error {
				qerr = fmt.Errorf("who-said during ingest failed: %s", rep.Text)
				return
			}
		}
	})
	took, err := bulk(ctx, bot.Ingester, corpus, cfg.BatchSize)
	close(done)
	wg.Wait()
	if err != nil {
		return err
	}
	if qerr != nil {
		return qerr
	}
	r.IngestAtScaleArticlesPerS = round(float64(len(corpus))/took.Seconds(), 1)
	r.AfterIngest = ReadMemory()
	d := latency(during)
	r.WhoSaidIngestP50, r.WhoSaidIngestP99, r.WhoSaidIngestMax, r.WhoSaidIngestN = d.P50, d.P99, d.Max, d.N
	return bot.Close()
}

// Query is one timed command line.
type Query struct {
	Line string  `json:"line"`
	MS   float64 `json:"ms"`
}

// slowest keeps the n slowest queries, slowest first.
func slowest(qs []Query, q Query, n int) []Query {
	qs = append(qs, q)
	slices.SortFunc(qs, func(a, b Query) int { return cmp.Compare(b.MS, a.MS) })
	return qs[:min(n, len(qs))]
}

// Latency summarises timings in milliseconds.
type Latency struct {
	P50, P99, Max float64
	N             int
}

func latency(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return ms(s[max(0, min(i, len(s)-1))])
	}
	return Latency{P50: at(0.50), P99: at(0.99), Max: ms(s[len(s)-1]), N: len(s)}
}

func ms(d time.Duration) float64 { return round(float64(d.Microseconds())/1000, 3) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

func perCPU(n int, cpu float64) float64 {
	if cpu <= 0 {
		return 0
	}
	return round(float64(n)/cpu, 1)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round(a/b, 2)
}

// targets records the targets, each met or not.
func (r *Report) targets() {
	r.Targets = map[string]bool{
		"ingest_articles_per_s >= 300":            r.IngestArticlesPerS >= 300,
		"ingest_single_articles_per_s >= 50":      r.IngestSingleArticlesPerS >= 50,
		"extract_articles_per_s_per_core >= 2000": r.ExtractArticlesPerSPerCore >= 2000,
		"who_said_p50_ms <= 2":                    r.WhoSaidP50 <= 2,
		"who_said_p99_ms <= 10":                   r.WhoSaidP99 <= 10,
		"status_p50_ms <= 2":                      r.StatusP50 <= 2,
		"status_p99_ms <= 10":                     r.StatusP99 <= 10,
		"who_said_during_ingest_p99_ms <= 50":     r.WhoSaidIngestP99 <= 50,
		"open_ms <= 1000":                         r.OpenMS <= 1000,
		"rss_mb <= 300":                           r.RSSMB <= 300,
		"rss_anon_mb <= 300":                      r.RSSAnonMB <= 300,
		"after_ingest.rss_anon_mb <= 300":         r.AfterIngest.RSSAnonMB <= 300,
	}
	if r.Bleve != nil {
		r.Targets["faster than bleve at indexing"] = r.IndexSpeedupVsBleve > 1
		r.Targets["faster than bleve at who-said p50 and p99"] = r.WhoSaidP50SpeedupVsBleve > 1 && r.WhoSaidP99SpeedupVsBleve > 1
	}
}
