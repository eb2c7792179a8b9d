package commands

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/internal/fetch"
	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
	"newsbot/internal/webarticle"
)

func webPage(canonical, body string) string {
	link := ""
	if canonical != "" {
		link = `<link rel="canonical" href="` + canonical + `">`
	}
	return `<!DOCTYPE html><html><head><title>Dock strike | Herald</title>` + link + `</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport section</a></nav><article><h1>Dock strike</h1>` + body + `
<p>Union leaders said the strike would go on until the port authority offered a better deal to the night shift.</p>
<p>The port authority said it was ready to talk but would not reopen the pay offer made in the spring this year.</p>
</article></body></html>`
}

// `ingest URL` from chat goes through the guarded fetcher, and the same
// article is not stored twice: same canonical URL, or same text.
func TestIngestURLFromChat(t *testing.T) {
	pages := map[string]string{
		"/story":      webPage("https://herald.example/dock-strike", `<p>Bo Chan (person): the strike goes on</p>`),
		"/amp/story":  webPage("https://herald.example/dock-strike", `<p>Bo Chan (person): the strike goes on, amp edition</p>`),
		"/syndicated": webPage("", `<p>Bo Chan (person): the strike goes on</p>`),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to-loopback" {
			http.Redirect(w, r, "http://127.0.0.1:1/admin", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	newReg := func(allow ...string) *Registry {
		web, err := fetch.New(fetch.Config{AllowHosts: allow})
		if err != nil {
			t.Fatal(err)
		}
		reg, err := New(Deps{Store: st, Ingester: ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}}),
			Fetcher: webarticle.New(web)})
		if err != nil {
			t.Fatal(err)
		}
		return reg
	}
	ask := func(reg *Registry, line string) *Reply {
		return reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: line, IsAdmin: true})
	}

	guarded := newReg()
	r := ask(guarded, "ingest "+srv.URL+"/story")
	if !r.Error || !strings.Contains(r.Text, "refused to connect to 127.0.0.1") {
		t.Fatalf("loopback from chat: %s", allText(r))
	}

	reg := newReg("localhost", "127.0.0.1")
	if r := ask(reg, "ingest "+srv.URL+"/story"); r.Error || !strings.Contains(r.Title, "Dock strike") || !strings.Contains(r.Text, "1 new statement") {
		t.Fatalf("first: %s", allText(r))
	}
	r = ask(reg, "ingest "+srv.URL+"/amp/story")
	if !strings.Contains(r.Text, "already stored as article") || !strings.Contains(r.Text, "same URL, https://herald.example/dock-strike") {
		t.Errorf("same canonical URL: %s", allText(r))
	}
	if r := ask(reg, "ingest "+srv.URL+"/syndicated"); !strings.Contains(r.Text, "same text, https://herald.example/dock-strike") {
		t.Errorf("same text elsewhere: %s", allText(r))
	}
	if r := ask(reg, "ingest "+srv.URL+"/to-loopback"); !r.Error || !strings.Contains(r.Text, "refused to connect to 127.0.0.1") &&
		!strings.Contains(r.Text, "redirected to http://127.0.0.1:1/admin") {
		t.Errorf("redirect to loopback: %s", allText(r))
	}
	st.View(context.Background(), func(tx *store.Tx) error {
		arts, _ := tx.RecentArticles(10)
		if len(arts) != 1 || arts[0].URL != "https://herald.example/dock-strike" || arts[0].Outlet != "herald.example" {
			t.Errorf("articles %+v", arts)
		}
		return nil
	})
}
