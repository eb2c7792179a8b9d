package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsbot/internal/store"
)

// FeedManager subscribes to feeds and drops them; *feeds.Service is one.
type FeedManager interface {
	Add(ctx context.Context, url, by string, every time.Duration) (store.Feed, error)
	Remove(ctx context.Context, id uint64) (store.Feed, error)
	NextPoll(f store.Feed) time.Time
	MinInterval() time.Duration
}

func (h *handlers) feedCommands() []Command {
	return []Command{
		{Name: "feeds", Aliases: []string{"feed"}, Args: "[list | add URL [EVERY] | remove ID]", Run: h.feeds,
			Summary: "RSS and Atom feeds whose new articles are read on their own",
			Help: "`feeds` lists the feeds. Admins add one with `feeds add URL` (optionally how often to look, " +
				"like 30m or 2h) and drop one with `feeds remove F3`. New items are ingested as they appear " +
				"and raise contradiction alerts like any article.\n" +
				"Example: feeds add https://example.org/rss.xml 30m"},
	}
}

func (h *handlers) feeds(ctx context.Context, req *Request, args []string) (*Reply, error) {
	sub := "list"
	if len(args) > 0 {
		sub, args = strings.ToLower(args[0]), args[1:]
	}
	switch sub {
	case "list", "ls":
		return h.feedList(ctx)
	case "add", "remove", "rm", "delete":
	default:
		return errorReply("Unknown feeds command %q: use list, add URL or remove ID.", sub), nil
	}
	if !req.IsAdmin {
		return errorReply("`feeds %s` is for admins only.", sub), nil
	}
	if h.Feeds == nil {
		return errorReply("This bot is not set up to follow feeds."), nil
	}
	if sub == "add" {
		return h.feedAdd(ctx, req, args)
	}
	if len(args) != 1 {
		return errorReply("usage: feeds remove ID (`feeds` lists the ids)"), nil
	}
	id, err := store.ParseRef('F', args[0])
	if err != nil {
		return errorReply("%v.", err), nil
	}
	f, err := h.Feeds.Remove(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return errorReply("There is no feed %s. `feeds` lists them.", store.FeedRef(id)), nil
	}
	if err != nil {
		return nil, err
	}
	return &Reply{Title: "Stopped following " + feedName(f),
		Text: fmt.Sprintf("Feed %s removed; the articles it brought stay on record.", store.FeedRef(f.ID))}, nil
}

func (h *handlers) feedAdd(ctx context.Context, req *Request, args []string) (*Reply, error) {
	if len(args) < 1 || len(args) > 2 || !isURL(args[0]) {
		return errorReply("usage: feeds add URL [EVERY], with an http(s) URL and an interval like 30m"), nil
	}
	var every time.Duration
	if len(args) == 2 {
		var err error
		if every, err = time.ParseDuration(strings.TrimPrefix(args[1], "--every=")); err != nil || every <= 0 {
			return errorReply("%q is not an interval: use one like 30m or 2h.", args[1]), nil
		}
		if min := h.Feeds.MinInterval(); every < min {
			return errorReply("Feeds are read at most every %s.", min), nil
		}
	}
	f, err := h.Feeds.Add(ctx, args[0], req.Platform+":"+req.User, every)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return errorReply("Could not add the feed: %v", err), nil
	}
	return &Reply{Title: "Following " + feedName(f),
		Text: fmt.Sprintf("Feed %s, read every %s. Its articles are being read now; new ones will raise alerts as they come.",
			store.FeedRef(f.ID), f.Interval)}, nil
}

func (h *handlers) feedList(ctx context.Context) (*Reply, error) {
	var list []store.Feed
	counts := map[uint64]int{}
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		list, err = tx.Feeds()
		for _, f := range list {
			counts[f.ID] = tx.FeedItemCount(f.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	reply := &Reply{Title: "Feeds"}
	if len(list) == 0 {
		reply.Text = "None yet. Admins add one with `feeds add URL`."
		return reply, nil
	}
	now := h.Now()
	for _, f := range list {
		sec := Section{Heading: store.FeedRef(f.ID) + " " + feedName(f), Lines: []string{f.URL}}
		state := "not read yet"
		if !f.LastPolled.IsZero() {
			state = "read " + ago(now.Sub(f.LastPolled)) + ", OK"
			if f.LastError != "" {
				state = fmt.Sprintf("read %s: %s", ago(now.Sub(f.LastPolled)), f.LastError)
			}
		}
		sec.Fields = []Field{{Name: "Every", Value: f.Interval.String()}, {Name: "Items seen", Value: fmt.Sprint(counts[f.ID])},
			{Name: "Last", Value: state}}
		if h.Feeds != nil && f.Failures > 0 {
			sec.Fields = append(sec.Fields, Field{Name: "Next try", Value: fmt.Sprintf("in %s (%s failing in a row)",
				h.Feeds.NextPoll(f).Sub(now).Round(time.Minute), plural(f.Failures, "time", "times"))})
		}
		reply.Sections = append(reply.Sections, sec)
	}
	return reply, nil
}

func feedName(f store.Feed) string {
	if f.Title != "" {
		return "“" + f.Title + "”"
	}
	return f.URL
}

func ago(d time.Duration) string {
	if d < time.Minute {
		return "just now"
	}
	return d.Round(time.Minute).String() + " ago"
}
