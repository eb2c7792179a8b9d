package commands

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
)

// fakeFeeds stores feeds as the real service does, without fetching.
type fakeFeeds struct {
	st    *store.Store
	added []string
}

func (f *fakeFeeds) Add(ctx context.Context, url, by string, every time.Duration) (store.Feed, error) {
	if strings.Contains(url, "broken") {
		return store.Feed{}, errors.New(url + ": the server answered 404 Not Found")
	}
	f.added = append(f.added, by)
	feed := store.Feed{URL: url, Title: "Herald", Interval: max(every, 15*time.Minute), AddedBy: by}
	err := f.st.Update(ctx, func(tx *store.Tx) error { return tx.AddFeed(&feed) })
	return feed, err
}

func (f *fakeFeeds) Remove(ctx context.Context, id uint64) (store.Feed, error) {
	var feed store.Feed
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		var err error
		feed, err = tx.DeleteFeed(id)
		return err
	})
	return feed, err
}

func (f *fakeFeeds) NextPoll(feed store.Feed) time.Time {
	return feed.LastPolled.Add(feed.Interval * 2)
}

func (f *fakeFeeds) MinInterval() time.Duration { return time.Minute }

func newFeedBot(t *testing.T, withFeeds bool) (*Registry, *fakeFeeds, *store.Store) {
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := func() time.Time { return time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC) }
	d := Deps{Store: st, Ingester: ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}}), Now: now}
	ff := &fakeFeeds{st: st}
	if withFeeds {
		d.Feeds = ff
	}
	reg, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return reg, ff, st
}

func TestFeedsCommands(t *testing.T) {
	reg, ff, st := newFeedBot(t, true)
	ask := func(admin bool, line string) *Reply {
		return reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: line, IsAdmin: admin})
	}
	if r := ask(false, "feeds"); r.Error || !strings.Contains(r.Text, "None yet") {
		t.Fatalf("empty list: %s", allText(r))
	}
	if r := ask(false, "feeds add https://herald.example/rss"); !r.Error || !strings.Contains(r.Text, "admins only") {
		t.Fatalf("non-admin add: %s", allText(r))
	}
	r := ask(true, "feeds add https://herald.example/rss 30m")
	if r.Error || !strings.Contains(r.Title, "Herald") || !strings.Contains(r.Text, "F1") || !strings.Contains(r.Text, "30m") {
		t.Fatalf("add: %s", allText(r))
	}
	if len(ff.added) != 1 || ff.added[0] != "slack:U1" {
		t.Errorf("added by %v", ff.added)
	}
	for line, want := range map[string]string{
		"feeds add https://herald.example/broken": "404",
		"feeds add ftp://x/":                      "usage",
		"feeds add https://x.example/ 10s":        "at most every 1m",
		"feeds add https://x.example/ soon":       "not an interval",
		"feeds remove F9":                         "no feed F9",
		"feeds remove X":                          "not a valid id",
		"feeds frobnicate":                        "Unknown feeds command",
	} {
		if r := ask(true, line); !r.Error || !strings.Contains(r.Text, want) {
			t.Errorf("%s: %s", line, allText(r))
		}
	}
	st.Update(context.Background(), func(tx *store.Tx) error {
		f, _, _ := tx.Feed(1)
		f.LastPolled = time.Date(2024, 3, 10, 11, 0, 0, 0, time.UTC)
		f.LastError, f.Failures = "the server answered 500", 2
		tx.MarkFeedItem(1, "guid:a", f.LastPolled)
		return tx.PutFeed(&f)
	})
	r = ask(false, "feeds list")
	text := allText(r)
	for _, want := range []string{"F1 “Herald”", "https://herald.example/rss", "Every: 30m", "Items seen: 1",
		"read 1h0m0s ago: the server answered 500", "Next try: in 0s (2 times failing in a row)"} {
		if !strings.Contains(text, want) {
			t.Errorf("list lacks %q:\n%s", want, text)
		}
	}
	if r := ask(false, "feeds remove F1"); !r.Error {
		t.Errorf("non-admin remove: %s", allText(r))
	}
	if r := ask(true, "feeds remove F1"); r.Error || !strings.Contains(r.Title, "Stopped following") {
		t.Errorf("remove: %s", allText(r))
	}
	if r := ask(false, "feeds"); !strings.Contains(r.Text, "None yet") {
		t.Errorf("after remove: %s", allText(r))
	}
	if r := ask(false, "help feeds"); r.Error || !strings.Contains(allText(r), "feeds add") {
		t.Errorf("help: %s", allText(r))
	}

	reg, _, _ = newFeedBot(t, false)
	if r := reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: "feeds add https://x.example/", IsAdmin: true}); !r.Error || !strings.Contains(r.Text, "not set up") {
		t.Errorf("without a feed service: %s", allText(r))
	}
}

