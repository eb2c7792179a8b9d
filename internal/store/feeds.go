package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrExists is returned when adding something already stored.
var ErrExists = errors.New("already exists")

// FeedRef formats a feed id as users see it ("F3").
func FeedRef(id uint64) string { return fmt.Sprintf("F%d", id) }

// AddFeed stores a new feed and sets its ID. A URL already subscribed is
// refused with ErrExists, naming the feed.
func (t *Tx) AddFeed(f *Feed) error {
	if f.URL == "" {
		return fmt.Errorf("add feed: empty URL")
	}
	if old, ok, err := t.FeedByURL(f.URL); err != nil {
		return err
	} else if ok {
		return fmt.Errorf("%s is feed %s: %w", f.URL, FeedRef(old.ID), ErrExists)
	}
	id, err := t.b(bFeeds).NextSequence()
	if err != nil {
		return err
	}
	f.ID = id
	return putJSON(t.b(bFeeds), u64(id), f)
}

// PutFeed saves a feed's state. The feed must exist: a feed removed while
// it was being polled stays removed.
func (t *Tx) PutFeed(f *Feed) error {
	if t.b(bFeeds).Get(u64(f.ID)) == nil {
		return fmt.Errorf("feed %s: %w", FeedRef(f.ID), ErrNotFound)
	}
	return putJSON(t.b(bFeeds), u64(f.ID), f)
}

// Feed returns one feed.
func (t *Tx) Feed(id uint64) (Feed, bool, error) {
	return getJSON[Feed](t.b(bFeeds), u64(id))
}

// FeedByURL finds a feed by its URL.
func (t *Tx) FeedByURL(url string) (Feed, bool, error) {
	feeds, err := t.Feeds()
	if err != nil {
		return Feed{}, false, err
	}
	for _, f := range feeds {
		if f.URL == url {
			return f, true, nil
		}
	}
	return Feed{}, false, nil
}

// Feeds lists every feed by id.
func (t *Tx) Feeds() ([]Feed, error) {
	var out []Feed
	err := t.b(bFeeds).ForEach(func(k, v []byte) error {
		var f Feed
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("decode feed %d: %w", getU64(k), err)
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// DeleteFeed removes a feed and its record of items seen.
func (t *Tx) DeleteFeed(id uint64) (Feed, error) {
	f, ok, err := t.Feed(id)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, fmt.Errorf("feed %s: %w", FeedRef(id), ErrNotFound)
	}
	items := t.b(bFeedItems)
	prefix := u64(id)
	var keys [][]byte
	c := items.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := items.Delete(k); err != nil {
			return f, err
		}
	}
	return f, t.b(bFeeds).Delete(prefix)
}

func feedItemKey(feed uint64, item string) []byte { return append(u64(feed), item...) }

// FeedItemSeen reports whether a feed's item (by GUID or link) was
// already handled, and when it was first seen.
func (t *Tx) FeedItemSeen(feed uint64, item string) (time.Time, bool) {
	v := t.b(bFeedItems).Get(feedItemKey(feed, item))
	if v == nil {
		return time.Time{}, false
	}
	return time.Unix(0, int64(getU64(v))).UTC(), true
}

// MarkFeedItem records a feed's item as handled.
func (t *Tx) MarkFeedItem(feed uint64, item string, at time.Time) error {
	if item == "" {
		return fmt.Errorf("feed item: empty key")
	}
	if t.b(bFeeds).Get(u64(feed)) == nil {
		return fmt.Errorf("feed %s: %w", FeedRef(feed), ErrNotFound)
	}
	return t.b(bFeedItems).Put(feedItemKey(feed, item), u64(uint64(at.UnixNano())))
}

// FeedItemCount is the number of items recorded for a feed.
func (t *Tx) FeedItemCount(feed uint64) int {
	n := 0
	prefix := u64(feed)
	c := t.b(bFeedItems).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}
