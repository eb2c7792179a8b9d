package matrix

import (
	"testing"

	"newsbot/internal/commands"
)

func testParser() parser {
	known := map[string]bool{"who-said": true, "status": true, "ingest": true, "stats": true, "help": true}
	return parser{bot: botIdentity{UserID: "@newsbot:example.org", Localpart: "newsbot", DisplayName: "News Bot"},
		prefix: "!", known: func(n string) bool { return known[n] }}
}

func TestParseCommandForms(t *testing.T) {
	p := testParser()
	cases := []struct {
		name string
		in   incoming
		want string
		ok   bool
	}{
		{"prefix", incoming{Body: "!who-said refugees"}, "who-said refugees", true},
		{"namespace", incoming{Body: "!newsbot status washington-summit"}, "status washington-summit", true},
		{"namespace any command", incoming{Body: "!newsbot frobnicate"}, "frobnicate", true},
		{"namespace alone is help", incoming{Body: "!newsbot"}, "", true},
		{"slash", incoming{Body: "/who-said refugees"}, "who-said refugees", true},
		{"quoted argument kept for the tokenizer", incoming{Body: `!who-said "refugee camps"`}, `who-said "refugee camps"`, true},
		{"other bot's command", incoming{Body: "!weather Vienna"}, "", false},
		{"unknown slash", incoming{Body: "/shrug"}, "", false},
		{"small talk", incoming{Body: "who said that?"}, "", false},
		{"prefix must start the message", incoming{Body: "try !who-said x"}, "", false},
		{"localpart mention", incoming{Body: "newsbot: stats"}, "stats", true},
		{"display name pill text", incoming{Body: "News Bot: who-said refugees",
			FormattedBody: `<a href="https://matrix.to/#/@newsbot:example.org">News Bot</a>: who-said refugees`}, "who-said refugees", true},
		{"mxid mention", incoming{Body: "@newsbot:example.org status x"}, "status x", true},
		{"mention then prefix", incoming{Body: "newsbot, !stats"}, "stats", true},
		{"mention alone", incoming{Body: "newsbot"}, "", true},
		{"not the bot's name", incoming{Body: "newsbots are fun"}, "", false},
		{"m.mentions elsewhere", incoming{Body: "hey who-said refugees", Mentions: []string{"@newsbot:example.org"}}, "hey who-said refugees", true},
		{"a reply to the bot is not a mention", incoming{Body: "thanks!", Mentions: []string{"@newsbot:example.org"}, IsReply: true}, "", false},
		{"reply fallback stripped", incoming{Body: "> <@newsbot:example.org> Who said what\n> more\n\n!stats", IsReply: true}, "stats", true},
		{"direct chat", incoming{Body: "who-said refugees", Direct: true}, "who-said refugees", true},
		{"direct chat with prefix", incoming{Body: "!stats", Direct: true}, "stats", true},
		{"empty", incoming{Body: "   "}, "", false},
	}
	for _, c := range cases {
		got, ok := p.parse(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: parse(%q) = %q, %v; want %q, %v", c.name, c.in.Body, got, ok, c.want, c.ok)
		}
	}
}

func TestCustomPrefix(t *testing.T) {
	p := testParser()
	p.prefix = "."
	if got, ok := p.parse(incoming{Body: ".stats"}); !ok || got != "stats" {
		t.Errorf(".stats: %q %v", got, ok)
	}
	if _, ok := p.parse(incoming{Body: "!stats"}); ok {
		t.Error("! is not the prefix here")
	}
}

// Pasted articles are full of apostrophes and quotes; they must reach
// ingest as one argument, exactly as typed.
func TestIngestPastedText(t *testing.T) {
	p := testParser()
	article := "Mayor's plan\nThe mayor said: \"It's done.\" Critics weren't sure."
	line, ok := p.parse(incoming{Body: "!ingest --outlet 'Daily Post' --date 2024-05-01\n" + article})
	if !ok {
		t.Fatal("not a command")
	}
	args, err := commands.Tokenize(line)
	if err != nil {
		t.Fatalf("tokenize %q: %v", line, err)
	}
	want := []string{"ingest", "--outlet", "Daily Post", "--date", "2024-05-01", article}
	if len(args) != len(want) {
		t.Fatalf("args %q, want %q", args, want)
	}
	for i := range want {
		if args[i] != want[i] {
			t.Errorf("arg %d = %q, want %q", i, args[i], want[i])
		}
	}

	for in, want := range map[string]string{
		"!ingest https://example.org/a.html":         "ingest https://example.org/a.html",
		"!ingest --outlet=AFP https://example.org/a": "ingest --outlet=AFP https://example.org/a",
		"!ingest":                "ingest",
		"!ingest It's one line.": `ingest 'It'\''s one line.'`,
		"!newsbot ingest --date 2024-01-02 Short text": "ingest --date 2024-01-02 'Short text'",
	} {
		got, ok := p.parse(incoming{Body: in})
		if !ok || got != want {
			t.Errorf("parse(%q) = %q, want %q", in, got, want)
		}
		if _, err := commands.Tokenize(got); err != nil {
			t.Errorf("%q does not tokenize: %v", got, err)
		}
	}
}
