package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/control"
	"newsbot/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// botBinary builds the bot once per test run.
var botBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "newsbot-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "bot")
	out, err := exec.Command("go", "build", "-race", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return bin, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// repoRoot is where README's commands run from.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// bot runs the binary in the repository root with stdin and returns its
// stdout, stderr and error.
func bot(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "NEWSBOT_CONFIG=")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	return stdout.String(), stderr.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update)
}

// TestConsoleSession pipes a session into `bot` with no configuration and
// compares the transcript with the golden one.
func TestConsoleSession(t *testing.T) {
	session, err := os.ReadFile("testdata/session.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "newsbot.db")
	stdout, stderr, err := bot(t, string(session), "--db", db)
	if err != nil {
		t.Fatalf("bot: %v\n%s", err, stderr)
	}
	golden(t, "session.golden", withoutToday(stdout, time.Now()))
}

// withoutToday replaces the dates the bot stamps from the clock (the day
// the test ingested the articles) with <today>, so the golden transcript
// does not depend on the day it runs. The day before is replaced too, for a
// run that crosses midnight.
func withoutToday(s string, now time.Time) string {
	for _, d := range []time.Time{now, now.Add(-24 * time.Hour)} {
		s = strings.ReplaceAll(s, d.UTC().Format("2006-01-02"), "<today>")
	}
	return s
}

// TestDefaultDatabase: `bot` with no arguments and no configuration runs
// the console on ./newsbot.db.
func TestDefaultDatabase(t *testing.T) {
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NEWSBOT_CONFIG=")
	cmd.Stdin = strings.NewReader("stats\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), "Statements: 0") {
		t.Errorf("output: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "newsbot.db")); err != nil {
		t.Errorf("no ./newsbot.db: %v", err)
	}
}

// TestIngestAndAskContract follows DESIGN.md's command-line contract.
func TestIngestAndAskContract(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	stdout, stderr, err := bot(t, "", "ingest", "--db", db, "--json", "--outlet", "Riverside Post",
		"--date", "2024-03-05", "cmd/bot/testdata/bridge.txt", "cmd/bot/testdata/bridge2.txt")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil || m["kind"] != "contradiction" {
			t.Errorf("ingest --json line %q: %v", line, err)
		}
	}
	if !strings.Contains(stderr, "2 ingested") {
		t.Errorf("no summary on stderr: %s", stderr)
	}

	stdout, stderr, err = bot(t, "", "ask", "--db", db, "--json", "who-said bridge")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	if strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
		t.Errorf("ask --json printed more than one line: %s", stdout)
	}
	var reply commands.Reply
	if err := json.Unmarshal([]byte(stdout), &reply); err != nil {
		t.Fatalf("ask --json: %v: %s", err, stdout)
	}
	speakers := map[string]bool{}
	for _, s := range reply.Sections {
		speakers[s.Heading] = true
		for _, st := range s.Statements {
			if len(st.Sources) == 0 || st.Sources[0].File == "" {
				t.Errorf("statement without its source file: %+v", st)
			}
		}
	}
	if !speakers["Elena Ruiz"] {
		t.Errorf("who-said bridge speakers = %v, want Elena Ruiz among them", speakers)
	}
	// The quote both outlets carried is one statement with two sources.
	for _, s := range reply.Sections {
		for _, st := range s.Statements {
			if strings.HasPrefix(st.Text, "This bridge will connect") && len(st.Sources) != 2 {
				t.Errorf("shared quote has %d sources, want 2", len(st.Sources))
			}
		}
	}

	// A failing command exits non-zero, its reply still printed.
	stdout, _, err = bot(t, "", "ask", "--db", db, "who-sad bridge")
	if err == nil || !strings.Contains(stdout, `Did you mean "who-said"`) {
		t.Errorf("unknown command: err %v, reply %s", err, stdout)
	}
}

