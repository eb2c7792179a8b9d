package extract

import (
	"os"
	"path/filepath"
	"testing"

	"newsbot/internal/sharedtest"
)

// BenchmarkExtractBBC runs the extractor over the BBC corpus
// (../shared/corpus/bbc) and reports articles per second on one core.
func BenchmarkExtractBBC(b *testing.B) {
	dir := sharedtest.Path(b, "corpus/bbc")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		b.Skipf("no articles under %s: %v", dir, err)
	}
	texts := make([]string, 0, len(files))
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
		size += len(data)
	}
	ex := New()
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			ex.Extract(Document{Text: t, Headline: true})
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "articles/s")
}
