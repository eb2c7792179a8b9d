package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// ingestArgs parses `[--outlet NAME] [--date YYYY-MM-DD] REST...`.
func ingestArgs(args []string) (outlet string, date time.Time, rest []string, err error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "--") {
		flag, val, hasVal := strings.Cut(args[0], "=")
		args = args[1:]
		if flag == "--" {
			break
		}
		if !hasVal {
			if len(args) == 0 {
				return "", time.Time{}, nil, fmt.Errorf("%s needs a value", flag)
			}
			val, args = args[0], args[1:]
		}
		switch flag {
		case "--outlet":
			outlet = val
		case "--date":
			if date, err = time.Parse("2006-01-02", val); err != nil {
				return "", time.Time{}, nil, fmt.Errorf("--date %q: want YYYY-MM-DD", val)
			}
		default:
			return "", time.Time{}, nil, fmt.Errorf("unknown option %s (use --outlet or --date)", flag)
		}
	}
	if len(args) == 0 && err == nil {
		err = errors.New("nothing to ingest: give a URL, a file or the article's text")
	}
	return outlet, date, args, err
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func (h *handlers) ingest(ctx context.Context, req *Request, args []string) (*Reply, error) {
	outlet, date, rest, err := ingestArgs(args)
	if err != nil && req.Attachment == nil {
		return errorReply("%v.", err), nil
	}
	in := ingest.Input{Outlet: outlet, Published: date}
	switch {
	case req.Attachment != nil:
		var refusal *Reply
		if in, refusal = attachmentInput(req.Attachment, in); refusal != nil {
			return refusal, nil
		}
	case len(rest) == 1 && isURL(rest[0]):
		if h.Fetcher == nil {
			return errorReply("This bot is not set up to fetch URLs; paste the article's text instead."), nil
		}
		fetched, err := h.Fetcher.Fetch(ctx, rest[0])
		if err != nil {
			return errorReply("Could not fetch %s: %v", rest[0], err), nil
		}
		if outlet != "" {
			fetched.Outlet = outlet
		}
		if !date.IsZero() {
			fetched.Published = date
		}
		in = fetched
	case len(rest) == 1 && LocalPlatform(req.Platform) && looksLikePath(rest[0]):
		data, err := h.ReadFile(rest[0])
		if errors.Is(err, fs.ErrNotExist) {
			return errorReply("There is no file %s.", rest[0]), nil
		}
		if err != nil {
			return errorReply("Could not read %s: %v", rest[0], err), nil
		}
		if !utf8.Valid(data) {
			return errorReply("%s is not UTF-8 text.", rest[0]), nil
		}
		in.Text, in.File, in.Headline = string(data), rest[0], true
	default:
		text := strings.Join(rest, " ")
		in.Text, in.Headline = text, strings.Contains(strings.TrimSpace(text), "\n")
	}
	res, err := h.Ingester.Ingest(ctx, in)
	if errors.Is(err, ingest.ErrEmpty) {
		return errorReply("That article has no text."), nil
	}
	if le := (*ingest.LimitError)(nil); errors.As(err, &le) {
		return errorReply("Not ingested: %s.", le.Msg), nil
	}
	if err != nil {
		return nil, err
	}
	return ingestReply(res), nil
}

