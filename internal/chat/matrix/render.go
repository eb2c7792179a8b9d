package matrix

import (
	"fmt"
	"html"
	"strings"

	"newsbot/internal/chat/inert"
	"newsbot/internal/commands"
	"newsbot/internal/notify"
)

// message is a rendered reply: the plain body and its HTML form.
type message struct {
	Body string
	HTML string
}

// maxMessageBytes keeps a message well under Matrix's 64 KiB event limit
// (both bodies plus the envelope and, in encrypted rooms, base64).
const maxMessageBytes = 24_000

// renderer renders replies for Matrix. Commands shown to the reader
// ("alert confirm A1") carry the prefix users type.
type renderer struct {
	prefix string
}

// reply renders r, dropping statements and sections from the end, with a
// note saying so, when it would be too long for one message.
func (rd renderer) reply(r *commands.Reply) message {
	m := rd.render(r)
	if size(m) <= maxMessageBytes {
		return m
	}
	total := units(r.Sections)
	// The most units (statements, or sections without any) that fit.
	lo, hi := 0, total-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if size(rd.render(keep(r, mid, total))) <= maxMessageBytes {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	cut := keep(r, lo, total)
	for m = rd.render(cut); size(m) > maxMessageBytes; m = rd.render(cut) {
		// Even the title and text are too long: shorten the text.
		runes := []rune(cut.Text)
		if len(runes) < 2 {
			break // nothing left to cut: send what there is
		}
		cut.Text = string(runes[:len(runes)*3/4]) + "…"
	}
	return m
}

func size(m message) int { return len(m.Body) + len(m.HTML) }

// units counts what keep can drop: each statement, and each section
// without statements.
func units(ss []commands.Section) int {
	n := 0
	for _, s := range ss {
		n += max(1, len(s.Statements))
	}
	return n
}

// keep returns r with only its first n units and a note on the rest.
func keep(r *commands.Reply, n, total int) *commands.Reply {
	cut := *r
	cut.Sections = nil
	left := n
	for _, s := range r.Sections {
		if left == 0 {
			break
		}
		if k := len(s.Statements); k > left {
			s.Statements = s.Statements[:left]
		}
		left -= max(1, len(s.Statements))
		cut.Sections = append(cut.Sections, s)
	}
	cut.Sections = append(cut.Sections, commands.Section{Lines: []string{
		fmt.Sprintf("… %d more not shown: the reply was too long for one message.", total-n)}})
	return &cut
}

// render renders r without any length limit.
func (rd renderer) render(r *commands.Reply) message {
	var b, h strings.Builder
	title := r.Title
	if r.Error {
		title = "⚠ " + title
	}
	if title != "" {
		b.WriteString(plain(title) + "\n")
		h.WriteString("<p><strong>" + esc(title) + "</strong></p>\n")
	}
	if r.Text != "" {
		b.WriteString(plain(r.Text) + "\n")
		h.WriteString("<p>" + escLines(r.Text) + "</p>\n")
	}
	for _, s := range r.Sections {
		b.WriteString("\n")
		rd.section(&b, &h, s)
	}
	if len(r.Actions) > 0 {
		b.WriteString("\n" + rd.actionsPlain(r.Actions) + "\n")
		h.WriteString(rd.actionsHTML(r.Actions) + "\n")
	}
	return message{Body: strings.TrimRight(b.String(), "\n"), HTML: strings.TrimRight(h.String(), "\n")}
}

func (rd renderer) section(b, h *strings.Builder, s commands.Section) {
	switch {
	case s.Heading != "" && s.Subheading != "":
		b.WriteString("■ " + plain(s.Heading) + " — " + plain(s.Subheading) + "\n")
		h.WriteString("<h4>" + esc(s.Heading) + "</h4>\n<p><em>" + esc(s.Subheading) + "</em></p>\n")
	case s.Heading != "":
		b.WriteString("■ " + plain(s.Heading) + "\n")
		h.WriteString("<h4>" + esc(s.Heading) + "</h4>\n")
	case s.Subheading != "":
		b.WriteString(plain(s.Subheading) + "\n")
		h.WriteString("<p><em>" + esc(s.Subheading) + "</em></p>\n")
	}
	if len(s.Fields) > 0 {
		h.WriteString("<ul>\n")
		for _, f := range s.Fields {
			b.WriteString("  " + plain(f.Name) + ": " + plain(f.Value) + "\n")
			h.WriteString("<li><strong>" + esc(f.Name) + ":</strong> " + esc(f.Value) + "</li>\n")
		}
		h.WriteString("</ul>\n")
	}
	if len(s.Lines) > 0 {
		var parts []string
		for _, l := range s.Lines {
			b.WriteString("  " + plain(l) + "\n")
			parts = append(parts, escLines(l))
		}
		h.WriteString("<p>" + strings.Join(parts, "<br>") + "</p>\n")
	}
	if len(s.Statements) > 0 {
		h.WriteString("<ul>\n")
		for _, st := range s.Statements {
			rd.statement(b, h, st, s.Heading)
		}
		h.WriteString("</ul>\n")
	}
	if len(s.Actions) > 0 {
		b.WriteString("  " + rd.actionsPlain(s.Actions) + "\n")
		h.WriteString(rd.actionsHTML(s.Actions) + "\n")
	}
}

func (rd renderer) statement(b, h *strings.Builder, st commands.Statement, heading string) {
	who := ""
	if st.Speaker != "" && !strings.Contains(heading, st.Speaker) {
		who = st.Speaker
		if st.SpeakerRole != "" {
			who += " (" + st.SpeakerRole + ")"
		}
	}
	how := st.Kind
	if st.Cue != "" {
		how += ", " + st.Cue
	}
	tag := strings.TrimSuffix(st.ID+"; "+how, "; ")
	line, lineHTML := "“"+plain(st.Text)+"”", "“"+esc(st.Text)+"”"
	if who != "" {
		line, lineHTML = plain(who)+": "+line, "<strong>"+esc(who)+":</strong> "+lineHTML
	}
	b.WriteString("  • " + line + " [" + plain(tag) + "]\n")
	h.WriteString("<li>" + lineHTML + " <code>" + esc(tag) + "</code>")
	if len(st.Sources) > 0 {
		h.WriteString("\n<ul>\n")
		for _, src := range st.Sources {
			b.WriteString("      — " + sourcePlain(src) + "\n")
			h.WriteString("<li>" + sourceHTML(src) + "</li>\n")
		}
		h.WriteString("</ul>\n")
	}
	h.WriteString("</li>\n")
}

// sourceParts are a source's outlet, date and title, unescaped.
func sourceParts(src commands.Source) []string {
	var parts []string
	if src.Outlet != "" {
		parts = append(parts, src.Outlet)
	}
	switch {
	case !src.Published.IsZero():
		parts = append(parts, src.Published.Format("2006-01-02"))
	case !src.Ingested.IsZero():
		parts = append(parts, "ingested "+src.Ingested.Format("2006-01-02"))
	default:
		parts = append(parts, "date unknown")
	}
	if src.Title != "" {
		parts = append(parts, "“"+src.Title+"”")
	}
	return parts
}

func sourcePlain(src commands.Source) string {
	parts := sourceParts(src)
	switch {
	case src.URL != "":
		parts = append(parts, src.URL)
	case src.File != "":
		parts = append(parts, src.File)
	}
	for i, p := range parts {
		parts[i] = plain(p)
	}
	return strings.Join(parts, ", ")
}

func sourceHTML(src commands.Source) string {
	parts := sourceParts(src)
	for i, p := range parts {
		parts[i] = esc(p)
	}
	switch {
	case safeLink(src.URL):
		parts = append(parts, `<a href="`+html.EscapeString(src.URL)+`">`+esc(src.URL)+`</a>`)
	case src.URL != "":
		parts = append(parts, esc(src.URL))
	case src.File != "":
		parts = append(parts, "<code>"+esc(src.File)+"</code>")
	}
	return "— " + strings.Join(parts, ", ")
}

// safeLink: only plain web links become anchors; matrix.to links would
// turn into mention pills, and an address holding @room is shown as
// defused text rather than carried verbatim in an href.
func safeLink(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) &&
		!strings.Contains(l, "matrix.to/") && !strings.Contains(l, "@room") && !strings.ContainsAny(u, " \t\n\"<>")
}

