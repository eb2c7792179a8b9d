package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/goldentest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.golden files")

func golden(t *testing.T, name string, v any) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	// Block types marshal themselves with HTML escaping; undo it so the
	// golden files read as Slack receives the text.
	got := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(b.String())
	goldentest.Check(t, filepath.Join("testdata", name+".golden"), got, *update)
}

var (
	published = time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC)
	ingested  = time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC)
)

func whoSaidReply() *commands.Reply {
	return &commands.Reply{
		Title: "Who said what about “refugees”",
		Text:  "3 statements from 2 speakers",
		Sections: []commands.Section{
			{Heading: "Ann Lee", Subheading: "interior minister, Ruritania", Statements: []commands.Statement{
				{ID: "S1", Speaker: "Ann Lee", Text: "Refugees are welcome in this country.", Kind: "direct", Cue: "said",
					Sources: []commands.Source{
						{ArticleID: "a1b2c3d4e5f6a7b8", Outlet: "AFP", Title: "Border talks resume", URL: "https://example.org/border?id=1&lang=en", Published: published},
						{ArticleID: "ffeeddccbbaa9988", Outlet: "Reuters", File: "reuters-0720.txt", Ingested: ingested},
					}},
				{ID: "S4", Speaker: "Ann Lee", Text: "the camps would close by winter", Kind: "indirect", Cue: "said",
					Sources: []commands.Source{{ArticleID: "0011223344556677", Title: "Camps to close", Ingested: ingested}}},
			}},
			{Heading: "Bo Chan", Statements: []commands.Statement{
				{ID: "S2", Speaker: "Bo Chan", Text: "The camp is full.", Kind: "direct",
					Sources: []commands.Source{{ArticleID: "a1b2c3d4e5f6a7b8", Outlet: "AFP", URL: "https://example.org/border?id=1&lang=en", Published: published}}},
			}},
		},
	}
}

func testAlert() notify.Alert {
	return notify.Alert{ID: "A7", Score: 0.87, Reasons: []string{"negation of the same claim", "same subject: bridge"}, SameSpeaker: true,
		Old: notify.Claim{StatementID: "S3", Speaker: "Ann Lee", SpeakerRole: "minister", Text: "We will build the bridge.", Kind: "direct",
			Article: "https://example.org/bridge", ArticleID: "aaaa", Outlet: "AFP", Title: "Bridge plan", Published: published},
		New: notify.Claim{StatementID: "S9", Speaker: "Ann Lee", SpeakerRole: "minister", Text: "We will not build the bridge.", Kind: "direct",
			Article: "bridge-dropped.txt", ArticleID: "bbbb", Outlet: "Reuters", Title: "Bridge plan dropped", Published: published.AddDate(0, 1, 0)}}
}

// ackMessage renders r the way it goes into an acknowledgement.
func ackMessage(t *testing.T, r *commands.Reply, visibility string) message {
	t.Helper()
	a := &Adapter{o: Options{ReplyVisibility: visibility}}
	p, ok := a.ack(r).(message)
	if !ok {
		t.Fatal("reply does not fit an acknowledgement")
	}
	return p
}

func TestGoldenReplies(t *testing.T) {
	golden(t, "who_said", ackMessage(t, whoSaidReply(), "in_channel"))
	golden(t, "who_said_ephemeral", ackMessage(t, whoSaidReply(), "ephemeral"))
	golden(t, "help", ackMessage(t, &commands.Reply{Title: "newsbot", Ephemeral: true,
		Text:     "`help COMMAND` explains one.",
		Sections: []commands.Section{{Heading: "Commands", Lines: []string{"who-said TOPIC — who said what", "status STORY — the state of a story"}}}}, "in_channel"))
	golden(t, "error", ackMessage(t, &commands.Reply{Title: "Unknown command", Error: true, Text: `Unknown command "whosaid". Did you mean "who-said"?`}, "in_channel"))
	golden(t, "stats", ackMessage(t, &commands.Reply{Title: "On record", Sections: []commands.Section{{Fields: []commands.Field{
		{Name: "Articles", Value: "12"}, {Name: "Statements", Value: "340"}}}}}, "in_channel"))
}

