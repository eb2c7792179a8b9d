package console

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/internal/goldentest"
	"newsbot/internal/hostiletest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldentest.Check(t, filepath.Join("testdata", name), got, *update)
}

// terminalInert fails when out holds anything a terminal acts on, and
// checks that the words around the escapes are still shown.
func terminalInert(t *testing.T, out string) {
	t.Helper()
	if r := hostiletest.Unsafe(out); r >= 0 {
		t.Errorf("%U reached the terminal:\n%q", r, out)
	}
	for _, words := range []string{"red", "screen cleared", "window title", "line rewritten", "<!channel>", "@room"} {
		if !strings.Contains(out, words) {
			t.Errorf("the words %q are gone:\n%s", words, out)
		}
	}
}

// The shared hostile corpus in a reply and in an alert, as the console
// (and `bot ask`, which uses Render) writes them.
func TestGoldenHostileText(t *testing.T) {
	var out bytes.Buffer
	if err := Render(&out, hostiletest.Reply()); err != nil {
		t.Fatal(err)
	}
	terminalInert(t, out.String())
	golden(t, "hostile_reply.txt", out.String())

	out.Reset()
	if err := RenderAlert(&out, hostiletest.Alert()); err != nil {
		t.Fatal(err)
	}
	terminalInert(t, out.String())
	golden(t, "hostile_alert.txt", out.String())
}

// Alerts posted through the console's notifier, while it answers a
// command, are as inert as replies.
func TestNotifierAlertsAreInert(t *testing.T) {
	var out bytes.Buffer
	c := New(strings.NewReader(""), &out, false, "operator", nil)
	if err := c.Notifier().Post(context.Background(), hostiletest.Alert()); err != nil {
		t.Fatal(err)
	}
	terminalInert(t, out.String())
	if !strings.Contains(out.String(), "New contradiction alert") {
		t.Errorf("alert output:\n%s", out.String())
	}
}
