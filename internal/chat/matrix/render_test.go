package matrix

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/goldentest"
	"newsbot/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update)
}

func sampleReply() *commands.Reply {
	pub := time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC)
	return &commands.Reply{Title: "Who said what about “refugees”", Text: "2 statements from 2 speakers.",
		Sections: []commands.Section{
			{Heading: "Anna Berg", Subheading: "interior minister, Austria", Statements: []commands.Statement{{
				ID: "S1", Speaker: "Anna Berg", Text: "We will not leave a single refugee without shelter", Kind: "direct", Cue: "told",
				Sources: []commands.Source{
					{Outlet: "Testwire", Published: pub, Title: "Ministers meet", URL: "https://example.org/a?x=1&y=2"},
					{File: "notes.txt", Ingested: pub},
				}}}},
			{Heading: "Jonas Lind", Statements: []commands.Statement{{
				ID: "S2", Speaker: "Jonas Lind", SpeakerRole: "port director", Text: "The harbour reopens", Kind: "indirect",
				Sources: []commands.Source{{Outlet: "Harbour News"}}}}},
		}}
}

func TestRenderReplyGolden(t *testing.T) {
	m := renderer{prefix: "!"}.reply(sampleReply())
	golden(t, "reply.html", m.HTML+"\n")
	golden(t, "reply.txt", m.Body+"\n")
}

func sampleAlert() notify.Alert {
	return notify.Alert{ID: "A7", Score: 0.91, Reasons: []string{"negation: “no deal” vs “deal is done”"},
		New: notify.Claim{StatementID: "S9", Speaker: "Carla Mendes", SpeakerRole: "finance minister", Text: "There is no deal",
			Kind: "direct", Article: "https://example.org/b", Outlet: "Daily Post"},
		Old: notify.Claim{StatementID: "S4", Speaker: "Carla Mendes", SpeakerRole: "finance minister", Text: "The deal is done",
			Kind: "direct", Article: "monday.txt", Published: time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)}}
}

func TestRenderAlertGolden(t *testing.T) {
	m := renderer{prefix: "!"}.alert(sampleAlert())
	golden(t, "alert.html", m.HTML+"\n")
	golden(t, "alert.txt", m.Body+"\n")
	if !strings.Contains(m.Body, "!alert confirm A7") || !strings.Contains(m.HTML, "<code>!alert dismiss A7</code>") {
		t.Errorf("the actions must show the commands to type, with the prefix:\n%s", m.Body)
	}
}

// Text from articles and users is data: it must not become markup, links,
// pills or a room-wide ping.
func TestRenderInjection(t *testing.T) {
	evil := `<script>alert(1)</script><a href="https://matrix.to/#/@room">x</a> @room <b>bold</b> &amp;` + "\x1b[2J\u202e"
	rep := &commands.Reply{Title: evil, Text: evil, Sections: []commands.Section{{
		Heading: evil, Subheading: evil, Fields: []commands.Field{{Name: evil, Value: evil}}, Lines: []string{evil},
		Statements: []commands.Statement{{ID: "S1", Speaker: evil, SpeakerRole: evil, Text: evil, Kind: "direct", Cue: evil,
			Sources: []commands.Source{
				{Outlet: evil, Title: evil, URL: `javascript:alert(1)`},
				{Outlet: "x", URL: `https://matrix.to/#/@room`},
				{Outlet: "y", URL: `https://example.org/"onmouseover="alert(1)`},
			}}},
		Actions: []commands.Action{{Label: evil, Command: evil}},
	}}}
	m := renderer{prefix: "!"}.reply(rep)
	for _, bad := range []string{"<script", "<b>", `<a href="https://matrix.to`, `href="javascript`, "onmouseover=\"", "\x1b", "\u202e"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML contains %q:\n%s", bad, m.HTML)
		}
	}
	for _, s := range []string{m.HTML, m.Body} {
		if strings.Contains(strings.ToLower(s), "@room") {
			t.Errorf("@room survived:\n%s", s)
		}
	}
	if !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(m.HTML, "&amp;amp;") {
		t.Errorf("the text must still be shown, escaped:\n%s", m.HTML)
	}
	if !strings.Contains(m.Body, "<script>alert(1)</script>") {
		t.Errorf("the plain body shows the text as it was:\n%s", m.Body)
	}
	// Every tag the renderer itself writes is one of its own.
	allowed := map[string]bool{"p": true, "strong": true, "em": true, "h4": true, "ul": true, "li": true, "code": true, "br": true, "a": true}
	for _, tag := range tags(m.HTML) {
		if !allowed[tag] {
			t.Errorf("unexpected tag <%s>", tag)
		}
	}
}

// tags lists the element names in html.
func tags(html string) []string {
	var out []string
	for {
		i := strings.IndexByte(html, '<')
		if i < 0 {
			return out
		}
		html = html[i+1:]
		name := strings.TrimPrefix(html, "/")
		end := strings.IndexAny(name, " >")
		if end < 0 {
			return out
		}
		out = append(out, name[:end])
	}
}

func TestRenderErrorAndLongReply(t *testing.T) {
	rd := renderer{prefix: "!"}
	m := rd.reply(&commands.Reply{Title: "Unknown command", Text: "Unknown command \"x\".", Error: true})
	if !strings.HasPrefix(m.Body, "⚠ Unknown command") {
		t.Errorf("error reply: %q", m.Body)
	}

	long := &commands.Reply{Title: "Many"}
	for i := range 300 {
		long.Sections = append(long.Sections, commands.Section{Heading: "Speaker", Statements: []commands.Statement{{
			ID: "S" + string(rune('0'+i%10)), Speaker: "Speaker", Kind: "direct", Text: strings.Repeat("words and more words ", 10),
			Sources: []commands.Source{{Outlet: "Outlet", URL: "https://example.org/" + strings.Repeat("p", 40)}}}}})
	}
	m = rd.reply(long)
	if n := len(m.Body) + len(m.HTML); n > maxMessageBytes {
		t.Errorf("long reply is %d bytes, over %d", n, maxMessageBytes)
	}
	if !strings.Contains(m.Body, "more not shown") || !strings.Contains(m.HTML, "more not shown") {
		t.Errorf("a cut reply must say so:\n%s", m.Body[len(m.Body)-200:])
	}
	if !strings.Contains(m.Body, "Many") || !strings.Contains(m.Body, "words and more words") {
		t.Error("the cut reply keeps its beginning")
	}
	shown := strings.Count(m.Body, "  • ")
	var omitted int
	if _, err := fmt.Sscanf(m.Body[strings.Index(m.Body, "… "):], "… %d more", &omitted); err != nil {
		t.Fatal(err)
	}
	if shown == 0 || shown+omitted != 300 {
		t.Errorf("%d shown + %d omitted, want 300 in all", shown, omitted)
	}
}

func TestTxnIDStable(t *testing.T) {
	a, b := txnID("re", "$e1"), txnID("re", "$e1")
	if a != b || a == txnID("re", "$e2") || a == txnID("alert", "$e1") {
		t.Errorf("txn ids: %s %s %s", a, b, txnID("re", "$e2"))
	}
}
