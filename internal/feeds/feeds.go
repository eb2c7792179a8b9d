// Package feeds subscribes to RSS, Atom and JSON feeds and ingests their
// new items. A poller fetches each feed at its own interval with a
// conditional GET (ETag, Last-Modified), remembers the items it has
// handled by GUID or link, backs off when a feed fails, and hands each new
// item's article to the ingester, which stores it and raises alerts like
// any other.
package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"

	"newsbot/internal/fetch"
	"newsbot/internal/htmltext"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
	"newsbot/internal/webarticle"
)

// Getter fetches a feed; *fetch.Fetcher is one.
type Getter interface {
	Get(ctx context.Context, url string, r fetch.Request) (*fetch.Response, error)
}

// ArticleFetcher fetches an item's article; *webarticle.Fetcher is one.
type ArticleFetcher interface {
	Fetch(ctx context.Context, url string) (ingest.Input, error)
}

// Ingester stores articles; *ingest.Ingester is one.
type Ingester interface {
	Ingest(ctx context.Context, in ingest.Input) (ingest.Result, error)
}

// Options configure a Service. Store, Web, Articles and Ingester are
// required.
type Options struct {
	Store    *store.Store
	Web      Getter
	Articles ArticleFetcher
	Ingester Ingester
	// DefaultInterval is a new feed's polling interval; MinInterval the
	// shortest allowed ([feeds] in the configuration).
	DefaultInterval time.Duration
	MinInterval     time.Duration
	// MaxBackoff caps the wait after repeated failures (default 6h).
	MaxBackoff time.Duration
	// MaxItems caps the items taken from one poll, newest first (default 50).
	MaxItems int
	// ItemAttempts is how often a failing item is tried before it is
	// given up (default 3).
	ItemAttempts int
	Now          func() time.Time
	Logger       *slog.Logger
}

// Service manages feeds and polls them.
type Service struct {
	o    Options
	wake chan struct{}

	mu       sync.Mutex
	attempts map[string]int // feed id + item key → failed attempts (this process)
}

// New returns a Service.
func New(o Options) *Service {
	if o.DefaultInterval <= 0 {
		o.DefaultInterval = 15 * time.Minute
	}
	if o.MinInterval <= 0 {
		o.MinInterval = time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 6 * time.Hour
	}
	if o.MaxItems <= 0 {
		o.MaxItems = 50
	}
	if o.ItemAttempts <= 0 {
		o.ItemAttempts = 3
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Service{o: o, wake: make(chan struct{}, 1), attempts: map[string]int{}}
}

// Add subscribes to a feed after fetching and parsing it once, so a wrong
// URL is refused at once with the reason. every is its interval (0: the
// default; below the minimum: the minimum).
//
// A web page's URL is taken as the feed it announces (<link
// rel="alternate" type="application/rss+xml">).
func (s *Service) Add(ctx context.Context, rawURL, by string, every time.Duration) (store.Feed, error) {
	return s.add(ctx, rawURL, by, every, true)
}

func (s *Service) add(ctx context.Context, rawURL, by string, every time.Duration, discover bool) (store.Feed, error) {
	u, err := fetch.CheckURL(rawURL)
	if err != nil {
		return store.Feed{}, err
	}
	f := store.Feed{URL: u.String(), Interval: s.interval(every), AddedBy: by, Added: s.o.Now().UTC()}
	if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
		if old, ok, err := tx.FeedByURL(f.URL); err != nil {
			return err
		} else if ok {
			return fmt.Errorf("%s is already feed %s: %w", f.URL, store.FeedRef(old.ID), store.ErrExists)
		}
		return nil
	}); err != nil {
		return store.Feed{}, err
	}
	resp, err := s.o.Web.Get(ctx, f.URL, fetch.Request{Accept: fetch.Feeds})
	if errors.Is(err, fetch.ErrContentType) && discover {
		// A web page rather than a feed: take the feed it announces.
		found, derr := s.discover(ctx, f.URL)
		if derr == nil {
			return s.add(ctx, found, by, every, false)
		}
		err = fmt.Errorf("%w; %v", err, derr)
	}
	if err != nil {
		return store.Feed{}, err
	}
	parsed, err := parse(resp.Body)
	if err != nil {
		return store.Feed{}, err
	}
	f.Title = strings.TrimSpace(parsed.Title)
	if err := s.o.Store.Update(ctx, func(tx *store.Tx) error { return tx.AddFeed(&f) }); err != nil {
		return store.Feed{}, err
	}
	s.Wake()
	return f, nil
}

