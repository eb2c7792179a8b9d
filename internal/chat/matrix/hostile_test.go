package matrix

import (
	"strings"
	"testing"

	"newsbot/internal/hostiletest"
)

// The shared hostile corpus, in a reply and in an alert, as a Matrix room
// gets them: the plain body and the HTML, both inert.
func TestGoldenSharedHostileCorpus(t *testing.T) {
	rd := renderer{prefix: "!"}
	for name, m := range map[string]message{"hostile_reply": rd.reply(hostiletest.Reply()), "hostile_alert": rd.alert(hostiletest.Alert())} {
		checkInert(t, m)
		for _, words := range []string{"&lt;script&gt;", "screen cleared", "window title"} {
			if !strings.Contains(m.HTML, words) {
				t.Errorf("%s: the words %q are not shown:\n%s", name, words, m.HTML)
			}
		}
		golden(t, name+".html", m.HTML)
		golden(t, name+".txt", m.Body)
	}
}
