package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"newsbot/internal/commands"
)

// FuzzPastedArticleReachesIngestIntact: whatever follows `/ingest` (after
// its options), the command layer reads it back as exactly one argument,
// unchanged.
func FuzzPastedArticleReachesIngestIntact(f *testing.F) {
	for _, s := range []string{"He said \"no\".", "Title\n“Quote,” she said.\n", "it's 'quoted' \\ \"\"", "«x» „y“ ‘z’", "a\tb\r\nc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		text = strings.TrimSpace(text)
		if !utf8.ValidString(text) || text == "" || strings.HasPrefix(text, "--") || strings.ContainsRune(text, 0) {
			return
		}
		line := commandLine("ingest " + text)
		args, err := commands.Tokenize(line)
		if err != nil {
			t.Fatalf("%q → %q: %v", text, line, err)
		}
		if isURL(text) && !strings.ContainsFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }) {
			return // a lone URL is passed as typed
		}
		if len(args) != 2 || args[0] != "ingest" || args[1] != text {
			t.Fatalf("%q → %q → %q", text, line, args)
		}
	})
}

// FuzzRenderedTextCannotNotify: no text a reply carries can put a raw <
// or > (the start of a mention, a broadcast or a link) into a text object,
// nor an unbalanced formatting marker into a mrkdwn one.
func FuzzRenderedTextCannotNotify(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		r := &commands.Reply{Title: a, Text: b, Sections: []commands.Section{{Heading: a, Subheading: b, Lines: []string{a, b},
			Statements: []commands.Statement{{Speaker: b, Text: a, Kind: "direct", Sources: []commands.Source{{Outlet: a, Title: b, URL: a}}}}}}}
		for _, m := range renderMessages(r, 0) {
			js, err := json.Marshal(m.Blocks)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []any
			if err := json.Unmarshal(js, &blocks); err != nil {
				t.Fatal(err)
			}
			walkText(blocks, func(typ, s string) {
				rest := s
				if typ == "mrkdwn" {
					rest = ourLink.ReplaceAllString(s, "")
					inner := strings.TrimPrefix(rest, "*")
					inner = strings.Replace(inner, "*\n", "\n", 1)
					inner = strings.TrimSuffix(inner, "*")
					if strings.ContainsAny(inner, "*_~`") {
						t.Fatalf("formatting marker in mrkdwn %q", s)
					}
				}
				if strings.ContainsAny(rest, "<>") {
					t.Fatalf("raw < or > in %s %q", typ, s)
				}
			})
			if strings.ContainsAny(m.Text, "<>") {
				t.Fatalf("raw < or > in the notification text %q", m.Text)
			}
		}
	})
}