// discover finds the feed a web page links to.
func (s *Service) discover(ctx context.Context, pageURL string) (string, error) {
	resp, err := s.o.Web.Get(ctx, pageURL, fetch.Request{Accept: []string{"text/html", "application/xhtml+xml"}})
	if err != nil {
		return "", err
	}
	for _, link := range htmltext.FeedLinks(resp.Body, resp.ContentType, resp.URL) {
		if link != pageURL {
			return link, nil
		}
	}
	return "", errors.New("the page names no RSS or Atom feed")
}

func (s *Service) interval(every time.Duration) time.Duration {
	if every <= 0 {
		every = s.o.DefaultInterval
	}
	return max(every, s.o.MinInterval)
}

// MinInterval is the shortest polling interval allowed.
func (s *Service) MinInterval() time.Duration { return s.o.MinInterval }

// Remove unsubscribes from a feed and forgets its items (the articles
// ingested stay).
func (s *Service) Remove(ctx context.Context, id uint64) (store.Feed, error) {
	var f store.Feed
	err := s.o.Store.Update(ctx, func(tx *store.Tx) error {
		var err error
		f, err = tx.DeleteFeed(id)
		return err
	})
	return f, err
}

// Wake makes Run poll the feeds that are due now rather than at its next
// tick.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// NextPoll is when a feed is due: its interval after the last poll,
// doubled for each failure in a row up to MaxBackoff.
func (s *Service) NextPoll(f store.Feed) time.Time {
	if f.LastPolled.IsZero() {
		return time.Time{}
	}
	wait := f.Interval
	if wait <= 0 {
		wait = s.o.DefaultInterval
	}
	for i := 0; i < f.Failures && wait < s.o.MaxBackoff; i++ {
		wait *= 2
	}
	if f.Failures > 0 {
		wait = min(wait, max(s.o.MaxBackoff, f.Interval))
	}
	return f.LastPolled.Add(wait)
}

// Run polls feeds as they fall due until ctx is done.
func (s *Service) Run(ctx context.Context) error {
	for {
		next, err := s.PollDue(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.o.Logger.Error("feed poller", "err", err)
			next = s.o.Now().Add(s.o.MinInterval)
		}
		wait := time.Until(next)
		if next.IsZero() || wait > s.o.MinInterval {
			wait = s.o.MinInterval // feeds added elsewhere (another process) are noticed
		}
		t := time.NewTimer(max(wait, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// PollDue polls every feed due now and returns when the next is due (zero
// with no feeds).
func (s *Service) PollDue(ctx context.Context) (time.Time, error) {
	var list []store.Feed
	if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		list, err = tx.Feeds()
		return err
	}); err != nil {
		return time.Time{}, err
	}
	var next time.Time
	for _, f := range list {
		if ctx.Err() != nil {
			return next, ctx.Err()
		}
		if due := s.NextPoll(f); !due.After(s.o.Now()) {
			res, err := s.Poll(ctx, f.ID)
			if errors.Is(err, store.ErrNotFound) {
				continue // removed meanwhile
			}
			if err != nil {
				s.o.Logger.Warn("feed poll failed", "feed", store.FeedRef(f.ID), "url", f.URL, "err", err)
			} else {
				s.o.Logger.Info("feed polled", "feed", store.FeedRef(f.ID), "not_modified", res.NotModified,
					"items", res.Items, "new", res.New, "seen", res.Seen, "duplicates", res.Duplicates,
					"failed", res.Failed, "alerts", res.Alerts)
			}
			if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
				f, _, err = tx.Feed(f.ID)
				return err
			}); err != nil {
				return next, err
			}
		}
		if due := s.NextPoll(f); next.IsZero() || due.Before(next) {
			next = due
		}
	}
	return next, nil
}

