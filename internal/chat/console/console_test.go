package console

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/notify"
)

// recorder answers every command with its text and remembers the requests.
type recorder struct{ got []commands.Request }

func (r *recorder) Dispatch(ctx context.Context, req *commands.Request) *commands.Reply {
	r.got = append(r.got, *req)
	return &commands.Reply{Title: "echo", Text: req.Text}
}

func TestPipeSession(t *testing.T) {
	in := strings.NewReader("# a comment\n\nwho-said refugees\n/status summit\n!stats\nquit\nnever read\n")
	var out bytes.Buffer
	rec := &recorder{}
	if err := New(in, &out, false, "operator", rec).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, r := range rec.got {
		if r.Platform != "console" || !r.IsAdmin || r.User != "operator" {
			t.Errorf("request %+v: the console user is the operator, an admin", r)
		}
		texts = append(texts, r.Text)
	}
	if got := strings.Join(texts, ","); got != "who-said refugees,status summit,stats" {
		t.Errorf("dispatched %q", got)
	}
	want := "echo\nwho-said refugees\n\necho\nstatus summit\n\necho\nstats\n\n"
	if out.String() != want {
		t.Errorf("pipe output (no prompt, replies only) = %q, want %q", out.String(), want)
	}
}

func TestInteractiveShowsPrompt(t *testing.T) {
	var out bytes.Buffer
	if err := New(strings.NewReader("stats\n"), &out, true, "operator", &recorder{}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "newsbot> ") || !strings.Contains(out.String(), "type `help`") {
		t.Errorf("no greeting or prompt: %q", out.String())
	}
}

func TestRunStopsWithContext(t *testing.T) {
	r, w := ioPipe(t)
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(r, &bytes.Buffer{}, false, "operator", &recorder{}).Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

func TestRenderMakesTextInert(t *testing.T) {
	evil := "Mayor\x1b[2J\x1b]0;pwned\x07 Ruiz\u202e"
	rep := &commands.Reply{Title: "Who said " + evil, Text: "lead\x1b[31m",
		Sections: []commands.Section{{Heading: evil, Statements: []commands.Statement{{
			ID: "S1", Speaker: evil, Text: "we will\x1b[1A build it", Kind: "direct", Cue: "said",
			Sources: []commands.Source{{Outlet: "Post\x1b[0m", Title: "T\x07", File: "a.txt"}},
		}}}}}
	var out bytes.Buffer
	if err := Render(&out, rep); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07\u202e") {
		t.Errorf("control characters reached the terminal: %q", out.String())
	}
	if !strings.Contains(out.String(), "we will[1A build it") {
		t.Errorf("the words themselves must survive: %q", out.String())
	}
}

func TestRenderStatementWithSources(t *testing.T) {
	pub := time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC)
	rep := &commands.Reply{Title: "Who said what about “refugees”", Sections: []commands.Section{{
		Heading: "Mikhail Mizintsev", Subheading: "Col. Gen.",
		Statements: []commands.Statement{{ID: "S3", Speaker: "Mikhail Mizintsev", Text: "Proposals were sent",
			Kind: "indirect", Cue: "said", Sources: []commands.Source{
				{Outlet: "RT", Published: pub, Title: "Moscow suggests", URL: "https://example.org/a"},
				{File: "b.txt", Ingested: pub},
			}}},
	}}}
	var out bytes.Buffer
	Render(&out, rep)
	want := `Who said what about “refugees”

■ Mikhail Mizintsev — Col. Gen.
  • “Proposals were sent” [S3; indirect, said]
      — RT, 2018-07-20, “Moscow suggests”, https://example.org/a
      — ingested 2018-07-20, b.txt
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestNotifierPrintsAlert(t *testing.T) {
	var out bytes.Buffer
	c := New(strings.NewReader(""), &out, false, "operator", &recorder{})
	err := c.Notifier().Post(context.Background(), notify.Alert{ID: "A1", Score: 0.91, Reasons: []string{"negation"},
		New: notify.Claim{StatementID: "S2", Speaker: "NSC spokesman", Text: "There were no commitments"},
		Old: notify.Claim{StatementID: "S1", Speaker: "Mikhail Mizintsev", Text: "the agreements reached"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A1", "There were no commitments", "the agreements reached", "Why: negation", "alert confirm A1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("alert lacks %q:\n%s", want, out.String())
		}
	}
}

func ioPipe(t *testing.T) (*io.PipeReader, *io.PipeWriter) {
	t.Helper()
	return io.Pipe()
}