func TestUploads(t *testing.T) {
	reg, _, st := newFeedBot(t, false)
	upload := func(name, ct string, data string) *Reply {
		return reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: "ingest --outlet Post", IsAdmin: true,
			Attachment: &Attachment{Name: name, ContentType: ct, Data: []byte(data)}})
	}
	page := `<!DOCTYPE html><html><head><title>Ferry fares | Herald</title><meta property="og:site_name" content="Herald"></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport section</a></nav><article><h1>Ferry fares</h1>
<p>Bo Chan (person): fares will rise in April because fuel costs more than it did a year ago.</p>
<p>Passenger groups said the rise would hurt commuters who have no other way to reach the mainland.</p>
<p>The operator said it had held prices for three years and could not hold them any longer this spring.</p></article>
<div class="comments"><p>Comment: outrageous!</p></div></body></html>`
	if r := upload("story.html", "text/html", page); r.Error || !strings.Contains(r.Title, "Ferry fares") || !strings.Contains(r.Text, "1 new statement") {
		t.Fatalf("html upload: %s", allText(r))
	}
	if r := upload("story.md", "text/markdown", "# Council vote\n\nAnn Lee (person): the **vote** was fair\n"); r.Error || !strings.Contains(r.Title, "Council vote") {
		t.Fatalf("markdown upload: %s", allText(r))
	}
	if r := upload("notes.md", "application/octet-stream", "# Notes\n\nAnn Lee (person): generic type"); r.Error || !strings.Contains(r.Title, "Notes") {
		t.Fatalf("markdown sent as octet-stream: %s", allText(r))
	}
	if r := upload("notes.txt", "text/plain; charset=iso-8859-1", "Caf\xe9\nAnn Lee (person): caf\xe9 au lait"); r.Error {
		t.Fatalf("latin-1 text upload: %s", allText(r))
	}
	for _, tc := range [][3]string{{"story.pdf", "application/pdf", "%PDF-1.4"}, {"photo.jpg", "image/jpeg", "\xff\xd8\xff"},
		{"sneaky.txt", "text/plain", "ab\x00cd"}, {"story.docx", "", "PK\x03\x04"}} {
		r := upload(tc[0], tc[1], tc[2])
		if !r.Error || !strings.Contains(r.Text, "not a text file") || !strings.Contains(r.Text, ".html") {
			t.Errorf("%s: %s", tc[0], allText(r))
		}
	}
	st.View(context.Background(), func(tx *store.Tx) error {
		arts, _ := tx.RecentArticles(10)
		for _, a := range arts {
			if a.Title == "Ferry fares" && (a.Outlet != "Post" || a.File != "story.html" || !strings.HasPrefix(a.Extractor, "trafilatura") ||
				strings.Contains(a.Text, "outrageous") || strings.Contains(a.Text, "Sport section")) {
				t.Errorf("html article %+v", a)
			}
			if a.Title == "Café" && !strings.Contains(a.Text, "café au lait") {
				t.Errorf("latin-1 text %q", a.Text)
			}
		}
		if len(arts) != 4 {
			t.Errorf("%d articles", len(arts))
		}
		return nil
	})
	// The same page again: refused, naming the stored article.
	if r := upload("again.html", "text/html", page); !strings.Contains(r.Text, "already stored as article") || !strings.Contains(r.Text, "same text, story.html") {
		t.Errorf("duplicate upload: %s", allText(r))
	}
}
