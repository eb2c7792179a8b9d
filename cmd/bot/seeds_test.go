package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is ../shared beside the repository: the seed articles and the
// evaluation sets, which never enter the repository. Tests that need it skip
// when it is absent.
func sharedDir(t *testing.T, sub ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{repoRoot(t), "..", "shared"}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("skipping: %s is absent (the shared data sets sit beside the repository; CI has them)", dir)
	}
	return dir
}

// TestSeedWhoSaidRefugees is the first session README describes: the
// console ingests a seed article and `who-said refugees` lists speakers with
// their words and the source file.
func TestSeedWhoSaidRefugees(t *testing.T) {
	seed := filepath.Join(sharedDir(t, "seeds"), "001_786a6af64ff516a4.txt")
	db := filepath.Join(t.TempDir(), "seed.db")
	stdout, stderr, err := bot(t, "ingest "+seed+"\nwho-said refugees\n", "--db", db)
	if err != nil {
		t.Fatalf("bot: %v\n%s", err, stderr)
	}
	_, answer, ok := strings.Cut(stdout, "Who said what about “refugees”")
	if !ok {
		t.Fatalf("no who-said reply in:\n%s", stdout)
	}
	if !strings.Contains(answer, "■ ") {
		t.Errorf("who-said refugees names no speaker:\n%s", answer)
	}
	if !strings.Contains(answer, "refugees") || !strings.Contains(answer, "“") {
		t.Errorf("who-said refugees quotes no words about refugees:\n%s", answer)
	}
	if !strings.Contains(answer, seed) {
		t.Errorf("who-said refugees does not name the source file %s:\n%s", seed, answer)
	}
}
