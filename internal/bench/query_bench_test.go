package bench

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"newsbot/internal/commands"
)

// benchArchive is a generated archive for the query benchmarks: the one
// $NEWSBOT_BENCH_ARCHIVE names (say, one `bot bench --dir` left), else
// 20,000 statements made once per run.
var benchArchive = sync.OnceValues(func() (string, error) {
	if p := os.Getenv("NEWSBOT_BENCH_ARCHIVE"); p != "" {
		return p, nil
	}
	dir, err := os.MkdirTemp("", "newsbot-bench-archive-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "archive.db")
	var r Report
	cfg := Config{Statements: 20_000, Articles: 2_000, Seed: 1}
	cfg.defaults()
	return path, r.generate(context.Background(), cfg, openBot, path, nil)
})

func benchQueries(b *testing.B, command string) {
	path, err := benchArchive()
	if err != nil {
		b.Fatal(err)
	}
	bot, err := openBot(path)
	if err != nil {
		b.Fatal(err)
	}
	defer bot.Close()
	topics, err := SampleTopics(context.Background(), bot.Store, 2000, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rep := bot.Commands.Dispatch(ctx, &commands.Request{Platform: "cli", User: "bench", Text: command + " " + topics[i%len(topics)]})
		if rep.Error {
			b.Fatal(rep.Text)
		}
	}
}

func BenchmarkWhoSaid(b *testing.B) { benchQueries(b, "who-said") }
func BenchmarkStatus(b *testing.B)  { benchQueries(b, "status") }
