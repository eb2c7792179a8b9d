package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/internal/store"
)

const testStory = `<!DOCTYPE html><html><head><title>Ferry fares to rise | Harbour Herald</title>
<meta property="og:site_name" content="Harbour Herald"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferry fares to rise</h1>
<p>Ferry fares will rise by ten percent in April, the operator said on Monday, blaming the cost of fuel.</p>
<p>"We have held prices for three years and cannot hold them any longer," said Tom Reed, the operator's chief executive.</p>
<p>Passenger groups said the rise would hurt commuters who have no other way to reach the mainland every day.</p>
</article><div class="comments"><p>Outrageous! Nobody asked us about this at all.</p></div></body></html>`

// `bot ingest --db x.db http://127.0.0.1:PORT/a.html` is refused, naming
// the blocked address, unless the configuration allowlists it.
func TestIngestURLGuard(t *testing.T) {
	t.Setenv("NEWSBOT_CONFIG", "")
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(testStory))
	}))
	defer srv.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	url := srv.URL + "/a.html"

	var stdout, stderr bytes.Buffer
	err := runIngest(context.Background(), []string{"--db", db, url}, &stdout, &stderr)
	if err == nil {
		t.Fatalf("loopback URL ingested:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "refused to connect to 127.0.0.1") || !strings.Contains(stderr.String(), "loopback") {
		t.Fatalf("refusal does not name the blocked address:\n%s", stderr.String())
	}
	if hits != 0 {
		t.Fatalf("the server was reached %d times", hits)
	}

	cfgPath := filepath.Join(dir, "newsbot.toml")
	if err := os.WriteFile(cfgPath, []byte("[ingest]\nallow_hosts = [\"127.0.0.1\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if err := runIngest(context.Background(), []string{"--config", cfgPath, "--db", db, url}, &stdout, &stderr); err != nil {
		t.Fatalf("allowlisted URL: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "1 ingested") {
		t.Fatalf("summary:\n%s", stderr.String())
	}
	// The same page again is a duplicate, named.
	stderr.Reset()
	if err := runIngest(context.Background(), []string{"--config", cfgPath, "--db", db, url + "?utm_source=x"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "already stored as") || !strings.Contains(stderr.String(), "same URL, "+url) {
		t.Fatalf("duplicate not named:\n%s", stderr.String())
	}

	arts := storedArticles(t, db, nil)
	if len(arts) != 1 {
		t.Fatalf("%d articles stored", len(arts))
	}
	a := arts[0]
	if a.URL != url || a.Outlet != "Harbour Herald" || a.Title != "Ferry fares to rise" ||
		!strings.HasPrefix(a.Extractor, "trafilatura") || strings.Contains(a.Text, "Outrageous") || strings.Contains(a.Text, "Sport") {
		t.Errorf("article %+v", a)
	}
}

// storedArticles opens the database read-only and returns its latest
// articles; more, if set, looks at the rest inside the same transaction.
func storedArticles(t *testing.T, db string, more func(tx *store.Tx)) []store.Article {
	t.Helper()
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var arts []store.Article
	err = st.View(context.Background(), func(tx *store.Tx) error {
		var err error
		arts, err = tx.RecentArticles(100)
		if more != nil {
			more(tx)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// A bulk run reports a failing item, skips it, and sums up.
func TestBulkIngestReportsFailures(t *testing.T) {
	t.Setenv("NEWSBOT_CONFIG", "")
	dir := t.TempDir()
	good := filepath.Join(dir, "a.html")
	os.WriteFile(good, []byte(testStory), 0o600)
	md := filepath.Join(dir, "b.md")
	os.WriteFile(md, []byte("# Council meets\n\nThe council met on **Tuesday**, said [Ann Lee](http://x), the clerk.\n"), 0o600)
	var stdout, stderr bytes.Buffer
	missing := filepath.Join(dir, "missing.txt")
	err := runIngest(context.Background(), []string{"--db", filepath.Join(dir, "x.db"), good, "http://127.0.0.1:9/x", missing, md},
		&stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "2 of 4 items failed") {
		t.Fatalf("err = %v", err)
	}
	out := stderr.String()
	for _, want := range []string{"[1/4] " + good + ": ", "[2/4] http://127.0.0.1:9/x: FAILED: refused to connect to 127.0.0.1",
		"[3/4] " + missing + ": FAILED: ", "no such file", "[4/4] " + md + ": ", "done: 4 items", "2 ingested", "2 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

func TestProgressStatus(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 4)
	p.tty = true
	now := p.start
	p.now = func() time.Time { return now }
	now = now.Add(2 * time.Second)
	p.item("[1/4] a: ok")
	if got := b.String(); got != "[1/4] a: ok\n[1/4] 0.5 items/s, about 6s left" {
		t.Fatalf("after one: %q", got)
	}
	b.Reset()
	now = now.Add(2 * time.Second)
	p.item("[2/4] b: ok")
	if got := b.String(); got != "\r\x1b[K[2/4] b: ok\n[2/4] 0.5 items/s, about 4s left" {
		t.Fatalf("after two: %q", got)
	}
}
