package matrix

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/notify"
)

// FuzzMatrixEvent feeds m.room.message contents, as a homeserver would
// deliver them, through the adapter's command-line parsing, the command
// tokenizer and the HTML renderer (the event's text echoed in a reply and
// an alert): nothing panics, and whatever the event holds, the rendered
// message is inert: only the renderer's own tags, links only to plain web
// addresses, no @room, no control or bidi characters.
func FuzzMatrixEvent(f *testing.F) {
	for _, s := range []string{
		`{"msgtype":"m.text","body":"!who-said refugees"}`,
		`{"msgtype":"m.text","body":"!newsbot status border-talks"}`,
		`{"msgtype":"m.text","body":"newsbot: ingest --outlet \"The Post\" Minister says \"no\"\nAnn Lee said it's over."}`,
		`{"msgtype":"m.text","body":"> <@ann:example.org> earlier\n\n!who-said x","m.relates_to":{"m.in_reply_to":{"event_id":"$e"}}}`,
		`{"msgtype":"m.text","body":"Newsbot who-said x","format":"org.matrix.custom.html","formatted_body":"<a href=\"https://matrix.to/#/@newsbot:example.org\">Newsbot</a> who-said <b>x</b>"}`,
		`{"msgtype":"m.text","body":"@room <script>alert(1)</script> \u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u0007x\u001b]8;;\u0007 \u202e","m.mentions":{"user_ids":["@newsbot:example.org"],"room":true}}`,
		`{"msgtype":"m.file","body":"story.html","filename":"story.html","url":"mxc://example.org/abc"}`,
		`{"msgtype":"m.text","body":"!ingest 'unclosed \"quote"}`,
		`{"msgtype":"m.notice","body":"/forget https://matrix.to/#/@room"}`,
		`{"body":12,"msgtype":["x"]}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, raw []byte, direct bool) {
		content := event.Content{VeryRaw: raw}
		if err := content.ParseRaw(event.EventMessage); err != nil {
			return // the sync loop drops what does not parse
		}
		msg := content.AsMessage()
		a := fuzzAdapter(t)
		room := newsRoom
		if direct {
			a.dms[room] = true
			a.direct[room] = directness{direct: true, at: time.Now()}
		}
		line, ok := a.commandLine(context.Background(), room, msg, msg.Body)
		if ok {
			commands.Tokenize(line) // may refuse, must not panic
		}
		texts := []string{msg.Body, msg.FormattedBody, line}
		rep := &commands.Reply{Title: msg.Body, Text: msg.FormattedBody, Sections: []commands.Section{{
			Heading: line, Lines: texts, Fields: []commands.Field{{Name: msg.Body, Value: line}},
			Statements: []commands.Statement{{ID: "S1", Speaker: msg.Body, Text: msg.FormattedBody, Kind: "direct", Cue: line,
				Sources: []commands.Source{{Outlet: line, Title: msg.Body, URL: msg.Body}, {File: msg.FormattedBody}}}},
			Actions: []commands.Action{{Label: msg.Body, Command: line}},
		}}}
		al := notify.Alert{ID: "A1", Score: 0.5, Reasons: texts,
			New: notify.Claim{Speaker: msg.Body, Text: msg.FormattedBody, Article: msg.Body, Title: line},
			Old: notify.Claim{Speaker: line, Text: msg.Body, Article: msg.FormattedBody}}
		for _, m := range []message{a.rd.reply(rep), a.rd.alert(al)} {
			checkInert(t, m)
		}
	})
}

func fuzzAdapter(t *testing.T) *Adapter {
	a := &Adapter{rd: renderer{prefix: "!"}, dms: map[id.RoomID]bool{}, direct: map[id.RoomID]directness{}}
	a.parser = parser{bot: botIdentity{UserID: "@newsbot:example.org", Localpart: "newsbot", DisplayName: "Newsbot"}, prefix: "!"}
	a.opt.Config = config.Matrix{}
	a.opt.Now = time.Now
	return a
}

// rendererTags are the only elements the renderer writes.
var rendererTags = map[string]bool{"p": true, "/p": true, "strong": true, "/strong": true, "em": true, "/em": true,
	"h4": true, "/h4": true, "ul": true, "/ul": true, "li": true, "/li": true, "code": true, "/code": true,
	"br": true, "a": true, "/a": true}

var anchor = regexp.MustCompile(`<a [^>]*>`)
var plainAnchor = regexp.MustCompile(`^<a href="https?://[^"<>\s]*">$`)

func checkInert(t *testing.T, m message) {
	t.Helper()
	if !utf8.ValidString(m.HTML) || !utf8.ValidString(m.Body) {
		// Invalid UTF-8 in the event stays invalid; the homeserver
		// rejects it. The checks below need runes.
		return
	}
	for _, tag := range tags(m.HTML) {
		if !rendererTags[tag] {
			t.Fatalf("tag <%s> in\n%s", tag, m.HTML)
		}
	}
	for _, a := range anchor.FindAllString(m.HTML, -1) {
		if !plainAnchor.MatchString(a) || strings.Contains(strings.ToLower(a), "matrix.to/") {
			t.Fatalf("link %s in\n%s", a, m.HTML)
		}
	}
	for _, s := range []string{m.Body, m.HTML} {
		if strings.Contains(strings.ToLower(s), "@room") {
			t.Fatalf("@room in %q", s)
		}
		for _, r := range s {
			if (unicode.IsControl(r) && r != '\n' && r != '\t') || (unicode.Is(unicode.Cf, r) && r != '\u2060' && r != '\u200d') {
				t.Fatalf("control or format character %U in %q", r, s)
			}
		}
	}
}