// looksLikePath: a single argument naming an existing file, or one shaped
// like a path (so a typo gets "no such file" rather than being ingested as
// a one-word article).
func looksLikePath(s string) bool {
	if _, err := os.Stat(s); err == nil {
		return true
	}
	return strings.ContainsAny(s, `/\`) || filepath.Ext(s) != "" && !strings.ContainsAny(s, " ")
}

func ingestReply(res ingest.Result) *Reply {
	title := orDefault(res.Title, "(untitled)")
	if res.DuplicateOf != "" {
		return duplicateReply(res)
	}
	r := &Reply{Title: "Ingested “" + title + "”",
		Text: fmt.Sprintf("Article %s: %s, %s already on record from other sources, %s.", short(res.ArticleID),
			plural(res.New, "new statement", "new statements"), plural(res.Merged, "statement", "statements"),
			plural(len(res.Alerts), "contradiction alert", "contradiction alerts"))}
	for _, al := range res.Alerts {
		r.Sections = append(r.Sections, AlertSection(al))
	}
	return r
}

// AlertSection renders an alert message as a reply section: adapters use
// it for alert posts too.
func AlertSection(al notify.Alert) Section {
	kind := "Contradiction"
	if al.SameSpeaker {
		kind = "Change of position"
	}
	sec := Section{
		Heading:    fmt.Sprintf("%s %s (score %.2f)", kind, al.ID, al.Score),
		Subheading: "Why: " + strings.Join(al.Reasons, "; "),
		Actions:    alertActions(al.ID),
	}
	for _, c := range []notify.Claim{al.Old, al.New} {
		sec.Statements = append(sec.Statements, Statement{ID: c.StatementID, Speaker: c.Speaker,
			SpeakerRole: c.SpeakerRole, Text: c.Text, Kind: c.Kind, Sources: []Source{{ArticleID: c.ArticleID,
				Outlet: c.Outlet, Title: c.Title, URL: urlOf(c.Article), File: fileOf(c.Article), Published: c.Published}}})
	}
	return sec
}

func urlOf(ref string) string {
	if isURL(ref) {
		return ref
	}
	return ""
}

func fileOf(ref string) string {
	if isURL(ref) {
		return ""
	}
	return ref
}

func short(id string) string { return id[:min(12, len(id))] }

func (h *handlers) forget(ctx context.Context, req *Request, args []string) (*Reply, error) {
	ref := strings.Join(args, " ")
	var reply *Reply
	err := h.Store.Update(ctx, func(tx *store.Tx) error {
		found, err := tx.FindArticles(ref)
		if err != nil {
			return err
		}
		switch len(found) {
		case 0:
			reply = errorReply("No article matches %q. `sources` lists article ids.", ref)
			return nil
		case 1:
		default:
			reply = errorReply("%d articles match %q; give more of the id:\n%s", len(found), ref, articleList(found))
			return nil
		}
		a := found[0]
		stmts, alerts, err := tx.DeleteArticle(a.ID)
		if err != nil {
			return err
		}
		reply = &Reply{Title: "Forgot “" + orDefault(a.Title, a.ID) + "”",
			Text: fmt.Sprintf("Removed article %s, %s only it carried and %s on them.", short(a.ID),
				plural(stmts, "statement", "statements"), plural(alerts, "alert", "alerts"))}
		return nil
	})
	return reply, err
}

func articleList(as []store.Article) string {
	var lines []string
	for i := range as[:min(len(as), 10)] {
		lines = append(lines, articleLine(&as[i]))
	}
	return strings.Join(lines, "\n")
}

func (h *handlers) stories(ctx context.Context, req *Request, args []string) (*Reply, error) {
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		list, err := tx.Stories()
		if err != nil {
			return err
		}
		reply = &Reply{Title: "Tracked stories"}
		if len(list) == 0 {
			reply.Text = "None yet. Admins add one with `track NAME QUERY`; `status` also takes plain search words."
			return nil
		}
		sec := Section{}
		for _, s := range list {
			sec.Lines = append(sec.Lines, fmt.Sprintf("%s — %q", s.Name, s.Query))
		}
		reply.Sections = []Section{sec}
		return nil
	})
	return reply, err
}

func (h *handlers) track(ctx context.Context, req *Request, args []string) (*Reply, error) {
	name := strings.ToLower(args[0])
	q := strings.Join(args[1:], " ")
	s := store.Story{Name: name, Query: q, AddedBy: req.Platform + ":" + req.User, Added: h.Now().UTC()}
	if err := h.Store.Update(ctx, func(tx *store.Tx) error { return tx.PutStory(&s) }); err != nil {
		return nil, err
	}
	return &Reply{Title: "Tracking " + name, Text: fmt.Sprintf("`status %s` now searches for %q.", name, q)}, nil
}

func (h *handlers) untrack(ctx context.Context, req *Request, args []string) (*Reply, error) {
	name := strings.ToLower(args[0])
	err := h.Store.Update(ctx, func(tx *store.Tx) error { return tx.DeleteStory(name) })
	if errors.Is(err, store.ErrNotFound) {
		return errorReply("No tracked story is called %q. `stories` lists them.", name), nil
	}
	if err != nil {
		return nil, err
	}
	return &Reply{Title: "Stopped tracking " + name}, nil
}
