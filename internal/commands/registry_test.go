package commands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"who-said refugees", []string{"who-said", "refugees"}},
		{"  who-said   refugees  ", []string{"who-said", "refugees"}},
		{`who-said "credible budget"`, []string{"who-said", "credible budget"}},
		{`who-said 'credible budget'`, []string{"who-said", "credible budget"}},
		{"who-said “Helsinki summit”", []string{"who-said", "Helsinki summit"}},
		{"who-said ‘Helsinki summit’", []string{"who-said", "Helsinki summit"}},
		{"who-said «Helsinki summit»", []string{"who-said", "Helsinki summit"}},
		{"who-said “Helsinki summit\"", []string{"who-said", "Helsinki summit"}}, // a client mixing marks
		{`track a"b c"d`, []string{"track", "ab cd"}},
		{`say "he said \"no\""`, []string{"say", `he said "no"`}},
		{`say 'it''s'`, []string{"say", "its"}},
		{`say a\ b`, []string{"say", "a b"}},
		{`say ""`, []string{"say", ""}},
		{`say it's`, nil}, // an apostrophe opens a quote: an error, below
		{"", nil},
	} {
		got, err := Tokenize(c.in)
		if c.want == nil && c.in != "" {
			if err == nil {
				t.Errorf("Tokenize(%q) = %q, want an error", c.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Tokenize(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestTokenizeErrorSaysWhere(t *testing.T) {
	_, err := Tokenize(`who-said "credible budget`)
	if err == nil || !strings.Contains(err.Error(), "character 10") {
		t.Errorf("err = %v, want the position of the open quote", err)
	}
}

func TestQuoteRoundTrips(t *testing.T) {
	for _, s := range []string{"plain", "two words", `it's`, `say "no"`, "a\\b", "“curly”", "", "tab\there"} {
		got, err := Tokenize("cmd " + Quote(s))
		if err != nil || len(got) != 2 || got[1] != s {
			t.Errorf("Quote(%q) = %s tokenizes to %q, %v", s, Quote(s), got, err)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{`who-said "a b"`, `'x'`, `a\`, "“q”", `"\"`, "«»"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := Tokenize(s)
		if err != nil {
			return
		}
		// Quoting each token and tokenizing again gives the tokens back.
		var parts []string
		for _, tok := range toks {
			parts = append(parts, Quote(tok))
		}
		again, err := Tokenize(strings.Join(parts, " "))
		if err != nil || !slices.Equal(again, toks) {
			t.Fatalf("%q → %q → %q (%v)", s, toks, again, err)
		}
	})
}

func echo(name string) Handler {
	return func(ctx context.Context, req *Request, args []string) (*Reply, error) {
		return &Reply{Title: name, Text: strings.Join(args, "|")}, nil
	}
}

func testRegistry(t *testing.T, extra ...Command) *Registry {
	t.Helper()
	cmds := append([]Command{
		{Name: "who-said", Aliases: []string{"who"}, Args: "TOPIC", MinArgs: 1, Summary: "who said what", Run: echo("who-said")},
		{Name: "status", Args: "STORY", MinArgs: 1, Summary: "a story", Run: echo("status")},
		{Name: "ingest", Args: "URL", Admin: true, Summary: "read an article", Run: echo("ingest")},
	}, extra...)
	r, err := NewRegistry(cmds...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func run(r *Registry, admin bool, line string) *Reply {
	return r.Dispatch(context.Background(), &Request{Platform: "test", User: "u", Text: line, IsAdmin: admin})
}

func TestRegistryRefusesClashingNames(t *testing.T) {
	_, err := NewRegistry(
		Command{Name: "status", Run: echo("a")},
		Command{Name: "story", Aliases: []string{"Status"}, Run: echo("b")},
	)
	if err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("clash accepted: %v", err)
	}
	if _, err := NewRegistry(Command{Name: "x"}); err == nil {
		t.Error("a command without a handler was accepted")
	}
	if _, err := NewRegistry(Command{Name: "help", Run: echo("h")}); err == nil {
		t.Error("a command shadowing the built-in help was accepted")
	}
}

func TestDispatchRunsByNameAliasAnyCase(t *testing.T) {
	r := testRegistry(t)
	for _, line := range []string{`who-said "Helsinki summit"`, `WHO "Helsinki summit"`, `Who-Said "Helsinki summit"`} {
		rep := run(r, false, line)
		if rep.Error || rep.Title != "who-said" || rep.Text != "Helsinki summit" {
			t.Errorf("%s → %+v", line, rep)
		}
	}
}

func TestUsageOnMissingArguments(t *testing.T) {
	rep := run(testRegistry(t), false, "status")
	if !rep.Error || !strings.Contains(rep.Text, "usage: status STORY") {
		t.Errorf("reply = %+v", rep)
	}
}

func TestDidYouMean(t *testing.T) {
	r := testRegistry(t)
	for line, want := range map[string]string{
		"who-sad x":  `Did you mean "who-said"?`,
		"stauts x":   `Did you mean "status"?`,
		"ingets x":   `Did you mean "ingest"?`,
		"stat":       `Did you mean "status"?`, // the one name it begins
		"frobnicate": "`help` lists the commands",
	} {
		rep := run(r, true, line)
		if !rep.Error || !strings.Contains(rep.Text, want) {
			t.Errorf("%q → %q, want %q", line, rep.Text, want)
		}
	}
}

func TestPermissions(t *testing.T) {
	r := testRegistry(t)
	if rep := run(r, false, "ingest https://example.org/a"); !rep.Error || !strings.Contains(rep.Text, "admins only") {
		t.Errorf("non-admin ran an admin command: %+v", rep)
	}
	if rep := run(r, true, "ingest https://example.org/a"); rep.Error {
		t.Errorf("admin refused: %+v", rep)
	}
	// The refusal comes before usage: a non-admin learns nothing of the arguments.
	if rep := run(r, false, "ingest"); !strings.Contains(rep.Text, "admins only") {
		t.Errorf("non-admin without arguments: %+v", rep)
	}
}

func TestHelpListsFromRegistry(t *testing.T) {
	r := testRegistry(t)
	user := run(r, false, "help")
	text := allText(user)
	for _, want := range []string{"who-said TOPIC — who said what", "status STORY — a story", "help [COMMAND]"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "ingest") {
		t.Errorf("help shows admin commands to a non-admin:\n%s", text)
	}
	if !strings.Contains(allText(run(r, true, "help")), "ingest URL — read an article") {
		t.Error("help hides admin commands from an admin")
	}
	if rep := run(r, false, ""); rep.Title != user.Title {
		t.Errorf("an empty line should show help, got %+v", rep)
	}
	one := run(r, false, "help who")
	if one.Error || !strings.Contains(one.Text, "usage: who-said TOPIC") || !strings.Contains(one.Text, "also: who") {
		t.Errorf("help who = %+v", one)
	}
	if rep := run(r, false, "help stauts"); !rep.Error || !strings.Contains(rep.Text, `"status"`) {
		t.Errorf("help of a typo = %+v", rep)
	}
	if !user.Ephemeral {
		t.Error("help should be shown only to the asker")
	}
}

func TestHandlerFailuresBecomeReplies(t *testing.T) {
	r := testRegistry(t,
		Command{Name: "boom", Summary: "panics", Run: func(context.Context, *Request, []string) (*Reply, error) { panic("kaboom") }},
		Command{Name: "fail", Summary: "fails", Run: func(context.Context, *Request, []string) (*Reply, error) {
			return nil, errors.New("disk on fire")
		}},
	)
	for _, line := range []string{"boom", "fail"} {
		rep := run(r, false, line)
		if !rep.Error || !strings.Contains(rep.Text, "Internal error") || strings.Contains(rep.Text, "disk on fire") {
			t.Errorf("%s → %+v (internal details must not reach the chat)", line, rep)
		}
	}
}

func TestRateLimitPerUser(t *testing.T) {
	r := testRegistry(t)
	clock := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	r.LimitRate(3, func() time.Time { return clock })
	ask := func(user, platform string) *Reply {
		return r.Dispatch(context.Background(), &Request{Platform: platform, User: user, Text: "status x"})
	}
	for i := 0; i < 3; i++ {
		if rep := ask("ann", "slack"); rep.Error {
			t.Fatalf("command %d refused: %+v", i+1, rep)
		}
	}
	rep := ask("ann", "slack")
	if !rep.Error || !strings.Contains(rep.Text, "limit is 3 a minute") || !strings.Contains(rep.Text, "in 20s") {
		t.Errorf("fourth command in a minute: %+v", rep)
	}
	if rep := ask("bob", "slack"); rep.Error {
		t.Errorf("another user is limited too: %+v", rep)
	}
	if rep := ask("ann", "matrix"); rep.Error {
		t.Errorf("the same id on another platform is another user: %+v", rep)
	}
	if rep := ask("operator", "console"); rep.Error {
		t.Errorf("the console is limited: %+v", rep)
	}
	clock = clock.Add(20 * time.Second) // one token back
	if rep := ask("ann", "slack"); rep.Error {
		t.Errorf("after 20s: %+v", rep)
	}
	if rep := ask("ann", "slack"); !rep.Error {
		t.Error("the refilled token was spent twice")
	}
}

func TestObserverSeesEveryCommand(t *testing.T) {
	r := testRegistry(t)
	type obs struct {
		name   string
		failed bool
	}
	var seen []obs
	r.SetObserver(func(name string, took time.Duration, failed bool) { seen = append(seen, obs{name, failed}) })
	run(r, false, "who refugees")
	run(r, false, "status")
	run(r, false, "frobnicate")
	want := []obs{{"who-said", false}, {"status", true}, {"", true}}
	if !slices.Equal(seen, want) {
		t.Errorf("observed %v, want %v", seen, want)
	}
}
