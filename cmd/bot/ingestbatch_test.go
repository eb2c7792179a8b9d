package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ingested matches the moment an article was stored, which differs between runs.
var ingested = regexp.MustCompile(`"ingested":"[^"]*"`)

// Files ingested in batches give the same statements, merges, duplicates,
// failures and alerts, reported in the same order, as one at a time.
func TestIngestInBatchesAsOneByOne(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("a.txt", "Port talks resume\n\n\"The harbour expansion has started,\" harbour master Ines Ortega said on Monday.\n"),
		write("b.txt", "Harbour works\n\n\"Work on the harbour expansion has not started yet,\" port spokesman Tomas Berg said.\n"),
		write("bad.txt", "\xff\xfe not text"),
		write("a-again.txt", "Port talks resume\n\n\"The harbour expansion has started,\" harbour master Ines Ortega said on Monday.\n"),
		write("empty.txt", "  \n"),
		write("c.txt", "Harbour row\n\n\"The harbour expansion has started,\" harbour master Ines Ortega told reporters.\n\n"+
			"The council denied that the expansion had started, a spokeswoman said.\n"),
		filepath.Join(dir, "missing.txt"),
		"cmd/bot/testdata/bridge.txt",
		"cmd/bot/testdata/bridge2.txt",
	}
	run := func(batch string) (string, string) {
		db := filepath.Join(t.TempDir(), "x.db")
		stdout, stderr, err := bot(t, "", append([]string{"ingest", "--db", db, "--json", "--batch", batch,
			"--outlet", "Harbour Times", "--date", "2025-06-02"}, files...)...)
		if err == nil {
			t.Fatalf("ingest --batch %s: no error for the bad, empty and missing files", batch)
		}
		var items []string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.HasPrefix(l, "[") {
				items = append(items, strings.ReplaceAll(l, dir, "DIR"))
			}
		}
		if len(items) != len(files) {
			t.Fatalf("ingest --batch %s: %d item lines for %d files:\n%s", batch, len(items), len(files), stderr)
		}
		ask, _, err := bot(t, "", "ask", "--db", db, "--json", "who-said harbour expansion")
		if err != nil {
			t.Fatalf("ask: %v", err)
		}
		return stdout + strings.Join(items, "\n"), ingested.ReplaceAllString(ask, `"ingested":"T"`)
	}
	one, askOne := run("1")
	for _, batch := range []string{"2", "100"} {
		got, ask := run(batch)
		if got != one {
			t.Errorf("--batch %s reported\n%s\nwant, as --batch 1,\n%s", batch, got, one)
		}
		if ask != askOne {
			t.Errorf("--batch %s: who-said differs:\n%s\nwant\n%s", batch, ask, askOne)
		}
	}
	if !strings.Contains(one, "contradiction") {
		t.Errorf("no alert raised: the test would not compare any:\n%s", one)
	}
}