// PollResult says what one poll did.
type PollResult struct {
	NotModified bool
	Items       int // items in the feed (up to MaxItems)
	New         int // ingested as new articles
	Seen        int // handled on an earlier poll
	Duplicates  int // new items whose article was already stored
	Failed      int
	Alerts      int
}

// Poll fetches one feed now and ingests its new items. A fetch or parse
// failure is recorded on the feed (and returned); a failing item is
// logged, retried on later polls up to ItemAttempts times, and does not
// stop the others.
func (s *Service) Poll(ctx context.Context, id uint64) (res PollResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			// Hostile feed or page: count it as a failure of the feed, so
			// it backs off like any other, and keep the bot running.
			err = fmt.Errorf("feed %s: internal error while polling: %v", store.FeedRef(id), p)
			s.o.Logger.Error("feed poll panicked", "feed", store.FeedRef(id), "panic", p, "stack", string(debug.Stack()))
			_ = s.o.Store.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
				f, ok, ferr := tx.Feed(id)
				if ferr != nil || !ok {
					return ferr
				}
				f.LastPolled, f.LastError = s.o.Now().UTC(), err.Error()
				f.Failures++
				return tx.PutFeed(&f)
			})
		}
	}()
	return s.poll(ctx, id)
}

func (s *Service) poll(ctx context.Context, id uint64) (PollResult, error) {
	var f store.Feed
	if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
		var ok bool
		var err error
		if f, ok, err = tx.Feed(id); err == nil && !ok {
			err = fmt.Errorf("feed %s: %w", store.FeedRef(id), store.ErrNotFound)
		}
		return err
	}); err != nil {
		return PollResult{}, err
	}
	var res PollResult
	resp, err := s.o.Web.Get(ctx, f.URL, fetch.Request{Accept: fetch.Feeds, ETag: f.ETag, LastModified: f.LastModified})
	var parsed *gofeed.Feed
	if err == nil && !resp.NotModified {
		parsed, err = parse(resp.Body)
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if err != nil {
		f.LastPolled, f.LastError = s.o.Now().UTC(), err.Error()
		f.Failures++
		return res, errors.Join(err, s.save(ctx, &f))
	}
	f.LastPolled, f.LastError, f.Failures = s.o.Now().UTC(), "", 0
	if resp.NotModified {
		res.NotModified = true
		return res, s.save(ctx, &f)
	}
	if f.Title == "" {
		f.Title = strings.TrimSpace(parsed.Title)
	}
	items := newestFirst(parsed.Items, s.o.MaxItems)
	res.Items = len(items)
	base, _ := url.Parse(resp.URL)
	var itemErrs []string
	for i := len(items) - 1; i >= 0; i-- { // oldest first, as they were published
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		it := items[i]
		key := itemKey(it, base)
		var seen bool
		if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
			_, seen = tx.FeedItemSeen(f.ID, key)
			return nil
		}); err != nil {
			return res, err
		}
		if seen {
			res.Seen++
			continue
		}
		r, err := s.ingestItem(ctx, &f, it, base)
		if err != nil && ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err != nil {
			res.Failed++
			itemErrs = append(itemErrs, err.Error())
			if !s.failedAgain(f.ID, key) {
				continue // tried again next poll
			}
			s.o.Logger.Warn("feed item given up", "feed", store.FeedRef(f.ID), "item", key, "err", err)
		} else if r.DuplicateOf != "" {
			res.Duplicates++
		} else {
			res.New++
			res.Alerts += len(r.Alerts)
		}
		if err := s.o.Store.Update(ctx, func(tx *store.Tx) error {
			return tx.MarkFeedItem(f.ID, key, s.o.Now().UTC())
		}); err != nil {
			return res, err
		}
	}
	// A feed that answers 200 but never changes its validators keeps them
	// empty; one that sends them is asked conditionally next time. Only
	// after its items are handled, so a crash mid-poll refetches them.
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	if len(itemErrs) > 0 {
		f.LastError = fmt.Sprintf("%d of %d items failed: %s", len(itemErrs), len(items), itemErrs[0])
		// Items to retry need the full feed again, not a 304.
		f.ETag, f.LastModified = "", ""
	}
	return res, s.save(ctx, &f)
}

