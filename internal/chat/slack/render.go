package slack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"newsbot/internal/commands"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
const (
	maxBlocks       = 50   // blocks in one message
	maxHeader       = 150  // characters in a header
	maxSectionText  = 3000 // characters in a section's text
	maxField        = 2000 // characters in one section field
	maxFields       = 10   // fields in one section
	maxContextElems = 10   // elements in one context block
	maxButtonText   = 75
	maxButtonValue  = 2000
	maxFallback     = 3000 // characters of the notification text we send
	// maxPageBytes keeps one rendered message well under Slack's 20 KB
	// acknowledgement limit, so a one-page reply can travel in the ack.
	maxPageBytes = 15 * 1024
	// maxSourcesShown per statement: two context elements each.
	maxSourcesShown = 4
)

// message is one Slack message: what goes into an acknowledgement, a
// response_url post or chat.postMessage.
type message struct {
	ResponseType string           `json:"response_type,omitempty"`
	Text         string           `json:"text"`
	Blocks       []slackapi.Block `json:"blocks"`
}

// escape makes text safe inside a Slack text object: &, < and > are the
// only control characters (Slack decodes these three entities for display),
// and without a literal < no mention (<!channel>, <@U…>), channel link or
// URL syntax can start. Control and format characters (terminal escapes,
// bidi overrides, zero-width spaces) are dropped as well, as on the other
// platforms: they would only hide or reorder what a reader sees.
func escape(s string) string { return escaper.Replace(stripControls(s)) }

// stripControls removes control and format characters except newlines,
// tabs, the word joiner that defuses broadcasts and the zero-width joiner
// inside emoji.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\u2060' || r == '\u200d':
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// Replacers are safe for concurrent use and never change.
var (
	escaper     = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	markerSwaps = strings.NewReplacer("*", "∗", "_", "‗", "~", "∼", "`", "ˋ")
	urlEscaper  = strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20", "&", "&amp;")
)

// broadcastWords are bare words that some Slack surfaces (the top-level
// text with link_names, old clients) turn into notifications.
var broadcastWords = []string{"channel", "here", "everyone"}

// mrkdwnSafe escapes text for a mrkdwn object: the control characters, bare
// @channel/@here/@everyone (a word joiner after the @ keeps them from
// linking) and the formatting markers, which are replaced by look-alikes so
// that *, _, ~ and ` in a name cannot turn on bold, italics, strike or code.
// It is used only for short headings; long third-party text goes into
// plain_text objects, which are never formatted.
func mrkdwnSafe(s string) string {
	return markerSwaps.Replace(defuseBroadcasts(escape(s)))
}

// defuseBroadcasts puts a word joiner (U+2060) after the @ of @channel,
// @here and @everyone, in any case.
func defuseBroadcasts(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] != '@' {
			continue
		}
		rest := strings.ToLower(s[i+1 : min(len(s), i+1+len("everyone"))])
		for _, w := range broadcastWords {
			if strings.HasPrefix(rest, w) {
				b.WriteString("\u2060")
				break
			}
		}
	}
	return b.String()
}

// truncate cuts s to at most n characters, ending with … when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// escapedTruncate escapes s and cuts it so the escaped text fits n
// characters, never in the middle of an entity.
func escapedTruncate(s string, n int) string { return fitEscaped(s, n, escape) }

// fitEscaped cuts s until esc(s) fits n characters.
func fitEscaped(s string, n int, esc func(string) string) string {
	e := esc(s)
	for utf8.RuneCountInString(e) > n {
		s = truncate(s, max(1, utf8.RuneCountInString(s)-(utf8.RuneCountInString(e)-n)-1))
		e = esc(s)
	}
	return e
}

func plain(s string, n int) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, escapedTruncate(s, n), false, false)
}

func mrkdwn(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, true)
}

// safeURL returns u as a link target, or "" when it is not an http(s) URL.
// Characters that would end Slack's <url|label> syntax are percent-encoded.
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	// Control and format characters left in a raw query (C1 controls,
	// bidi overrides) are percent-encoded, so they cannot reorder the link.
	var b strings.Builder
	for _, r := range p.String() {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			b.WriteString(url.QueryEscape(string(r)))
			continue
		}
		b.WriteRune(r)
	}
	return urlEscaper.Replace(b.String())
}

// link is a mrkdwn link with a label of our own (never third-party text).
func link(u, label string) string {
	if s := safeURL(u); s != "" {
		return "<" + s + "|" + label + ">"
	}
	return ""
}

