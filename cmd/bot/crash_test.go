package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// crashCorpus writes n small articles the test made up, each with a few
// attributed quotes that share words and speakers across articles.
func crashCorpus(t *testing.T, dir string, n int) map[string]string {
	t.Helper()
	speakers := []string{"Mayor Ann Lee", "Councillor Tom Baker", "Judge Ruth Park", "Senator Omar Diaz"}
	texts := map[string]string{}
	for i := 0; i < n; i++ {
		text := fmt.Sprintf("Bridge report number %d\n\n", i)
		for j := 0; j < 1+i%4; j++ {
			text += fmt.Sprintf("\"The bridge plan %d will reach stage %d before the vote in district %d,\" %s said on Monday.\n\n",
				i, j, i%9, speakers[(i+j)%len(speakers)])
		}
		name := filepath.Join(dir, fmt.Sprintf("a%04d.txt", i))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		texts[name] = text
	}
	return texts
}

// TestSIGKILLDuringBulkIngest kills `bot ingest` at random moments, 50
// times. After each kill the database must open, `bot check` must find
// every invariant holding, and every article the bot reported done must be
// stored.
func TestSIGKILLDuringBulkIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 50 processes killed")
	}
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	os.Mkdir(corpus, 0o755)
	texts := crashCorpus(t, corpus, 400)
	db := filepath.Join(dir, "crash.db")
	doneLine := regexp.MustCompile(`^\[\d+/\d+\] (\S+): (\d+ new statements|already stored)`)
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	// The kills land after the process has started: what `bot version`
	// takes (over a second under the race detector on a loaded machine).
	started := time.Now()
	if out, err := exec.Command(bin, "version").CombinedOutput(); err != nil {
		t.Fatalf("bot version: %v %s", err, out)
	}
	startup := time.Since(started)
	reported := map[string]bool{}
	for round := 0; round < 50; round++ {
		cmd := exec.Command(bin, "ingest", "--db", db, corpus)
		cmd.Env = append(os.Environ(), "NEWSBOT_CONFIG=")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		timer := time.AfterFunc(startup+time.Duration(20+rng.IntN(400))*time.Millisecond, func() { cmd.Process.Kill() })
		for line := range lines {
			if m := doneLine.FindStringSubmatch(line); m != nil {
				reported[m[1]] = true
			}
		}
		timer.Stop()
		cmd.Wait()

		if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) && len(reported) == 0 {
			continue // killed while starting, before the database was created: nothing to check yet
		}
		if out, err := exec.Command(bin, "check", "--db", db).CombinedOutput(); err != nil {
			t.Fatalf("round %d: bot check after SIGKILL: %v\n%s", round, err, out)
		}
		st, err := store.Open(db, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: open after SIGKILL: %v", round, err)
		}
		err = st.View(context.Background(), func(tx *store.Tx) error {
			for name := range reported {
				if _, ok := tx.ArticleByTextHash(ingest.TextHash(texts[name])); !ok {
					t.Errorf("round %d: %s was reported done but is not stored", round, name)
				}
			}
			return nil
		})
		st.Close()
		if err != nil || t.Failed() {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	if len(reported) == 0 {
		t.Fatal("no ingest was ever reported done: the kills came too early to test anything")
	}
	t.Logf("50 kills; %d of %d articles reported done and all present", len(reported), len(texts))
}
