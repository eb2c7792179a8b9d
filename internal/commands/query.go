package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

// searchLimit bounds how many hits a topic query ranks.
const searchLimit = 500

// query resolves a topic or story name to search terms: a tracked story's
// query, or the words themselves.
func query(tx *store.Tx, words string) (terms []string, label string, err error) {
	label = words
	if s, ok, err := tx.Story(strings.ToLower(words)); err != nil {
		return nil, "", err
	} else if ok {
		words = s.Query
		label = s.Name
	}
	return textindex.QueryTerms(words), label, nil
}

func (h *handlers) whoSaid(ctx context.Context, req *Request, args []string) (*Reply, error) {
	topic := strings.Join(args, " ")
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		terms, label, err := query(tx, topic)
		if err != nil {
			return err
		}
		if len(terms) == 0 {
			reply = errorReply("%q has no words to search for; try a name or a subject, like `who-said refugees`.", topic)
			return nil
		}
		hits, err := tx.Search(terms, searchLimit)
		if err != nil {
			return err
		}
		reply = &Reply{Title: fmt.Sprintf("Who said what about “%s”", label)}
		if len(hits) == 0 {
			reply.Text = fmt.Sprintf("Nothing on record about “%s” yet.", label)
			return nil
		}
		v := newViewer(tx)
		var order []uint64
		groups := map[uint64]*Section{}
		shown := 0
		for _, hit := range hits {
			if shown == h.MaxStatements {
				break
			}
			st, err := v.load(hit.ID)
			if err != nil {
				return err
			}
			view, err := v.statement(st)
			if err != nil {
				return err
			}
			sec, ok := groups[st.SpeakerID]
			if !ok {
				sp, err := v.speaker(st.SpeakerID)
				if err != nil {
					return err
				}
				sec = &Section{Heading: sp.Name, Subheading: speakerRole(sp)}
				groups[st.SpeakerID] = sec
				order = append(order, st.SpeakerID)
			}
			sec.Statements = append(sec.Statements, view)
			shown++
		}
		if len(order) > 0 {
			reply.Sections = make([]Section, 0, len(order))
		}
		for _, id := range order {
			reply.Sections = append(reply.Sections, *groups[id])
		}
		total := plural(len(hits), "statement", "statements")
		if len(hits) >= searchLimit {
			total = fmt.Sprintf("more than %d statements", searchLimit-1)
		}
		if shown < len(hits) {
			reply.Text = fmt.Sprintf("%s; the best %d, from %s", total, shown, plural(len(order), "speaker", "speakers"))
		} else {
			reply.Text = fmt.Sprintf("%s from %s", total, plural(len(order), "speaker", "speakers"))
		}
		reply.Text += "."
		return nil
	})
	return reply, err
}

func (h *handlers) status(ctx context.Context, req *Request, args []string) (*Reply, error) {
	name := strings.Join(args, " ")
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		terms, label, err := query(tx, name)
		if err != nil {
			return err
		}
		if len(terms) == 0 {
			reply = errorReply("%q has no words to search for; name a tracked story (see `stories`) or give search words.", name)
			return nil
		}
		hits, err := tx.Search(terms, searchLimit)
		if err != nil {
			return err
		}
		reply = &Reply{Title: fmt.Sprintf("Status: %s", label)}
		if len(hits) == 0 {
			reply.Text = fmt.Sprintf("Nothing on record about “%s” yet.", label)
			return nil
		}
		v := newViewer(tx)
		stmts, err := v.storyHits(hits)
		if err != nil {
			return err
		}
		ids := make(map[uint64]bool, len(stmts))
		speakers := map[uint64]bool{}
		var first, last time.Time
		for _, sh := range stmts {
			ids[sh.id] = true
			speakers[sh.speaker] = true
			if first.IsZero() || sh.first.Before(first) {
				first = sh.first
			}
			if sh.latest.After(last) {
				last = sh.latest
			}
		}
		reply.Sections = append(reply.Sections, Section{Fields: []Field{
			{"Statements", strconv.Itoa(len(stmts))},
			{"Speakers", strconv.Itoa(len(speakers))},
			{"Dates", dateRange(first, last)},
		}})

		// Latest developments: newest first.
		byDate := slices.Clone(stmts)
		slices.SortStableFunc(byDate, func(a, b *storyHit) int { return b.latest.Compare(a.latest) })
		latest := Section{Heading: "Latest developments"}
		for _, sh := range byDate[:min(5, len(byDate))] {
			st, err := v.statementOf(sh)
			if err != nil {
				return err
			}
			view, err := v.statement(st)
			if err != nil {
				return err
			}
			latest.Statements = append(latest.Statements, view)
		}
		reply.Sections = append(reply.Sections, latest)

		// Positions: each party's latest statement.
		positions := Section{Heading: "Positions by party"}
		seenParty := map[string]bool{}
		for _, sh := range byDate {
			sp, err := v.speaker(sh.speaker)
			if err != nil {
				return err
			}
			party := sp.Affiliation
			if party == "" {
				party = sp.Name
			}
			if seenParty[strings.ToLower(party)] {
				continue
			}
			seenParty[strings.ToLower(party)] = true
			st, err := v.statementOf(sh)
			if err != nil {
				return err
			}
			who := sp.Name
			if sp.Affiliation == "" && sp.Role != "" {
				who += " (" + sp.Role + ")"
			}
			line := fmt.Sprintf("%s: “%s”", who, clip(st.Text, 160))
			if sp.Affiliation != "" {
				// The party first, then who speaks for it.
				line = sp.Affiliation + " — " + line
			}
			positions.Lines = append(positions.Lines, line)
			if len(positions.Lines) == h.MaxStatements {
				break
			}
		}
		reply.Sections = append(reply.Sections, positions)

		// Timeline: statements per day, oldest first.
		timeline, err := v.timeline(stmts)
		if err != nil {
			return err
		}
		reply.Sections = append(reply.Sections, timeline)

		// Open contradictions on the story.
		alerts, err := tx.AlertsOn(ids, false)
		if err != nil {
			return err
		}
		if len(alerts) == 0 {
			reply.Sections = append(reply.Sections, Section{Heading: "Open contradictions", Lines: []string{"None."}})
		}
		// Each alert its own section, so its two claims, its reasons and its
		// buttons stay together.
		for _, al := range alerts {
			sec, err := alertSection(v, al)
			if err != nil {
				return err
			}
			reply.Sections = append(reply.Sections, sec)
		}
		return nil
	})
	return reply, err
}

