package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"newsbot/internal/hostiletest"
	"newsbot/internal/store"
)

// checkSlackInert fails when a rendered message lets text notify anyone
// (<!channel>, <@U…>, bare @here in mrkdwn), open a link of its own, turn
// on formatting, or carry terminal or bidi control characters.
func checkSlackInert(t *testing.T, m message) {
	t.Helper()
	check := func(where, s string, mrk bool) {
		rest := s
		if mrk {
			rest = ourLink.ReplaceAllString(s, "")
		}
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("%s carries a raw < or >: %q", where, s)
		}
		if r := hostiletest.Unsafe(s); r >= 0 {
			t.Errorf("%s carries %U: %q", where, r, s)
		}
		if mrk {
			for _, w := range []string{"@here", "@channel", "@everyone"} {
				if strings.Contains(strings.ToLower(rest), w) {
					t.Errorf("%s carries a bare %s: %q", where, w, s)
				}
			}
		}
	}
	check("fallback text", m.Text, true)
	js, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []any
	if err := json.Unmarshal(js, &blocks); err != nil {
		t.Fatal(err)
	}
	walkText(blocks, func(typ, text string) { check(typ+" object", text, typ == "mrkdwn") })
}

// The shared hostile corpus, in a reply and in an alert, as Slack gets
// them.
func TestGoldenSharedHostileCorpus(t *testing.T) {
	msgs := renderMessages(hostiletest.Reply(), 0)
	if len(msgs) == 0 {
		t.Fatal("nothing rendered")
	}
	for _, m := range msgs {
		checkSlackInert(t, m)
	}
	golden(t, "hostile_shared_reply", msgs[0])
	alerts := renderMessages(alertReply(hostiletest.Alert(), store.Alert{ID: 1, State: store.AlertOpen}), 0)
	for _, m := range alerts {
		checkSlackInert(t, m)
	}
	golden(t, "hostile_shared_alert", alerts[0])
}