func TestGoldenAlerts(t *testing.T) {
	open := store.Alert{ID: 7, State: store.AlertOpen}
	golden(t, "alert_open", renderMessages(alertReply(testAlert(), open), 1)[0])
	done := store.Alert{ID: 7, State: store.AlertConfirmed, StateBy: "slack:UREVIEW", StateAt: ingested}
	golden(t, "alert_confirmed", renderMessages(alertReply(testAlert(), done), 1)[0])
}

// hostile is text an article or a user might carry to notify people or
// break the layout.
var hostile = []string{
	"<!channel> everyone look", "<!here|here>", "<!everyone>", "<@U012ABC> ping", "<#C0123|general>",
	"@here @channel @everyone @Channel", "<https://evil.example|click me>", "*bold* _it_ ~strike~ `code` ```block```",
	"> quoted\n>>> more", "&lt;!channel&gt; pre-escaped", "a & b < c > d", "<mailto:x@y.z|mail>", "<!subteam^S123>",
}

func hostileReply() *commands.Reply {
	all := strings.Join(hostile, " | ")
	var stmts []commands.Statement
	for i, h := range hostile {
		stmts = append(stmts, commands.Statement{ID: "S" + string(rune('A'+i)), Speaker: h, SpeakerRole: h, Text: h, Kind: "direct",
			Sources: []commands.Source{{Outlet: h, Title: h, File: h, URL: "https://example.org/x?q=" + h}}})
	}
	return &commands.Reply{Title: all, Text: all,
		Sections: []commands.Section{{Heading: all, Subheading: all, Lines: hostile, Statements: stmts,
			Fields:  []commands.Field{{Name: hostile[0], Value: hostile[3]}},
			Actions: []commands.Action{{ID: "x", Label: hostile[0], Value: "v", Command: "who-said " + hostile[0]}}}}}
}

func TestGoldenHostileText(t *testing.T) {
	r := hostileReply()
	r.Sections[0].Statements = r.Sections[0].Statements[:4]
	golden(t, "hostile", renderMessages(r, 1)[0])
}

// ourLink is the only <…> sequence the renderer writes itself.
var ourLink = regexp.MustCompile(`<https?://[^<>|\s]+\|link>`)

