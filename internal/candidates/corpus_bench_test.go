package candidates

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"newsbot/internal/bench"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// timed is a Checker that adds up the time spent in checks (Prepare
// runs outside the write transaction, on every core: it is not counted).
type timed struct {
	*Checker
	took time.Duration
}

func (t *timed) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	defer t.time(time.Now())
	return t.Checker.Check(ctx, tx, fresh)
}

func (t *timed) CheckStatements(ctx context.Context, tx *store.Tx, fresh []*store.Statement) ([]store.Alert, error) {
	defer t.time(time.Now())
	return t.Checker.CheckStatements(ctx, tx, fresh)
}

func (t *timed) time(start time.Time) { t.took += time.Since(start) }

var _ interface {
	ingest.StatementChecker
	ingest.Preparer
} = &timed{}

// BenchmarkIngestCorpus bulk-ingests the BBC corpus (../shared/corpus/bbc,
// 100 articles a transaction) with the real extractor and the checker
// into a fresh store, as `bot bench` does; it reports articles per
// CPU-second, per CPU-second of the thread writing (the serial part: what
// bounds articles per second however many cores extract) and the share
// of the wall time spent checking; the entries the cache holds at the end,
// their estimated size, and the memory then: the heap's live bytes, its
// spans in use and the process's anonymous resident memory.
// NEWSBOT_CACHE_BYTES sets Options.CacheBytes (-1: no cache).
// NEWSBOT_ALERTS_OUT names a file to write the alerts to, one a line, to
// compare the verdicts of two versions.
func BenchmarkIngestCorpus(b *testing.B) {
	corpus, err := bench.LoadCorpus(filepath.Join(sharedDir(b), "corpus", "bbc"), 0)
	if err != nil {
		b.Fatal(err)
	}
	var o Options
	if v := os.Getenv("NEWSBOT_CACHE_BYTES"); v != "" {
		if o.CacheBytes, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	var cpu, wall, check, serial time.Duration
	var heapAlloc float64
	var mem bench.Memory
	var c *Checker
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := store.Open(filepath.Join(b.TempDir(), fmt.Sprintf("c%d.db", i)), store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		c = newChecker(b, o)
		tc := &timed{Checker: c}
		in := ingest.New(ingest.Options{Store: st, Extractor: extract.New(), Checker: tc})
		var out []string
		b.StartTimer()
		cpu0, start := cpuTime(), time.Now()
		for rest := corpus; len(rest) > 0; {
			n := min(100, len(rest))
			// The write transaction runs on this goroutine, locked to
			// its thread: that thread's CPU time is the serial part.
			runtime.LockOSThread()
			th0 := threadCPU()
			items, err := in.IngestBatch(ctx, rest[:n])
			serial += threadCPU() - th0
			runtime.UnlockOSThread()
			if err != nil {
				b.Fatal(err)
			}
			for _, it := range items {
				if it.Err != nil && !errors.Is(it.Err, ingest.ErrEmpty) {
					b.Fatal(it.Err)
				}
				for _, a := range it.Result.Alerts {
					out = append(out, fmt.Sprintf("%s\t%s\t%.3f\t%q\t%q\t%q", a.New.Speaker, a.Old.Speaker, a.Score, a.Reasons, a.New.Text, a.Old.Text))
				}
			}
			rest = rest[n:]
		}
		cpu, wall, check = cpu+cpuTime()-cpu0, wall+time.Since(start), check+tc.took
		b.StopTimer()
		// Memory with the checker's cache as the ingest left it.
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heapAlloc, mem = float64(ms.HeapAlloc)/(1<<20), bench.ReadMemory()
		runtime.KeepAlive(c)
		st.Close()
		if path := os.Getenv("NEWSBOT_ALERTS_OUT"); path != "" && i == 0 {
			if err := writeLines(path, out); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	n := float64(len(corpus) * b.N)
	b.ReportMetric(n/cpu.Seconds(), "articles/cpu-s")
	b.ReportMetric(n/wall.Seconds(), "articles/s")
	b.ReportMetric(100*check.Seconds()/wall.Seconds(), "check-%")
	if serial > 0 { // threads' CPU time is known on Linux only
		b.ReportMetric(n/serial.Seconds(), "articles/serial-cpu-s")
	}
	b.ReportMetric(float64(c.judged.Load()), "pairs-judged")
	entries, bytes := c.cache.stats()
	b.ReportMetric(float64(entries), "cached")
	b.ReportMetric(float64(bytes)/(1<<20), "cache-MiB")
	b.ReportMetric(heapAlloc, "heap-live-MiB")
	b.ReportMetric(mem.HeapInuseMB, "heap-inuse-MiB")
	b.ReportMetric(mem.RSSAnonMB, "rss-anon-MiB")
	b.ReportMetric(float64(c.analyses.Load()), "analyses")
	b.ReportMetric(float64(c.hits.Load()), "cache-hits")
	b.ReportMetric(float64(c.preparedHits.Load()), "prepared-used")
}

func writeLines(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
	return f.Close()
}
