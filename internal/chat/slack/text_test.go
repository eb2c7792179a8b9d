package slack

import (
	"strings"
	"testing"
	"time"

	"newsbot/internal/commands"
)

func TestPlainTextUndoesSlackMarkup(t *testing.T) {
	for in, want := range map[string]string{
		"who-said &lt;refugees&gt; &amp; camps":            "who-said <refugees> & camps",
		"ingest <https://example.org/a?b=1&amp;c=2>":       "ingest https://example.org/a?b=1&c=2",
		"ingest <https://example.org/a|example.org/a>":     "ingest https://example.org/a",
		"speaker <@U123|ann> and <@U456>":                  "speaker @ann and @U456",
		"in <#C123|general> or <#C456>":                    "in #general or #C456",
		"<!here> <!channel> <!subteam^S1|@editors>":        "@here @channel @editors",
		"write to <mailto:a@b.org|a@b.org>":                "write to a@b.org",
		"&amp;lt; stays an entity the user typed":          "&lt; stays an entity the user typed",
		"no markup, “curly quotes” and 'straight' ones ok": "no markup, “curly quotes” and 'straight' ones ok",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"<@UBOT> who-said x":      "who-said x",
		"<@UBOT|newsbot>: stats":  "stats",
		"  <@UBOT>, help":         "help",
		"<@UOTHER> who-said x":    "<@UOTHER> who-said x",
		"who-said <@UBOT> itself": "who-said <@UBOT> itself",
	} {
		if got := stripMention(in, "UBOT"); got != want {
			t.Errorf("stripMention(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestIngestTextReachesTheCommandIntact: whatever is pasted after /ingest
// and its options, the command layer's tokenizer gives back exactly that
// text as the article.
func TestIngestTextReachesTheCommandIntact(t *testing.T) {
	for _, tc := range []struct{ in, flags, text string }{
		{"He said \"no\".", "", "He said \"no\"."},
		{"--outlet AFP Headline\n“Quote,” she said. It's 'done'.\n", "--outlet AFP", "Headline\n“Quote,” she said. It's 'done'."},
		{"--outlet \"Le Monde\" --date 2018-07-20 Title\nBody \\ with backslash", `--outlet "Le Monde" --date 2018-07-20`, "Title\nBody \\ with backslash"},
		{"--outlet=BBC -- --not-a-flag text", "--outlet=BBC", "--not-a-flag text"},
		{"unbalanced \" quote and « guillemet", "", "unbalanced \" quote and « guillemet"},
		{"https://example.org/story", "", "https://example.org/story"},
	} {
		line := commandLine("ingest " + tc.in)
		args, err := commands.Tokenize(line)
		if err != nil {
			t.Errorf("%q → %q: %v", tc.in, line, err)
			continue
		}
		flagArgs, err := commands.Tokenize(tc.flags)
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]string{"ingest"}, flagArgs...), tc.text)
		if strings.Join(args, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("%q → %q → %q, want %q", tc.in, line, args, want)
		}
	}
}

func TestCommandLineLeavesOtherCommandsAlone(t *testing.T) {
	for in, want := range map[string]string{
		"/who-said \"Helsinki summit\"": "who-said \"Helsinki summit\"",
		"!status summit":                "status summit",
		"ingest":                        "ingest",
		"Ingest --outlet AFP":           "ingest --outlet AFP",
	} {
		if got := commandLine(in); got != want {
			t.Errorf("commandLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResponseURLRateLimitIsHonoured(t *testing.T) {
	f := newFakeSlack(t)
	f.reply = func(method string, n int) (int, string, string) {
		if method == "response" && n == 1 {
			return 429, "1", ""
		}
		return 0, "", ""
	}
	e := newEnv(t, envOpts{fake: f, dispatcher: &slowDispatcher{delay: 1600 * time.Millisecond}})
	p := e.slash("/who-said", "x", reader, newsCh)
	e.f.envelope("slash_commands", p)
	first := e.f.waitCall(5*time.Second, 1, "rate-limited answer", toResponse(p))
	second := e.f.waitCall(5*time.Second, 2, "retried answer", toResponse(p))
	if first.Status != 429 || second.Status != 200 || second.At.Sub(first.At) < time.Second {
		t.Errorf("statuses %d then %d, %s apart", first.Status, second.Status, second.At.Sub(first.At))
	}
}
