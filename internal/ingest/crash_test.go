package ingest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
)

// crashArticle is article i of the crash test: 1 to 5 statements, each
// with words shared across articles so indexes and merges get exercised.
func crashArticle(i int) (text string, statements int) {
	var b strings.Builder
	fmt.Fprintf(&b, "Article %d\n", i)
	n := 1 + i%5
	for j := 0; j < n; j++ {
		fmt.Fprintf(&b, "Speaker %d (person): the bridge plan %d is in stage %d of the project %d\n", j, i, j, i%7)
	}
	return b.String(), n
}

// TestCrashChild is the process the crash test kills: it ingests articles
// until it dies, printing "done N" once article N's transaction committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("NEWSBOT_CRASH_DB")
	if path == "" {
		t.Skip("run by TestSIGKILLDuringIngest")
	}
	first, _ := strconv.Atoi(os.Getenv("NEWSBOT_CRASH_FIRST"))
	st, err := store.Open(path, store.Options{LockTimeout: 10 * time.Second})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	in := New(Options{Store: st, Extractor: ingesttest.Lines{}})
	for i := first; ; i++ {
		text, _ := crashArticle(i)
		if _, err := in.Ingest(context.Background(), Input{Text: text, Headline: true, File: fmt.Sprintf("a%d.txt", i)}); err != nil {
			fmt.Println("ingest:", err)
			os.Exit(1)
		}
		fmt.Printf("done %d\n", i)
	}
}

// TestSIGKILLDuringIngest kills an ingesting process at random moments.
// Each time, the file must open, every invariant must hold, every article
// reported done must be there, and every article there must be whole.
func TestSIGKILLDuringIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: spawns processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	next := 0
	const rounds = 8
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NEWSBOT_CRASH_DB="+path, "NEWSBOT_CRASH_FIRST="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := map[int]bool{}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Let it write a few articles, then kill it mid-stream.
		killAfter := 3 + rng.IntN(25)
		for line := range lines {
			var i int
			if _, err := fmt.Sscanf(line, "done %d", &i); err != nil {
				t.Fatalf("child said %q", line)
			}
			done[i] = true
			if len(done) == killAfter {
				time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		cmd.Wait()
		if len(done) == 0 {
			t.Fatalf("round %d: child committed nothing", round)
		}
		for i := range done {
			next = max(next, i+1)
		}
		next++ // the killed article may or may not have committed: never reuse it

		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		st.View(context.Background(), func(tx *store.Tx) error {
			probs, err := tx.Check()
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range probs {
				t.Errorf("round %d: %s", round, p.What)
			}
			for i := range done {
				text, _ := crashArticle(i)
				if _, ok := tx.ArticleByTextHash(TextHash(text)); !ok {
					t.Errorf("round %d: article %d was reported done but is missing", round, i)
				}
			}
			return tx.ForEachArticle(func(a *store.Article) error {
				var i int
				fmt.Sscanf(a.Title, "Article %d", &i)
				if _, want := crashArticle(i); len(a.Statements) != want {
					t.Errorf("round %d: article %d holds %d of its %d statements", round, i, len(a.Statements), want)
				}
				return nil
			})
		})
		st.Close()
	}
}