func dateRange(first, last time.Time) string {
	if first.IsZero() {
		return "unknown"
	}
	f, l := first.Format("2006-01-02"), last.Format("2006-01-02")
	if f == l {
		return f
	}
	return f + " to " + l
}

// clip shortens s to n code points, the last an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, runes := 0, 0
	for cut = range s {
		if runes == n-1 {
			break
		}
		runes++
	}
	if !utf8.ValidString(s[:cut]) {
		// What []rune makes of bytes that are not UTF-8: U+FFFD each.
		return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func clipList(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(slices.Clone(xs[:n]), fmt.Sprintf("%d more", len(xs)-n))
}

func (h *handlers) speaker(ctx context.Context, req *Request, args []string) (*Reply, error) {
	name := strings.Join(args, " ")
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		found, err := tx.FindSpeakers(name)
		if err != nil {
			return err
		}
		switch {
		case len(found) == 0:
			reply = errorReply("No speaker called %q on record. `who-said TOPIC` finds speakers by subject.", name)
			return nil
		case len(found) > 1:
			reply = &Reply{Title: fmt.Sprintf("%d speakers match “%s”", len(found), name),
				Text: "Name one more precisely:"}
			sec := Section{}
			for _, sp := range found[:min(len(found), 20)] {
				line := sp.Name
				if r := speakerRole(&sp); r != "" {
					line += " — " + r
				}
				sec.Lines = append(sec.Lines, line)
			}
			reply.Sections = []Section{sec}
			return nil
		}
		sp := found[0]
		v := newViewer(tx)
		all := tx.StatementsBySpeaker(sp.ID, 0)
		reply = &Reply{Title: sp.Name, Text: speakerRole(&sp)}
		facts := Section{Fields: []Field{{"Statements", strconv.Itoa(len(all))}, {"Kind", sp.Type}}}
		if len(sp.Aliases) > 0 {
			facts.Fields = append(facts.Fields, Field{"Also called", strings.Join(sp.Aliases, ", ")})
		}
		reply.Sections = append(reply.Sections, facts)
		latest := Section{Heading: "Latest statements"}
		for _, id := range all[:min(len(all), h.MaxStatements)] {
			st, err := v.load(id)
			if err != nil {
				return err
			}
			view, err := v.statement(st)
			if err != nil {
				return err
			}
			latest.Statements = append(latest.Statements, view)
		}
		reply.Sections = append(reply.Sections, latest)
		return nil
	})
	return reply, err
}

func (h *handlers) sources(ctx context.Context, req *Request, args []string) (*Reply, error) {
	n := 10
	if len(args) > 0 {
		var err error
		if n, err = strconv.Atoi(args[0]); err != nil || n < 1 || n > 100 {
			return errorReply("N must be a number from 1 to 100, not %q.", args[0]), nil
		}
	}
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		arts, err := tx.RecentArticles(n)
		if err != nil {
			return err
		}
		reply = &Reply{Title: "Latest articles"}
		if len(arts) == 0 {
			reply.Text = "No articles yet. Admins add them with `ingest URL`."
			return nil
		}
		sec := Section{}
		for _, a := range arts {
			sec.Lines = append(sec.Lines, articleLine(&a))
		}
		reply.Sections = []Section{sec}
		return nil
	})
	return reply, err
}

func articleLine(a *store.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s", a.ID[:12], orDefault(a.Title, "(untitled)"))
	var meta []string
	if a.Outlet != "" {
		meta = append(meta, a.Outlet)
	}
	if !a.Published.IsZero() {
		meta = append(meta, a.Published.Format("2006-01-02"))
	} else {
		meta = append(meta, "ingested "+a.Ingested.Format("2006-01-02"))
	}
	meta = append(meta, plural(len(a.Statements), "statement", "statements"))
	if a.URL != "" {
		meta = append(meta, a.URL)
	} else if a.File != "" {
		meta = append(meta, a.File)
	}
	fmt.Fprintf(&b, " — %s", strings.Join(meta, ", "))
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (h *handlers) stats(ctx context.Context, req *Request, args []string) (*Reply, error) {
	var c store.Counts
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.Counts()
		return err
	})
	if err != nil {
		return nil, err
	}
	fields := []Field{
		{"Articles", strconv.Itoa(c.Articles)},
		{"Statements", strconv.Itoa(c.Statements)},
		{"Speakers", strconv.Itoa(c.Speakers)},
		{"Open alerts", strconv.Itoa(c.OpenAlerts)},
		{"All alerts", strconv.Itoa(c.Alerts)},
		{"Tracked stories", strconv.Itoa(c.Stories)},
		{"Feeds", strconv.Itoa(c.Feeds)},
	}
	if !c.FirstArticle.IsZero() {
		fields = append(fields, Field{"Ingested", dateRange(c.FirstArticle, c.LastArticle)})
	}
	return &Reply{Title: "On record", Sections: []Section{{Fields: fields}}}, nil
}