// fallback is the message's top-level text: notifications and screen
// readers use it. It is mrkdwn, so it is made safe like a heading.
func fallback(r *commands.Reply) string {
	t := r.Title
	if t == "" {
		t = r.Text
	}
	if t == "" && len(r.Sections) > 0 {
		t = r.Sections[0].Heading
	}
	if t == "" {
		t = "newsbot"
	}
	return fitEscaped(t, maxFallback, mrkdwnSafe)
}

// renderBlocks turns a reply into Block Kit blocks, in order, not yet
// split into messages.
func renderBlocks(r *commands.Reply) []slackapi.Block {
	var out []slackapi.Block
	if r.Title != "" {
		title := r.Title
		if r.Error && !strings.HasPrefix(title, "⚠") {
			title = "⚠ " + title
		}
		out = append(out, slackapi.NewHeaderBlock(plain(title, maxHeader)))
	}
	if r.Text != "" {
		out = append(out, textSections(r.Text)...)
	}
	for i, sec := range r.Sections {
		if i > 0 || r.Title != "" || r.Text != "" {
			out = append(out, slackapi.NewDividerBlock())
		}
		out = append(out, renderSection(&sec, i)...)
	}
	if len(r.Actions) > 0 {
		out = append(out, actionBlock("actions", r.Actions))
	}
	if len(out) == 0 {
		out = append(out, slackapi.NewSectionBlock(plain("Done.", maxSectionText), nil, nil))
	}
	return out
}

// textSections splits long text over several sections, at line breaks
// where possible.
func textSections(text string) []slackapi.Block {
	var out []slackapi.Block
	for _, chunk := range splitText(text, maxSectionText-200) {
		out = append(out, slackapi.NewSectionBlock(plain(chunk, maxSectionText), nil, nil))
	}
	return out
}

func splitText(text string, n int) []string {
	var out []string
	for utf8.RuneCountInString(text) > n {
		r := []rune(text)
		cut := n
		if i := strings.LastIndex(string(r[:n]), "\n"); i > 0 {
			cut = utf8.RuneCountInString(string(r[:n])[:i])
		}
		out = append(out, strings.TrimRight(string(r[:cut]), "\n"))
		text = strings.TrimLeft(string(r[cut:]), "\n")
	}
	if strings.TrimSpace(text) != "" {
		out = append(out, text)
	}
	return out
}

func renderSection(sec *commands.Section, n int) []slackapi.Block {
	var out []slackapi.Block
	if sec.Heading != "" {
		head := "*" + fitEscaped(sec.Heading, 400, mrkdwnSafe) + "*"
		if sec.Subheading != "" {
			head += "\n" + fitEscaped(sec.Subheading, maxSectionText-410, mrkdwnSafe)
		}
		out = append(out, slackapi.NewSectionBlock(mrkdwn(head), nil, nil))
	}
	if len(sec.Fields) > 0 {
		for i := 0; i < len(sec.Fields); i += maxFields {
			var fields []*slackapi.TextBlockObject
			for _, f := range sec.Fields[i:min(len(sec.Fields), i+maxFields)] {
				fields = append(fields, plain(f.Name+": "+f.Value, maxField))
			}
			out = append(out, slackapi.NewSectionBlock(nil, fields, nil))
		}
	}
	if len(sec.Lines) > 0 {
		out = append(out, textSections(strings.Join(sec.Lines, "\n"))...)
	}
	speaker := sec.Heading
	for _, st := range sec.Statements {
		out = append(out, statementBlocks(&st, speaker)...)
	}
	if len(sec.Actions) > 0 {
		out = append(out, actionBlock(fmt.Sprintf("section-%d", n), sec.Actions))
	}
	return out
}

// statementBlocks is a statement's words (plain text: never formatted,
// never a mention) and a context line per source with outlet, date, title
// and link.
func statementBlocks(st *commands.Statement, heading string) []slackapi.Block {
	words := st.Text
	switch st.Kind {
	case "direct", "mixed":
		words = "“" + strings.Trim(words, "\"“”") + "”"
	}
	// Speaker named on the statement when the section is not about them.
	if st.Speaker != "" && !strings.Contains(heading, st.Speaker) {
		who := st.Speaker
		if st.SpeakerRole != "" {
			who += " (" + st.SpeakerRole + ")"
		}
		words = who + ": " + words
	}
	if st.ID != "" {
		words += "  [" + st.ID + "]"
	}
	out := []slackapi.Block{slackapi.NewSectionBlock(plain(words, maxSectionText), nil, nil)}
	var elems []slackapi.MixedElement
	for i, src := range st.Sources {
		if i == maxSourcesShown {
			elems = append(elems, plain(fmt.Sprintf("and %d more sources", len(st.Sources)-i), 200))
			break
		}
		elems = append(elems, plain(sourceLine(&src), 300))
		if l := link(src.URL, "link"); l != "" {
			elems = append(elems, mrkdwn(l))
		}
	}
	if len(elems) > 0 {
		out = append(out, slackapi.NewContextBlock("", elems[:min(len(elems), maxContextElems)]...))
	}
	return out
}