func (rd renderer) actionsPlain(as []commands.Action) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, plain(a.Label)+": "+rd.prefix+plain(a.Command))
	}
	return "→ " + strings.Join(parts, " · ")
}

func (rd renderer) actionsHTML(as []commands.Action) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, esc(a.Label)+": <code>"+esc(rd.prefix+a.Command)+"</code>")
	}
	return "<p>→ " + strings.Join(parts, " · ") + "</p>"
}

// alert renders a contradiction alert for an alert room.
func (rd renderer) alert(a notify.Alert) message {
	return rd.reply(&commands.Reply{Title: "⚠ New contradiction alert",
		Sections: []commands.Section{commands.AlertSection(a)}})
}

// plain makes text from articles and users inert in a plain body: control
// and format characters go, and "@room" cannot notify the room.
func plain(s string) string {
	return defuse(inert.Clean(s))
}

// esc makes text inert in HTML: escaped, cleaned and defused.
func esc(s string) string {
	return defuse(html.EscapeString(inert.Clean(s)))
}

// escLines is esc with line breaks kept.
func escLines(s string) string {
	return strings.ReplaceAll(esc(s), "\n", "<br>")
}

// defuse breaks "@room", which would notify everyone in the room, with an
// invisible word joiner.
func defuse(s string) string {
	if !strings.Contains(strings.ToLower(s), "@room") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '@' && len(s)-i > 4 && strings.EqualFold(s[i+1:i+5], "room") {
			b.WriteString("\u2060")
		}
	}
	return b.String()
}
