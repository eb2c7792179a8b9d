package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestFeeds(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "f.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	at := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	var a, b Feed
	err = st.Update(ctx, func(tx *Tx) error {
		a = Feed{URL: "https://news.example/rss", Interval: time.Hour}
		b = Feed{URL: "https://other.example/atom"}
		if err := tx.AddFeed(&a); err != nil {
			return err
		}
		if err := tx.AddFeed(&b); err != nil {
			return err
		}
		dup := Feed{URL: a.URL}
		if err := tx.AddFeed(&dup); !errors.Is(err, ErrExists) {
			t.Errorf("same URL twice: %v", err)
		}
		if err := tx.MarkFeedItem(a.ID, "guid-1", at); err != nil {
			return err
		}
		if err := tx.MarkFeedItem(b.ID, "guid-1", at); err != nil {
			return err
		}
		return tx.MarkFeedItem(a.ID, "https://news.example/2", at)
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || b.ID != 2 {
		t.Fatalf("ids %d %d", a.ID, b.ID)
	}
	err = st.Update(ctx, func(tx *Tx) error {
		if got, ok := tx.FeedItemSeen(a.ID, "guid-1"); !ok || !got.Equal(at) {
			t.Errorf("seen = %v %v", got, ok)
		}
		if _, ok := tx.FeedItemSeen(a.ID, "guid-2"); ok {
			t.Error("unseen item seen")
		}
		if n := tx.FeedItemCount(a.ID); n != 2 {
			t.Errorf("%d items for a", n)
		}
		a.ETag = `"x"`
		if err := tx.PutFeed(&a); err != nil {
			return err
		}
		if _, err := tx.DeleteFeed(a.ID); err != nil {
			return err
		}
		if _, ok := tx.FeedItemSeen(a.ID, "guid-1"); ok {
			t.Error("items outlive their feed")
		}
		if _, ok := tx.FeedItemSeen(b.ID, "guid-1"); !ok {
			t.Error("deleting one feed lost another's items")
		}
		if err := tx.PutFeed(&a); !errors.Is(err, ErrNotFound) {
			t.Errorf("a removed feed came back: %v", err)
		}
		if err := tx.MarkFeedItem(a.ID, "g", at); !errors.Is(err, ErrNotFound) {
			t.Errorf("item for a removed feed: %v", err)
		}
		list, err := tx.Feeds()
		if err != nil || len(list) != 1 || list[0].ID != b.ID {
			t.Errorf("feeds %+v %v", list, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