// sourceLine is "Outlet · 2018-07-20 · Title" (or the file name, or the
// date the bot read it when the publication date is unknown).
func sourceLine(src *commands.Source) string {
	var parts []string
	if src.Outlet != "" {
		parts = append(parts, src.Outlet)
	}
	switch {
	case !src.Published.IsZero():
		parts = append(parts, src.Published.Format("2006-01-02"))
	case !src.Ingested.IsZero():
		parts = append(parts, "read "+src.Ingested.Format("2006-01-02"))
	}
	switch {
	case src.Title != "":
		parts = append(parts, "“"+truncate(src.Title, 120)+"”")
	case src.File != "":
		parts = append(parts, src.File)
	case src.URL == "" && src.ArticleID != "":
		parts = append(parts, "article "+src.ArticleID[:min(12, len(src.ArticleID))])
	}
	if len(parts) == 0 {
		return "source unknown"
	}
	return strings.Join(parts, " · ")
}

// actionBlock renders buttons. The button's value is the command line the
// action runs, so a click is the same as typing it.
func actionBlock(blockID string, actions []commands.Action) slackapi.Block {
	var elems []slackapi.BlockElement
	for _, a := range actions[:min(len(actions), 25)] {
		b := slackapi.NewButtonBlockElement(a.ID, truncate(a.Command, maxButtonValue), plain(a.Label, maxButtonText))
		switch a.Style {
		case "primary":
			b.Style = slackapi.StylePrimary
		case "danger":
			b.Style = slackapi.StyleDanger
		}
		elems = append(elems, b)
	}
	if len(actions) > 0 && actions[0].Value != "" {
		blockID += ":" + truncate(actions[0].Value, 200)
	}
	return slackapi.NewActionBlock(blockID, elems...)
}

// paginate splits blocks into messages of at most maxBlocks blocks and
// maxPageBytes of JSON, never splitting a statement from its context line.
func paginate(blocks []slackapi.Block) [][]slackapi.Block {
	var pages [][]slackapi.Block
	var cur []slackapi.Block
	size := 0
	for i := 0; i < len(blocks); i++ {
		group := []slackapi.Block{blocks[i]}
		if i+1 < len(blocks) {
			if _, ok := blocks[i+1].(*slackapi.ContextBlock); ok {
				group = append(group, blocks[i+1])
				i++
			}
		}
		gsize := 0
		for _, b := range group {
			gsize += blockSize(b)
		}
		if len(cur) > 0 && (len(cur)+len(group) > maxBlocks || size+gsize > maxPageBytes) {
			pages = append(pages, trimDividers(cur))
			cur, size = nil, 0
		}
		cur = append(cur, group...)
		size += gsize
	}
	if len(cur) > 0 {
		pages = append(pages, trimDividers(cur))
	}
	return pages
}

func trimDividers(bs []slackapi.Block) []slackapi.Block {
	for len(bs) > 0 {
		if _, ok := bs[len(bs)-1].(*slackapi.DividerBlock); !ok {
			break
		}
		bs = bs[:len(bs)-1]
	}
	for len(bs) > 1 {
		if _, ok := bs[0].(*slackapi.DividerBlock); !ok {
			break
		}
		bs = bs[1:]
	}
	return bs
}

func blockSize(b slackapi.Block) int {
	js, err := json.Marshal(b)
	if err != nil {
		return maxPageBytes
	}
	return len(js) + 1
}

// renderMessages renders a reply as one or more messages. When there are
// more pages than limit, the last shown page says how many were left out.
func renderMessages(r *commands.Reply, limit int) []message {
	pages := paginate(renderBlocks(r))
	text := fallback(r)
	if limit > 0 && len(pages) > limit {
		left := len(pages) - limit
		pages = pages[:limit]
		last := pages[limit-1]
		note := slackapi.NewContextBlock("", plain(fmt.Sprintf("%d more pages not shown: narrow the query to see the rest.", left), 200))
		if len(last) >= maxBlocks {
			last = last[:maxBlocks-1]
		}
		pages[limit-1] = append(last, note)
	}
	out := make([]message, len(pages))
	for i, p := range pages {
		t := text
		if len(pages) > 1 {
			t = fmt.Sprintf("%s (%d/%d)", text, i+1, len(pages))
		}
		out[i] = message{Text: t, Blocks: p}
	}
	return out
}
