package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupAndRestore: a backup restored over a database that has moved on
// brings back exactly the backed-up records, keeps the replaced file, and a
// file that is not a newsbot database is refused with the database untouched.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	bak := filepath.Join(dir, "news.bak")
	run := func(args ...string) string {
		t.Helper()
		stdout, stderr, err := bot(t, "", args...)
		if err != nil {
			t.Fatalf("bot %v: %v\n%s", args, err, stderr)
		}
		return stdout + stderr
	}
	stats := func() string { return run("ask", "--db", db, "stats") }

	run("ingest", "--db", db, "cmd/bot/testdata/bridge.txt")
	before := stats()
	run("backup", "--db", db, bak)
	run("ingest", "--db", db, "cmd/bot/testdata/bridge2.txt")
	if moved := stats(); moved == before {
		t.Fatalf("the second ingest changed nothing:\n%s", moved)
	}
	out := run("restore", "--db", db, bak)
	if after := stats(); after != before {
		t.Errorf("after restore:\n%s\nwant what was backed up:\n%s", after, before)
	}
	kept, _ := filepath.Glob(db + ".pre-restore-*")
	if len(kept) != 1 || !strings.Contains(out, kept[0]) {
		t.Fatalf("replaced database not kept or not named: %v\n%s", kept, out)
	}
	// The kept file is the database as it was before the restore: two articles.
	if got := run("ask", "--db", kept[0], "stats"); !strings.Contains(got, "Articles: 2") {
		t.Errorf("kept file does not hold the replaced database:\n%s", got)
	}

	junk := filepath.Join(dir, "junk.bak")
	if err := os.WriteFile(junk, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := bot(t, "", "restore", "--db", db, junk)
	if err == nil || !strings.Contains(stderr, "not a usable newsbot database") {
		t.Errorf("restoring junk: err %v, stderr %s", err, stderr)
	}
	if got := stats(); got != before {
		t.Errorf("a refused restore changed the database:\n%s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".restore-*")); len(left) > 0 {
		t.Errorf("staging files left behind: %v", left)
	}
}
