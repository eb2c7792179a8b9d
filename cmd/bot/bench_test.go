package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestBenchJSON runs `bot bench --json` at a tiny size on articles of our
// own, through the wiring the bot uses, and checks the contract's keys.
func TestBenchJSON(t *testing.T) {
	corpus := t.TempDir()
	for i := range 4 {
		text := fmt.Sprintf("Bridge plan %d\n\n“We will build it by spring,” Ann Lee said of bridge %d.\n\n“It costs too much,” said Bo Chan.\n", i, i)
		if err := os.WriteFile(filepath.Join(corpus, fmt.Sprintf("%d.txt", i)), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("NEWSBOT_CONFIG", "")
	var stdout, stderr bytes.Buffer
	err := dispatch(context.Background(), []string{"bench", "--json", "--statements", "300", "--articles", "30",
		"--corpus", corpus, "--queries", "20", "--status-queries", "5", "--no-bleve", "--dir", t.TempDir()}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, stdout.String())
	}
	for _, k := range []string{"ingest_articles_per_s", "ingest_single_articles_per_s", "extract_articles_per_s_per_core",
		"who_said_p50_ms", "who_said_p99_ms", "status_p99_ms", "open_ms", "rss_mb", "rss_file_mb", "rss_anon_mb",
		"db_bytes_per_statement", "who_said_during_ingest_p50_ms", "who_said_during_ingest_p99_ms", "statements",
		"articles", "corpus_articles", "targets", "machine"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, stdout.String())
		}
	}
	if n, _ := got["statements"].(float64); n < 200 {
		t.Errorf("statements = %v, want about 300", got["statements"])
	}
}
