// Package authztest is the one authorization table every chat adapter's
// tests run: each admin command, sent by an admin and by a user who is
// not, through the adapter's own request path, must run for the first and
// be refused (with nothing changed) for the second. The adapters' tests
// supply the transport; this package supplies the table, a bot on a real
// store and the checks.
package authztest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
)

// Case is one admin command line and how to tell that it took effect.
type Case struct {
	Name string
	// Line is the command line as a user types it after the prefix.
	Line string
	// Command is the command the dispatcher must see.
	Command string
	done    func(ctx context.Context, b *Bot) (bool, error)
}

// Cases are the admin commands: ingest, forget, track and feeds add.
func Cases() []Case {
	return []Case{
		{Name: "ingest", Line: "ingest " + NewURL, Command: "ingest", done: func(ctx context.Context, b *Bot) (bool, error) {
			return b.hasArticle(ctx, NewURL)
		}},
		{Name: "forget", Line: "forget " + KeptURL, Command: "forget", done: func(ctx context.Context, b *Bot) (bool, error) {
			ok, err := b.hasArticle(ctx, KeptURL)
			return !ok, err
		}},
		{Name: "track", Line: `track border-talks "border refugees"`, Command: "track", done: func(ctx context.Context, b *Bot) (bool, error) {
			var ok bool
			err := b.Store.View(ctx, func(tx *store.Tx) error {
				var err error
				_, ok, err = tx.Story("border-talks")
				return err
			})
			return ok, err
		}},
		{Name: "feeds add", Line: "feeds add " + FeedURL, Command: "feeds", done: func(ctx context.Context, b *Bot) (bool, error) {
			return b.feeds.added(FeedURL), nil
		}},
	}
}

// URLs the table uses: NewURL is fetched by `ingest`, KeptURL is on record
// before each case (for `forget`), FeedURL is added by `feeds add`.
const (
	NewURL  = "https://news.example/2024/new-story"
	KeptURL = "https://news.example/2024/kept-story"
	FeedURL = "https://news.example/rss.xml"
)

// Result is one dispatched request and its reply.
type Result struct {
	Req   *commands.Request
	Reply *commands.Reply
}

// Bot is the real command registry on a fresh store, with a fetcher and a
// feed manager that stay on the machine. It is a commands.Dispatcher that
// reports every request it answers.
type Bot struct {
	Store *store.Store
	Reg   *commands.Registry
	feeds *feedManager
	seen  chan Result
}

// NewBot returns a bot whose store holds one article (KeptURL).
func NewBot(t testing.TB) *Bot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "authz.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	in := ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}})
	b := &Bot{Store: st, feeds: &feedManager{}, seen: make(chan Result, 64)}
	b.Reg, err = commands.New(commands.Deps{Store: st, Ingester: in, Fetcher: fetcher{}, Feeds: b.feeds})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Ingest(context.Background(), article(KeptURL)); err != nil {
		t.Fatal(err)
	}
	return b
}

// Dispatch runs the registry and reports the request and reply.
func (b *Bot) Dispatch(ctx context.Context, req *commands.Request) *commands.Reply {
	r := b.Reg.Dispatch(ctx, req)
	b.seen <- Result{Req: req, Reply: r}
	return r
}

// Next waits for the next dispatched request.
func (b *Bot) Next(t testing.TB, timeout time.Duration) Result {
	t.Helper()
	select {
	case r := <-b.seen:
		return r
	case <-time.After(timeout):
		t.Fatalf("no command reached the dispatcher within %s", timeout)
		return Result{}
	}
}

// None checks that no request reaches the dispatcher within wait.
func (b *Bot) None(t testing.TB, wait time.Duration) {
	t.Helper()
	select {
	case r := <-b.seen:
		t.Errorf("a command reached the dispatcher: %+v", r.Req)
	case <-time.After(wait):
	}
}

// Check asserts what the case did: for an admin, the command ran and took
// effect; otherwise it was refused as admins-only and changed nothing. It
// returns the text the user must be shown (the refusal), or "" for an
// admin.
func (b *Bot) Check(t testing.TB, c Case, admin bool, r Result) string {
	t.Helper()
	if r.Req == nil || r.Reply == nil {
		t.Fatalf("%s: nothing was dispatched", c.Name)
	}
	if r.Req.IsAdmin != admin {
		t.Errorf("%s: request IsAdmin = %v, want %v (user %q)", c.Name, r.Req.IsAdmin, admin, r.Req.User)
	}
	if got, _ := commands.Tokenize(r.Req.Text); len(got) == 0 || got[0] != c.Command {
		t.Errorf("%s: the dispatcher saw %q, want the %s command", c.Name, r.Req.Text, c.Command)
	}
	done, err := c.done(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	text := r.Reply.Title + "\n" + r.Reply.Text
	refused := r.Reply.Error && strings.Contains(text, "admins only")
	switch {
	case admin && (refused || r.Reply.Error):
		t.Errorf("%s by an admin failed: %s", c.Name, text)
	case admin && !done:
		t.Errorf("%s by an admin answered %q but did nothing", c.Name, text)
	case !admin && !refused:
		t.Errorf("%s by a non-admin was not refused: %s", c.Name, text)
	case !admin && done:
		t.Errorf("%s by a non-admin took effect", c.Name)
	}
	if admin {
		return ""
	}
	return "admins only"
}

func (b *Bot) hasArticle(ctx context.Context, url string) (bool, error) {
	var ok bool
	err := b.Store.View(ctx, func(tx *store.Tx) error {
		_, ok = tx.ArticleByURL(url)
		return nil
	})
	return ok, err
}

func article(url string) ingest.Input {
	return ingest.Input{URL: url, Outlet: "Example News", Headline: true,
		Text: "Story at " + url + "\nAnn Lee (person): The border stays open for refugees, " + url + "."}
}

// fetcher serves every URL from memory.
type fetcher struct{}

func (fetcher) Fetch(ctx context.Context, url string) (ingest.Input, error) { return article(url), nil }

// feedManager records the feeds added.
type feedManager struct {
	mu   sync.Mutex
	urls []string
}

func (f *feedManager) Add(ctx context.Context, url, by string, every time.Duration) (store.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.urls = append(f.urls, url)
	return store.Feed{ID: uint64(len(f.urls)), URL: url, Interval: time.Hour}, nil
}

func (f *feedManager) Remove(ctx context.Context, id uint64) (store.Feed, error) {
	return store.Feed{}, fmt.Errorf("feed %d: %w", id, store.ErrNotFound)
}

func (f *feedManager) NextPoll(store.Feed) time.Time { return time.Time{} }

func (f *feedManager) MinInterval() time.Duration { return time.Minute }

func (f *feedManager) added(url string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.urls {
		if u == url {
			return true
		}
	}
	return false
}
