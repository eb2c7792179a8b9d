package webarticle

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"newsbot/internal/fetch"
)

func TestFetchArticle(t *testing.T) {
	page, err := os.ReadFile("../htmltext/testdata/story.html")
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer s.Close()
	web, err := fetch.New(fetch.Config{AllowHosts: []string{"127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := New(web).Fetch(context.Background(), s.URL+"/a.html?utm_source=feed")
	if err != nil {
		t.Fatal(err)
	}
	if in.URL != "https://riverside.example/news/2024/03/harbour-bridge-reopens" || in.Outlet != "The Riverside Post" ||
		in.Extractor != "trafilatura" || !in.Headline || in.Published.IsZero() || in.Author == "" {
		t.Fatalf("input %+v", in)
	}
	if !strings.HasPrefix(in.Text, "Harbour bridge reopens after two years of repairs\n\nThe harbour bridge reopened") {
		t.Fatalf("text %q", in.Text[:100])
	}

	// Unguarded by the allowlist, the same fetch is refused.
	web, _ = fetch.New(fetch.Config{})
	if _, err := New(web).Fetch(context.Background(), s.URL+"/a.html"); err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("loopback fetched: %v", err)
	}
}

func TestNormaliseURL(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://News.Example:443/a?utm_source=x&id=3&fbclid=y#top": "https://news.example/a?id=3",
		"http://news.example:80":                                    "http://news.example/",
		"http://news.example:8080/a?":                               "http://news.example:8080/a",
		"ftp://news.example/a":                                      "",
		"/relative":                                                 "",
	} {
		if got := NormaliseURL(in); got != want {
			t.Errorf("NormaliseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFromDocument(t *testing.T) {
	in, err := FromDocument([]byte("# Council votes\n\nThe **council** voted, [said](http://x) the mayor.\n\n- item one\n"), "text/markdown", "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Text != "Council votes\n\nThe council voted, said the mayor.\n\nitem one" {
		t.Errorf("markdown %q", in.Text)
	}
	if _, err := FromDocument([]byte("%PDF"), "application/pdf", ""); err == nil {
		t.Error("pdf accepted")
	}
}

// A canonical link to the home page is ignored: the article keeps its own
// URL.
func TestCanonicalHomePageIgnored(t *testing.T) {
	page := []byte(`<html><head><title>Dock strike</title><link rel="canonical" href="https://herald.example/"></head><body><article>` +
		strings.Repeat("<p>Union leaders said the strike would go on until the port authority offered a better deal.</p>", 4) +
		`</article></body></html>`)
	in, err := FromHTML(page, "text/html", "https://herald.example/news/dock-strike?utm_medium=x")
	if err != nil {
		t.Fatal(err)
	}
	if in.URL != "https://herald.example/news/dock-strike" {
		t.Errorf("URL %q", in.URL)
	}
}
