package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/internal/store"
)

// The running bot polls a feed added from the console and ingests its item.
func TestRunningBotPollsFeeds(t *testing.T) {
	bin, err := botBinary()
	if err != nil {
		t.Fatal(err)
	}
	var articleHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title>`+
				`<item><title>Ferry fares to rise</title><link>http://%s/a.html</link><guid>a</guid></item></channel></rss>`, r.Host)
		case "/a.html":
			articleHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, testStory)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "run.db")
	cfg := filepath.Join(dir, "newsbot.toml")
	os.WriteFile(cfg, []byte("[ingest]\nallow_hosts = [\"127.0.0.1\"]\n"), 0o600)
	cmd := exec.Command(bin, "--config", cfg, "--db", db)
	cmd.Env = append(os.Environ(), "NEWSBOT_CONFIG=")
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	errOut, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	fmt.Fprintf(stdin, "feeds add %s/feed.xml\n", srv.URL)
	lines := make(chan string, 100)
	scan := func(r io.Reader) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}
	go scan(out)
	go scan(errOut)
	// The poller logs each poll once its items are stored.
	deadline := time.After(30 * time.Second)
	for polled := false; !polled; {
		select {
		case l := <-lines:
			if strings.Contains(l, "Could not add") {
				t.Fatalf("feeds add: %s", l)
			}
			polled = strings.Contains(l, "feed polled") && strings.Contains(l, "new=1")
		case <-deadline:
			t.Fatalf("the poller never ingested the feed's article (%d fetches)", articleHits.Load())
		}
	}
	go func() {
		for range lines {
		}
	}()
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("bot: %v", err)
	}
	arts := storedArticles(t, db, func(tx *store.Tx) {
		feeds, _ := tx.Feeds()
		if len(feeds) != 1 || feeds[0].LastPolled.IsZero() || tx.FeedItemCount(feeds[0].ID) != 1 {
			t.Errorf("feeds %+v", feeds)
		}
	})
	if len(arts) != 1 || arts[0].Title != "Ferry fares to rise" || arts[0].Outlet != "Harbour Herald" {
		t.Errorf("articles %+v", arts)
	}
}
