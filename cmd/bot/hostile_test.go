package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/internal/hostiletest"
)

// An article whose headline, outlet, speaker and quotation carry terminal
// escapes (colour, clear screen, OSC 8 hyperlink, window title, BEL) and a
// bidi override: `bot ask` prints its statements without any of them, and
// the `bot ingest` summary too.
func TestAskPlainOutputIsTerminalSafe(t *testing.T) {
	dir := t.TempDir()
	article := "Shelters \x1b[31mplan\x1b[0m \x1b]0;pwned\x07 approved\n\n" +
		"\"We will open \x1b[2J\x1b[Hnew shelters for \x1b]8;;https://evil.example\x07refugees\x1b]8;;\x07 this winter,\" " +
		"Ann Lee said on Monday.\x07\n\n" +
		"\"The refugees shelter plan is \u202etoo little\u202c,\" Bo Chan said.\n"
	file := filepath.Join(dir, "hostile.txt")
	if err := os.WriteFile(file, []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "h.db")
	stdout, stderr, err := bot(t, "", "ingest", "--db", db, "--outlet", "Post\x1b[5m", file)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr)
	}
	for _, s := range []string{stdout, stderr} {
		if r := hostiletest.Unsafe(s); r >= 0 {
			t.Errorf("ingest printed %U: %q", r, s)
		}
	}
	stdout, stderr, err = bot(t, "", "ask", "--db", db, "who-said refugees")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	if r := hostiletest.Unsafe(stdout); r >= 0 {
		t.Errorf("ask printed %U:\n%q", r, stdout)
	}
	if !strings.Contains(stdout, "Ann Lee") || !strings.Contains(stdout, "shelters") {
		t.Fatalf("the statements are not shown, so the test shows nothing:\n%s", stdout)
	}
	t.Logf("ask output:\n%s", stdout)
}
