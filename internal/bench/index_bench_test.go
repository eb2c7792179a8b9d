package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkIndex writes a generated archive of 20,000 statements through
// the bulk ingest path without the contradiction check, as
// index_statements_per_s does: it reports statements a second of wall
// time and a second of processor time.
func BenchmarkIndex(b *testing.B) {
	const statements = 20_000
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "archive.db")
		var r Report
		cfg := Config{Statements: statements, Articles: statements / 10, Seed: 1}
		cfg.defaults()
		b.StartTimer()
		if err := r.generate(context.Background(), cfg, openBot, path, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.IndexStatementsPerS, "statements/s")
		b.ReportMetric(r.IndexStatementsPerCPUS, "statements/cpu-s")
		if fi, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(fi.Size())/float64(r.Statements), "bytes/statement")
		}
	}
}