// failedAgain counts a failed attempt and reports whether the item is to
// be given up.
func (s *Service) failedAgain(feed uint64, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := store.FeedRef(feed) + "\x00" + key
	s.attempts[k]++
	if s.attempts[k] >= s.o.ItemAttempts {
		delete(s.attempts, k)
		return true
	}
	return false
}

func (s *Service) save(ctx context.Context, f *store.Feed) error {
	return s.o.Store.Update(ctx, func(tx *store.Tx) error { return tx.PutFeed(f) })
}

// ingestItem fetches an item's article (its link) and ingests it; without
// a link, or when the page cannot be read, the item's own content is the
// article.
func (s *Service) ingestItem(ctx context.Context, f *store.Feed, it *gofeed.Item, base *url.URL) (ingest.Result, error) {
	link := htmltext.AbsURL(it.Link, base)
	if known := webarticle.NormaliseURL(link); known != "" {
		var id string
		if err := s.o.Store.View(ctx, func(tx *store.Tx) error {
			id, _ = tx.ArticleByURL(known)
			return nil
		}); err != nil {
			return ingest.Result{}, err
		}
		if id != "" { // stored already (another feed, a user): no need to fetch it
			return ingest.Result{ArticleID: id, DuplicateOf: id}, nil
		}
	}
	var in ingest.Input
	var err error
	if link != "" {
		in, err = s.o.Articles.Fetch(ctx, link)
	}
	if link == "" || err != nil {
		content := it.Content
		if len(content) < len(it.Description) {
			content = it.Description
		}
		fromFeed, ferr := webarticle.FromHTML([]byte("<html><body><article>"+content+"</article></body></html>"),
			"text/html; charset=utf-8", link)
		if ferr != nil {
			if err == nil {
				err = ferr
			}
			return ingest.Result{}, fmt.Errorf("item %q: %w", orDefault(it.Title, link), err)
		}
		in = fromFeed
		in.Extractor = "feed+" + in.Extractor
	}
	if in.Title == "" || strings.HasPrefix(in.Extractor, "feed+") {
		in.Title = strings.TrimSpace(it.Title)
	}
	if in.Published.IsZero() {
		if it.PublishedParsed != nil {
			in.Published = *it.PublishedParsed
		} else if it.UpdatedParsed != nil {
			in.Published = *it.UpdatedParsed
		}
	}
	if in.Author == "" && len(it.Authors) > 0 && it.Authors[0] != nil {
		in.Author = it.Authors[0].Name
	}
	// The page's own site name first; else the feed's title rather than a
	// host name.
	if in.Outlet == "" || webarticle.OutletIsHost(in.Outlet, link) || strings.HasPrefix(in.Extractor, "feed+") {
		in.Outlet = orDefault(f.Title, in.Outlet)
	}
	return s.o.Ingester.Ingest(ctx, in)
}

func parse(body []byte) (*gofeed.Feed, error) {
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("not an RSS, Atom or JSON feed: %w", err)
	}
	return parsed, nil
}

// itemKey identifies an item across polls: its GUID, else its link, else
// a hash of its title and text.
func itemKey(it *gofeed.Item, base *url.URL) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return "guid:" + g
	}
	if l := htmltext.AbsURL(it.Link, base); l != "" {
		return "link:" + l
	}
	sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Description + "\x00" + it.Content))
	return "hash:" + hex.EncodeToString(sum[:12])
}

// newestFirst orders items by date, newest first (undated ones keep their
// feed order, which is newest first by convention), and keeps n.
func newestFirst(items []*gofeed.Item, n int) []*gofeed.Item {
	out := slices.Clone(items)
	date := func(it *gofeed.Item) time.Time {
		switch {
		case it.PublishedParsed != nil:
			return *it.PublishedParsed
		case it.UpdatedParsed != nil:
			return *it.UpdatedParsed
		}
		return time.Time{}
	}
	slices.SortStableFunc(out, func(a, b *gofeed.Item) int {
		da, db := date(a), date(b)
		if da.IsZero() || db.IsZero() {
			return 0
		}
		return db.Compare(da)
	})
	return out[:min(len(out), n)]
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
