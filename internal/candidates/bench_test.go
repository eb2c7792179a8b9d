package candidates

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsbot/internal/ingest"
	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

// synthetic writes n statements of made-up news prose: words drawn from a
// Zipf-shaped vocabulary, one in five with a negation, two names each,
// dates spread over two years.
func synthetic(b *testing.B, st *store.Store, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 20000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", i) // one stem each
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	names := make([]string, 3000)
	for i := range names {
		names[i] = fmt.Sprintf("Name%d", i)
	}
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	const perArticle, perTx = 10, 2000
	ctx := context.Background()
	made := 0
	for made < n {
		err := st.Update(ctx, func(tx *store.Tx) error {
			for k := 0; k < perTx/perArticle && made < n; k++ {
				date := start.Add(time.Duration(rng.IntN(730*24)) * time.Hour)
				art := store.Article{ID: fmt.Sprintf("a%07d", made), File: "x", Published: date, Ingested: date, TextHash: fmt.Sprintf("h%d", made)}
				if err := tx.PutArticle(&art); err != nil {
					return err
				}
				sp := store.Speaker{Name: names[rng.IntN(len(names))], Type: "person"}
				if err := tx.PutSpeaker(&sp); err != nil {
					return err
				}
				for j := 0; j < perArticle && made < n; j++ {
					ws := make([]string, 12+rng.IntN(20))
					for i := range ws {
						ws[i] = vocab[zipf.Uint64()]
					}
					if rng.IntN(5) == 0 { // one in five negated, so flips are judged too
						ws[rng.IntN(len(ws))] = "not"
					}
					e1, e2 := names[rng.IntN(len(names))], names[rng.IntN(len(names))]
					text := strings.Join(ws, " ")
					sentence := e1 + " said " + text + " in " + e2
					s := store.Statement{SpeakerID: sp.ID, Text: text, Kind: "direct", Cue: "said",
						Sources:  []store.Source{{ArticleID: art.ID, Sentence: sentence, Date: date}},
						Terms:    textindex.Terms(text),
						Entities: ingest.Entities(sentence), QuoteHash: ingest.QuoteHash(text)}
					if err := tx.AddStatement(&s); err != nil {
						return err
					}
					made++
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the CPU time the process has used: on a shared machine the
// wall clock counts other processes' turns too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD, Linux
	var ru syscall.Rusage
	syscall.Getrusage(rusageThread, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCheckArticle measures the check of one new article (10
// statements) against 100,000 stored statements: retrieval through the
// indexes, loading and judging the candidates. Checked again and again,
// the candidates' analyses come from the cache after the first time
// (warm); cold empties the cache before each check.
func BenchmarkCheckArticle(b *testing.B) {
	// NEWSBOT_BENCH_DB keeps the 100,000-statement store between runs.
	path := os.Getenv("NEWSBOT_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	st, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var have uint64
	st.View(context.Background(), func(tx *store.Tx) error { have = tx.StatementCount(); return nil })
	if have == 0 {
		synthetic(b, st, 100_000)
	} else if have != 100_000 {
		b.Fatalf("%s holds %d statements, want 100000", path, have)
	}
	ctx := context.Background()
	var fresh []uint64
	st.View(ctx, func(tx *store.Tx) error {
		for id := tx.StatementCount(); id > tx.StatementCount()-10; id-- {
			fresh = append(fresh, id)
		}
		return nil
	})
	for _, cold := range []bool{false, true} {
		b.Run(map[bool]string{false: "warm", true: "cold"}[cold], func(b *testing.B) {
			c := newChecker(b, Options{})
			b.ResetTimer()
			cpu0 := cpuTime()
			judged := 0
			for i := 0; i < b.N; i++ {
				if cold {
					c.cache = newCache(c.o.CacheBytes)
				}
				err := st.View(ctx, func(tx *store.Tx) error {
					al, err := c.Check(ctx, tx, fresh)
					judged += len(al)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(judged)/float64(b.N), "alerts/op")
			b.ReportMetric(float64(c.judged.Load())/float64(b.N), "pairs-judged/op")
		})
	}
}