// TestRunningBotServesAskAndBackup: while the console bot holds the
// database, a second process gets a clear lock error on ingest, and `ask`
// and `backup` are answered by the running bot.
func TestRunningBotServesAskAndBackup(t *testing.T) {
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "run.db")
	cmd := exec.Command(bin, "--db", db)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), "NEWSBOT_CONFIG=")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	stdin.Write([]byte("ingest cmd/bot/testdata/bridge.txt\n"))
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "Ingested") {
	}
	go func() {
		for sc.Scan() {
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(control.SocketPath(db)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("control socket never appeared")
		}
		time.Sleep(20 * time.Millisecond)
	}

	start := time.Now()
	_, stderr, err := bot(t, "", "ingest", "--db", db, "cmd/bot/testdata/bridge2.txt")
	if err == nil || !strings.Contains(stderr, "locked by another process") {
		t.Errorf("second writer: err %v, stderr %s", err, stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("lock error took %s", d)
	}

	stdout, stderr, err := bot(t, "", "ask", "--db", db, "--json", "stats")
	if err != nil || !strings.Contains(stdout, `"Articles"`) {
		t.Errorf("ask via running bot: %v %s %s", err, stdout, stderr)
	}
	backup := filepath.Join(dir, "copy.db")
	if _, stderr, err := bot(t, "", "backup", "--db", db, backup); err != nil {
		t.Fatalf("backup via running bot: %v %s", err, stderr)
	}
	// Restoring over a database in use is refused before anything changes.
	if _, stderr, err := bot(t, "", "restore", "--db", db, backup); err == nil || !strings.Contains(stderr, "stop the bot first") {
		t.Errorf("restore while the bot runs: err %v, stderr %s", err, stderr)
	}
	stdin.Close()
	cmd.Wait()
	if _, stderr, err := bot(t, "", "check", "--db", backup); err != nil {
		t.Errorf("backup fails check: %v %s", err, stderr)
	}
	stdout, _, err = bot(t, "", "ask", "--db", backup, "who-said bridge")
	if err != nil || !strings.Contains(stdout, "Elena Ruiz") {
		t.Errorf("backup lacks the data: %v %s", err, stdout)
	}
}

func TestExport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if _, stderr, err := bot(t, "", "ingest", "--db", db, "cmd/bot/testdata/bridge.txt"); err != nil {
		t.Fatal(err, stderr)
	}
	stdout, stderr, err := bot(t, "", "export", "--db", db, "--format", "jsonl")
	if err != nil {
		t.Fatal(err, stderr)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var row exportRow
		if err := json.Unmarshal([]byte(line), &row); err != nil || row.Speaker == "" || len(row.Sources) == 0 {
			t.Errorf("export line %q: %v", line, err)
		}
		n++
	}
	if n == 0 {
		t.Error("nothing exported")
	}
	stdout, _, err = bot(t, "", "export", "--db", db, "--format", "csv")
	if err != nil || !strings.HasPrefix(stdout, "statement,speaker,") {
		t.Errorf("csv: %v %q", err, stdout)
	}
	if _, stderr, err := bot(t, "", "export", "--db", db, "--format", "xml"); err == nil || !strings.Contains(stderr, "want jsonl or csv") {
		t.Errorf("bad format: %v %s", err, stderr)
	}
}

// TestOperationsListener: with http.listen configured, the running bot
// serves /healthz and /metrics, and counts what it does.
func TestOperationsListener(t *testing.T) {
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "newsbot.toml")
	if err := os.WriteFile(cfg, []byte("[http]\nlisten = \""+addr+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", cfg, "--db", filepath.Join(dir, "ops.db"))
	cmd.Dir = repoRoot(t)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	stdin.Write([]byte("ingest cmd/bot/testdata/bridge.txt\nwho-said bridge\n"))

	var body string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			if strings.Contains(body, `newsbot_ingests_total{result="new"} 1`) &&
				strings.Contains(body, `command="who-said",outcome="ok"`) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, `newsbot_ingests_total{result="new"} 1`) || !strings.Contains(body, `command="who-said"`) {
		t.Fatalf("metrics never showed the ingest and the query:\n%s", body)
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v %v", resp, err)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("bot did not exit cleanly at end of input: %v", err)
	}
}
