package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"newsbot/internal/extract"
	"newsbot/internal/fetch"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
	"newsbot/internal/webarticle"
)

// sameSpeakerChecker alerts on every earlier statement by the speaker of a
// fresh one: enough to see feed items raise alerts.
type sameSpeakerChecker struct{}

func (sameSpeakerChecker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	var out []store.Alert
	for _, id := range fresh {
		st, _, err := tx.Statement(id)
		if err != nil {
			return nil, err
		}
		for _, old := range tx.StatementsBySpeaker(st.SpeakerID, 50) {
			if old < id {
				out = append(out, store.Alert{New: id, Old: old, Score: 0.9, Reasons: []string{"same speaker"}, SameSpeaker: true})
			}
		}
	}
	return out, nil
}

func articlePage(title, quote string) string {
	return `<!DOCTYPE html><html><head><title>` + title + `</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>` + title + `</h1>
<p>The city council met on Tuesday evening to discuss the budget for the coming year and the future of public transport.</p>
<p>"` + quote + `," said Mayor Ann Lee.</p>
<p>Opposition members said they would study the figures closely before the final vote next month in the town hall.</p>
</article><footer>Copyright Harbour Herald</footer></body></html>`
}

type feedServer struct {
	*httptest.Server
	version   atomic.Int32
	full, nm  atomic.Int32 // 200 and 304 answers
	pageHits  atomic.Int32 // article pages served
	lastMatch atomic.Value
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{}
	fs.version.Store(1)
	pages := map[string]string{
		"/a": articlePage("Fares to be cut", "We will cut bus fares next year"),
		"/b": articlePage("Budget approved", "The budget protects every library in the city"),
		"/c": articlePage("Fares stay", "We will not cut bus fares next year"),
		"/d": articlePage("Parks plan", "Every district will get a new park by the end of the decade"),
	}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/feed.xml":
			v := fs.version.Load()
			etag := fmt.Sprintf(`"v%d"`, v)
			fs.lastMatch.Store(r.Header.Get("If-None-Match"))
			if r.Header.Get("If-None-Match") == etag {
				fs.nm.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			fs.full.Add(1)
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprint(w, rss(v))
		case r.URL.Path == "/lm.xml": // Last-Modified only, no ETag
			const lm = "Tue, 05 Mar 2024 12:00:00 GMT"
			if r.Header.Get("If-Modified-Since") == lm {
				fs.nm.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lm)
			w.Header().Set("Content-Type", "application/atom+xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Herald</title>`+
				`<entry><title>Fares to be cut</title><id>urn:a</id><link href="/a"/><updated>2024-03-05T10:00:00Z</updated></entry></feed>`)
		case r.URL.Path == "/home":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml"></head><body>Home</body></html>`)
		case r.URL.Path == "/nofeed":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><title>No feed</title></head><body>Nothing</body></html>`)
		case r.URL.Path == "/bad.xml":
			http.Error(w, "boom", http.StatusInternalServerError)
		case pages[r.URL.Path] != "":
			fs.pageHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, pages[r.URL.Path])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fs.Close)
	return fs
}

func item(guid, link, title, date, desc string) string {
	s := "<item><title>" + title + "</title><link>" + link + "</link><pubDate>" + date + "</pubDate>"
	if guid != "" {
		s += `<guid isPermaLink="false">` + guid + "</guid>"
	}
	if desc != "" {
		s += "<description><![CDATA[" + desc + "]]></description>"
	}
	return s + "</item>"
}

// rss is the feed: version 1 has two items, version 2 adds three more and
// one that points at an article already stored.
func rss(v int32) string {
	items := []string{
		item("b", "/b", "Budget approved", "Tue, 05 Mar 2024 11:00:00 GMT", ""),
		item("a", "/a", "Fares to be cut", "Tue, 05 Mar 2024 10:00:00 GMT", ""),
	}
	if v >= 2 {
		items = append([]string{
			item("c", "/c", "Fares stay", "Wed, 06 Mar 2024 10:00:00 GMT", ""),
			item("", "/d", "Parks plan", "Wed, 06 Mar 2024 11:00:00 GMT", ""),
			item("e", "/gone", "Library hours", "Wed, 06 Mar 2024 12:00:00 GMT",
				`<p>The library will open on Sundays from April, the council said.</p><p>"Reading rooms should be open when people are free to use them, and Sunday is that day for most families," said librarian Rosa Diaz on Wednesday.</p>`),
			item("a-again", "/a?utm_source=rss", "Fares to be cut (updated)", "Wed, 06 Mar 2024 13:00:00 GMT", ""),
		}, items...)
	}
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Herald</title>` +
		`<link>https://herald.example/</link><description>News</description>` + strings.Join(items, "") + `</channel></rss>`
}

type rig struct {
	svc    *Service
	st     *store.Store
	now    time.Time
	mu     sync.Mutex
	alerts []notify.Alert
}

func newRig(t *testing.T) *rig {
	r := &rig{now: time.Date(2024, 3, 6, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(filepath.Join(t.TempDir(), "f.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	web, err := fetch.New(fetch.Config{AllowHosts: []string{"127.0.0.1"}, ConnectTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	in := ingest.New(ingest.Options{Store: st, Extractor: extract.New(), Checker: sameSpeakerChecker{},
		Notifier: notify.Func(func(ctx context.Context, a notify.Alert) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.alerts = append(r.alerts, a)
			return nil
		})})
	r.svc = New(Options{Store: st, Web: web, Articles: webarticle.New(web), Ingester: in,
		DefaultInterval: 15 * time.Minute, MinInterval: time.Minute, Now: func() time.Time { return r.now }})
	return r
}

func (r *rig) articles(t *testing.T) map[string]store.Article {
	out := map[string]store.Article{}
	r.st.View(context.Background(), func(tx *store.Tx) error {
		arts, _ := tx.RecentArticles(100)
		for _, a := range arts {
			out[a.Title] = a
		}
		return nil
	})
	return out
}

func TestPollNewAndRepeatedItemsWithETag(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	ctx := context.Background()
	f, err := r.svc.Add(ctx, fs.URL+"/feed.xml", "console:op", 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != 1 || f.Title != "Harbour Herald" || f.Interval != 15*time.Minute {
		t.Fatalf("feed %+v", f)
	}
	if _, err := r.svc.Add(ctx, fs.URL+"/feed.xml", "console:op", 0); !errors.Is(err, store.ErrExists) {
		t.Fatalf("same feed twice: %v", err)
	}

	res, err := r.svc.Poll(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != 2 || res.New != 2 || res.Seen != 0 || res.Failed != 0 {
		t.Fatalf("first poll %+v", res)
	}
	arts := r.articles(t)
	if a, ok := arts["Fares to be cut"]; !ok || a.URL != fs.URL+"/a" || !strings.Contains(a.Text, "We will cut bus fares") ||
		strings.Contains(a.Text, "Copyright") || a.Published.IsZero() || a.Outlet != "Harbour Herald" {
		t.Fatalf("article a: %+v", a)
	}

	// Unchanged: the server answers 304 to the ETag and nothing is fetched.
	res, err = r.svc.Poll(ctx, f.ID)
	if err != nil || !res.NotModified {
		t.Fatalf("second poll %+v %v", res, err)
	}
	if fs.lastMatch.Load() != `"v1"` || fs.nm.Load() != 1 {
		t.Fatalf("conditional GET: If-None-Match %v, %d not-modified answers", fs.lastMatch.Load(), fs.nm.Load())
	}

	// New items: the repeated ones are skipped by GUID, the one without a
	// GUID is keyed by its link, the unreadable link falls back to the
	// item's own text, and the link to a stored article is a duplicate.
	fs.version.Store(2)
	res, err = r.svc.Poll(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Items != 6 || res.Seen != 2 || res.New != 3 || res.Duplicates != 1 || res.Failed != 0 {
		t.Fatalf("third poll %+v", res)
	}
	// a, b, then c and d: the link to the stored a is not fetched again.
	if n := fs.pageHits.Load(); n != 4 {
		t.Errorf("%d article pages fetched, want 4", n)
	}
	if res.Alerts == 0 {
		t.Fatal("the contradicting item raised no alert")
	}
	r.mu.Lock()
	found := false
	for _, a := range r.alerts {
		found = found || strings.Contains(a.New.Text, "We will not cut bus fares") && strings.Contains(a.Old.Text, "We will cut bus fares")
	}
	if !found {
		t.Errorf("no alert on the fares reversal among %d posted", len(r.alerts))
	}
	r.mu.Unlock()
	arts = r.articles(t)
	if a, ok := arts["Library hours"]; !ok || !strings.Contains(a.Text, "Sunday is that day") || !strings.HasPrefix(a.Extractor, "feed+") {
		t.Errorf("item from feed content: %+v", a)
	}
	if len(arts) != 5 {
		t.Errorf("%d articles, want 5", len(arts))
	}
	res, err = r.svc.Poll(ctx, f.ID)
	if err != nil || !res.NotModified {
		t.Fatalf("fourth poll %+v %v", res, err)
	}
	if fs.full.Load() != 3 { // Add, first poll, third poll
		t.Errorf("%d full fetches", fs.full.Load())
	}
	// Without the ETag (a server that drops it) the items are still
	// recognised by GUID and link.
	r.st.Update(ctx, func(tx *store.Tx) error {
		f, _, _ := tx.Feed(1)
		f.ETag = ""
		return tx.PutFeed(&f)
	})
	if res, err = r.svc.Poll(ctx, f.ID); err != nil || res.Seen != 6 || res.New != 0 {
		t.Fatalf("poll without ETag %+v %v", res, err)
	}

	if _, err := r.svc.Remove(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Poll(ctx, f.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("poll of a removed feed: %v", err)
	}
}

func TestBackoffOnErrors(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.svc.Add(ctx, fs.URL+"/bad.xml", "op", 0); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("adding a failing feed: %v", err)
	}
	f := store.Feed{URL: fs.URL + "/bad.xml", Interval: 10 * time.Minute}
	r.st.Update(ctx, func(tx *store.Tx) error { return tx.AddFeed(&f) })
	if next, err := r.svc.PollDue(ctx); err != nil || !next.Equal(r.now.Add(20*time.Minute)) {
		t.Fatalf("after one failure next poll %v (%v), want %v", next, err, r.now.Add(20*time.Minute))
	}
	r.st.View(ctx, func(tx *store.Tx) error {
		f, _, _ = tx.Feed(f.ID)
		return nil
	})
	if f.Failures != 1 || !strings.Contains(f.LastError, "500") {
		t.Fatalf("feed after failure %+v", f)
	}
	// Not due yet: not polled.
	r.now = r.now.Add(19 * time.Minute)
	r.svc.PollDue(ctx)
	r.st.View(ctx, func(tx *store.Tx) error { f, _, _ = tx.Feed(f.ID); return nil })
	if f.Failures != 1 {
		t.Fatalf("polled before due: %+v", f)
	}
	r.now = r.now.Add(time.Minute)
	next, _ := r.svc.PollDue(ctx)
	if want := r.now.Add(40 * time.Minute); !next.Equal(want) {
		t.Fatalf("after two failures next poll %v, want %v", next, want)
	}
	for i := 0; i < 20; i++ {
		f.Failures = i
		f.LastPolled = r.now
		if wait := r.svc.NextPoll(f).Sub(r.now); wait > 6*time.Hour {
			t.Fatalf("backoff %s after %d failures", wait, i)
		}
	}
}

// Run polls a feed as soon as it is added, and stops with its context.
func TestRunPollsOnAdd(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.svc.Run(ctx) }()
	if _, err := r.svc.Add(ctx, fs.URL+"/feed.xml", "op", 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(r.articles(t)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(r.articles(t)); n != 2 {
		t.Fatalf("%d articles after adding the feed", n)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestItemKey(t *testing.T) {
	if k := itemKey(nil2(), nil); !strings.HasPrefix(k, "hash:") {
		t.Errorf("key %q", k)
	}
}

func nil2() *gofeed.Item { return &gofeed.Item{Title: "t", Description: "d"} }

type panickyIngester struct{}

func (panickyIngester) Ingest(ctx context.Context, in ingest.Input) (ingest.Result, error) {
	panic("extractor bug")
}

// A panic while polling is a failure of that feed, recorded and backed off;
// the process goes on.
func TestPollPanicIsAFailure(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	r.svc.o.Ingester = panickyIngester{}
	ctx := context.Background()
	f, err := r.svc.Add(ctx, fs.URL+"/feed.xml", "op", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Poll(ctx, f.ID); err == nil || !strings.Contains(err.Error(), "extractor bug") {
		t.Fatalf("err = %v", err)
	}
	r.st.View(ctx, func(tx *store.Tx) error { f, _, _ = tx.Feed(f.ID); return nil })
	if f.Failures != 1 || !strings.Contains(f.LastError, "internal error") {
		t.Fatalf("feed %+v", f)
	}
}

// Adding a site's page subscribes to the feed the page announces.
func TestAddDiscoversFeed(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	ctx := context.Background()
	f, err := r.svc.Add(ctx, fs.URL+"/home", "op", 0)
	if err != nil || f.URL != fs.URL+"/feed.xml" || f.Title != "Harbour Herald" {
		t.Fatalf("discovered %+v %v", f, err)
	}
	if _, err := r.svc.Add(ctx, fs.URL+"/home", "op", 0); !errors.Is(err, store.ErrExists) {
		t.Errorf("the same site twice: %v", err)
	}
	_, err = r.svc.Add(ctx, fs.URL+"/nofeed", "op", 0)
	if err == nil || !strings.Contains(err.Error(), "names no RSS or Atom feed") || !strings.Contains(err.Error(), "text/html") {
		t.Errorf("page without a feed: %v", err)
	}
}

// An Atom feed with Last-Modified only is asked with If-Modified-Since.
func TestLastModifiedAtom(t *testing.T) {
	fs := newFeedServer(t)
	r := newRig(t)
	ctx := context.Background()
	f, err := r.svc.Add(ctx, fs.URL+"/lm.xml", "op", 0)
	if err != nil || f.Title != "Atom Herald" {
		t.Fatalf("add %+v %v", f, err)
	}
	if res, err := r.svc.Poll(ctx, f.ID); err != nil || res.New != 1 {
		t.Fatalf("first poll %+v %v", res, err)
	}
	if res, err := r.svc.Poll(ctx, f.ID); err != nil || !res.NotModified || fs.nm.Load() != 1 {
		t.Fatalf("second poll %+v %v (%d not modified)", res, err, fs.nm.Load())
	}
}