func TestNoTextCanNotifyOrFormat(t *testing.T) {
	msgs := renderMessages(hostileReply(), 0)
	if len(msgs) == 0 {
		t.Fatal("nothing rendered")
	}
	for _, m := range msgs {
		check := func(where, s string, mrk bool) {
			rest := s
			if mrk {
				rest = ourLink.ReplaceAllString(s, "")
			}
			if strings.ContainsAny(rest, "<>") {
				t.Errorf("%s carries a raw < or >: %q", where, s)
			}
			for _, w := range []string{"@here", "@channel", "@everyone", "@Channel"} {
				if mrk && strings.Contains(rest, w) {
					t.Errorf("%s carries a bare %s: %q", where, w, s)
				}
			}
			if mrk {
				inner := strings.TrimSuffix(strings.TrimPrefix(rest, "*"), "*")
				inner = strings.Replace(inner, "*\n", "\n", 1)
				if strings.ContainsAny(inner, "*_~`") {
					t.Errorf("%s carries formatting markers: %q", where, s)
				}
			}
		}
		check("fallback text", m.Text, true)
		js, err := json.Marshal(m.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		var blocks []any
		json.Unmarshal(js, &blocks)
		walkText(blocks, func(typ, text string) { check(typ+" object", text, typ == "mrkdwn") })
	}
}

// walkText calls fn for every text object in decoded blocks.
func walkText(v any, fn func(typ, text string)) {
	switch x := v.(type) {
	case map[string]any:
		if typ, ok := x["type"].(string); ok && (typ == "plain_text" || typ == "mrkdwn") {
			if s, ok := x["text"].(string); ok {
				fn(typ, s)
			}
		}
		for _, c := range x {
			walkText(c, fn)
		}
	case []any:
		for _, c := range x {
			walkText(c, fn)
		}
	}
}

func TestLimits(t *testing.T) {
	huge := strings.Repeat("w&<> ", 5000) // escaping makes it five times longer
	r := &commands.Reply{Title: huge, Text: huge, Sections: []commands.Section{{Heading: huge, Subheading: huge, Lines: []string{huge},
		Fields:     []commands.Field{{Name: huge, Value: huge}},
		Statements: []commands.Statement{{Text: huge, Kind: "direct", Sources: make([]commands.Source, 30)}}}}}
	for _, m := range renderMessages(r, 0) {
		if n := len([]rune(m.Text)); n > maxFallback {
			t.Errorf("fallback text of %d characters", n)
		}
		if len(m.Blocks) > maxBlocks {
			t.Errorf("%d blocks in one message", len(m.Blocks))
		}
		js, _ := json.Marshal(m.Blocks)
		var blocks []any
		json.Unmarshal(js, &blocks)
		for _, b := range blocks {
			b := b.(map[string]any)
			switch b["type"] {
			case "header":
				if n := len([]rune(b["text"].(map[string]any)["text"].(string))); n > maxHeader {
					t.Errorf("header of %d characters", n)
				}
			case "section":
				if txt, ok := b["text"].(map[string]any); ok {
					if n := len([]rune(txt["text"].(string))); n > maxSectionText {
						t.Errorf("section of %d characters", n)
					}
				}
				fields, _ := b["fields"].([]any)
				for _, f := range fields {
					if n := len([]rune(f.(map[string]any)["text"].(string))); n > maxField {
						t.Errorf("field of %d characters", n)
					}
				}
			case "context":
				if n := len(b["elements"].([]any)); n > maxContextElems {
					t.Errorf("context with %d elements", n)
				}
			}
		}
	}
}

func TestEscapedTruncateNeverCutsAnEntity(t *testing.T) {
	s := strings.Repeat("<&>", 100)
	for n := 5; n < 40; n++ {
		e := escapedTruncate(s, n)
		if len([]rune(e)) > n {
			t.Errorf("n=%d: %d characters", n, len([]rune(e)))
		}
		trimmed := strings.TrimSuffix(e, "…")
		for _, ent := range []string{"&lt;", "&gt;", "&amp;"} {
			trimmed = strings.ReplaceAll(trimmed, ent, "")
		}
		if strings.ContainsAny(trimmed, "&<>") {
			t.Errorf("n=%d: broken entity in %q", n, e)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a?b=1&c=2":          "https://example.org/a?b=1&amp;c=2",
		"javascript:alert(1)":                    "",
		"https://x.org/a|<!channel>":             "https://x.org/a%7C%3C%21channel%3E",
		"ftp://x.org/file":                       "",
		"https://x.org/a b":                      "https://x.org/a%20b",
		"http://x.org/<@U123>":                   "http://x.org/%3C@U123%3E",
		"https://evil.example|click":             "",
		"  https://example.org/trimmed  ":        "https://example.org/trimmed",
		"https://example.org/path#frag>|oops<ok": "https://example.org/path#frag%3E%7Coops%3Cok",
	} {
		if got := safeURL(in); got != want {
			t.Errorf("safeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkRenderWhoSaid renders a full who-said answer (20 statements,
// two sources each) into acknowledgement-ready messages.
func BenchmarkRenderWhoSaid(b *testing.B) {
	r := whoSaidReply()
	sec := &r.Sections[0]
	for len(sec.Statements) < 20 {
		sec.Statements = append(sec.Statements, sec.Statements[0])
	}
	a := &Adapter{o: Options{ReplyVisibility: "in_channel"}}
	b.ReportAllocs()
	for b.Loop() {
		if a.ack(r) == nil {
			b.Fatal("does not fit an ack")
		}
	}
}
