package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsbot/internal/commands"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// writeCorpus writes a few short articles of our own, in the corpus
// layout: one per file, first line the headline.
func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := range 6 {
		text := fmt.Sprintf("Council vote %d\n\n“We will build bridge %d by spring,” Ann Lee said on Monday.\n\n"+
			"The opposition leader disagreed.\n\n“It is far too costly,” said Bo Chan.\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openBot wires a bot the way cmd/bot does, minus configuration.
func openBot(path string) (*Bot, error) {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return nil, err
	}
	in := ingest.New(ingest.Options{Store: st, Extractor: extract.New()})
	reg, err := commands.New(commands.Deps{Store: st, Ingester: in})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &Bot{Store: st, Ingester: in, Commands: reg, Close: st.Close}, nil
}

func TestRunTiny(t *testing.T) {
	rep, err := Run(context.Background(), Config{Statements: 600, Articles: 60, CorpusDir: writeCorpus(t),
		Queries: 30, StatusQueries: 10, Bleve: true, Dir: t.TempDir(), ExtractFor: time.Millisecond}, openBot)
	if err != nil {
		t.Fatal(err)
	}
	if rep.CorpusArticles != 6 || rep.SingleArticles != 6 {
		t.Errorf("corpus %d, single %d: want 6 and 6", rep.CorpusArticles, rep.SingleArticles)
	}
	// Some generated quotes are carried again and merge: fewer statements
	// than generated, but most of them.
	if rep.Statements < 450 || rep.Statements > 600 || rep.Articles != 60 || rep.Speakers == 0 {
		t.Errorf("archive: %d statements, %d articles, %d speakers", rep.Statements, rep.Articles, rep.Speakers)
	}
	for name, v := range map[string]float64{
		"extract": rep.ExtractArticlesPerSPerCore, "bulk": rep.IngestArticlesPerS, "single": rep.IngestSingleArticlesPerS,
		"at scale": rep.IngestAtScaleArticlesPerS, "index": rep.IndexStatementsPerS, "who-said p50": rep.WhoSaidP50,
		"who-said p99": rep.WhoSaidP99, "status p99": rep.StatusP99, "db bytes": rep.DBBytesPerStatement,
		"statements per article": rep.ExtractStatementsPerArticle,
	} {
		if v <= 0 {
			t.Errorf("%s = %v, want a measurement", name, v)
		}
	}
	if rep.WhoSaidP50 > rep.WhoSaidP99 || rep.WhoSaidP99 > rep.WhoSaidMax {
		t.Errorf("who-said percentiles out of order: %v %v %v", rep.WhoSaidP50, rep.WhoSaidP99, rep.WhoSaidMax)
	}
	if rep.Bleve == nil || rep.Bleve.Statements < rep.Statements || rep.IndexSpeedupVsBleve <= 0 || rep.WhoSaidP50SpeedupVsBleve <= 0 {
		t.Errorf("bleve baseline: %+v, ratios %v %v", rep.Bleve, rep.IndexSpeedupVsBleve, rep.WhoSaidP50SpeedupVsBleve)
	}
	if len(rep.Targets) < 10 {
		t.Errorf("targets: %v", rep.Targets)
	}
	if ReadMemory().Known && (rep.RSSMB <= 0 || rep.RSSAnonMB <= 0) {
		t.Errorf("memory: %+v", rep.Memory)
	}
}

func TestRunWithoutCorpusSaysWhere(t *testing.T) {
	_, err := Run(context.Background(), Config{Statements: 10, CorpusDir: filepath.Join(t.TempDir(), "absent")}, openBot)
	if err == nil || !strings.Contains(err.Error(), "absent") || !strings.Contains(err.Error(), "--corpus") {
		t.Fatalf("err = %v, want the missing directory named and the flag", err)
	}
}

func TestGeneratorWritesWhatItsExtractorFinds(t *testing.T) {
	g := NewGenerator(GenConfig{Statements: 2000, Articles: 200, Seed: 3, Words: []string{"the", "bridge", "council", "said", "budget"}})
	ext := g.Extractor()
	counts := map[string]int{}
	total, arts := 0, 0
	for {
		batch := g.Next(50)
		if len(batch) == 0 {
			break
		}
		for _, a := range batch {
			arts++
			found := ext.Extract(extract.Document{Text: a.Text, Headline: true})
			if len(found) == 0 {
				t.Fatalf("article %s: no statements", a.URL)
			}
			runes := []rune(a.Text)
			for _, st := range found {
				if got := string(runes[st.Start:st.End]); got != st.Text {
					t.Fatalf("offsets [%d,%d) give %q, want %q", st.Start, st.End, got, st.Text)
				}
				if !strings.Contains(st.Sentence, st.Text) || !strings.Contains(a.Text, st.Sentence) {
					t.Fatalf("sentence %q does not hold %q or is not in the text", st.Sentence, st.Text)
				}
				counts[st.Speaker.Name]++
				total++
			}
			if again := ext.Extract(extract.Document{Text: a.Text}); again != nil {
				t.Fatalf("a text answered twice")
			}
			if !utf8.ValidString(a.Text) || a.Published.IsZero() || a.URL == "" {
				t.Fatalf("article %+v", a)
			}
		}
	}
	if arts != 200 || total < 1500 || total > 2500 {
		t.Errorf("%d articles, %d statements: want 200 and about 2000", arts, total)
	}
	// Zipf: the busiest speaker says far more than a typical one.
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	if mean := float64(total) / float64(len(counts)); float64(top) < 5*mean {
		t.Errorf("top speaker %d statements, mean %.1f: not heavy-tailed", top, mean)
	}
	// The same seed makes the same archive.
	a := NewGenerator(GenConfig{Statements: 100, Articles: 10, Seed: 9}).Next(3)
	b := NewGenerator(GenConfig{Statements: 100, Articles: 10, Seed: 9}).Next(3)
	if a[2].Text != b[2].Text {
		t.Error("generation is not deterministic")
	}
}

func TestLatencyPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	l := latency(ds)
	if l.P50 != 50 || l.P99 != 99 || l.Max != 100 || l.N != 100 {
		t.Errorf("latency = %+v", l)
	}
}
