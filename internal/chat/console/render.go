// Package console is the terminal adapter: a REPL on a terminal, one
// command per line from a pipe, replies and alerts as plain text.
package console

import (
	"fmt"
	"io"
	"strings"

	"newsbot/internal/chat/inert"
	"newsbot/internal/commands"
	"newsbot/internal/notify"
)

// Render writes a reply as plain text. All text from articles and users is
// made inert first: control characters (terminal escape sequences among
// them) are removed.
func Render(w io.Writer, r *commands.Reply) error {
	var b strings.Builder
	title := inert.Clean(r.Title)
	if r.Error {
		title = "! " + title
	}
	b.WriteString(title + "\n")
	if r.Text != "" {
		b.WriteString(indent(inert.Clean(r.Text), "") + "\n")
	}
	for _, s := range r.Sections {
		b.WriteString("\n")
		renderSection(&b, s)
	}
	if len(r.Actions) > 0 {
		b.WriteString("\n" + actions(r.Actions) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderSection(b *strings.Builder, s commands.Section) {
	if s.Heading != "" {
		h := "■ " + inert.Clean(s.Heading)
		if s.Subheading != "" {
			h += " — " + inert.Clean(s.Subheading)
		}
		b.WriteString(h + "\n")
	} else if s.Subheading != "" {
		b.WriteString(inert.Clean(s.Subheading) + "\n")
	}
	for _, f := range s.Fields {
		fmt.Fprintf(b, "  %s: %s\n", inert.Clean(f.Name), inert.Clean(f.Value))
	}
	for _, l := range s.Lines {
		b.WriteString(indent(inert.Clean(l), "  ") + "\n")
	}
	for _, st := range s.Statements {
		renderStatement(b, st, s.Heading)
	}
	if len(s.Actions) > 0 {
		b.WriteString("  " + actions(s.Actions) + "\n")
	}
}

func renderStatement(b *strings.Builder, st commands.Statement, heading string) {
	who := ""
	if !strings.Contains(heading, st.Speaker) {
		who = inert.Clean(st.Speaker)
		if st.SpeakerRole != "" {
			who += " (" + inert.Clean(st.SpeakerRole) + ")"
		}
		who += ": "
	}
	how := st.Kind
	if st.Cue != "" {
		how += ", " + inert.Clean(st.Cue)
	}
	fmt.Fprintf(b, "  • %s“%s” [%s; %s]\n", who, inert.Clean(st.Text), st.ID, how)
	for _, src := range st.Sources {
		b.WriteString("      — " + SourceLine(src) + "\n")
	}
}

// SourceLine describes where a statement appeared: outlet, date, title and
// link or file.
func SourceLine(src commands.Source) string {
	var parts []string
	if src.Outlet != "" {
		parts = append(parts, inert.Clean(src.Outlet))
	}
	parts = append(parts, dateOf(src))
	if src.Title != "" {
		parts = append(parts, "“"+inert.Clean(src.Title)+"”")
	}
	switch {
	case src.URL != "":
		parts = append(parts, inert.Clean(src.URL))
	case src.File != "":
		parts = append(parts, inert.Clean(src.File))
	}
	return strings.Join(parts, ", ")
}

func dateOf(src commands.Source) string {
	switch {
	case !src.Published.IsZero():
		return src.Published.Format("2006-01-02")
	case !src.Ingested.IsZero():
		return "ingested " + src.Ingested.Format("2006-01-02")
	}
	return "date unknown"
}

func actions(as []commands.Action) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("[%s: %s]", inert.Clean(a.Label), inert.Clean(a.Command)))
	}
	return "→ " + strings.Join(parts, " ")
}

// RenderAlert writes an alert as plain text.
func RenderAlert(w io.Writer, a notify.Alert) error {
	r := &commands.Reply{Title: "⚠ New contradiction alert", Sections: []commands.Section{commands.AlertSection(a)}}
	return Render(w, r)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
