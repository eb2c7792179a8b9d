package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"newsbot/internal/commands"
)

// A reply longer than the pages a channel may get is cut, and its last
// page says how many more pages there were.
func TestReplyCutToPagesSaysHowManyMore(t *testing.T) {
	long := &commands.Reply{Title: "Many"}
	for i := range 120 {
		long.Sections = append(long.Sections, commands.Section{Heading: fmt.Sprintf("Speaker %d", i),
			Statements: []commands.Statement{{ID: fmt.Sprintf("S%d", i), Text: strings.Repeat("words ", 80), Kind: "direct"}}})
	}
	all := renderMessages(long, 0)
	if len(all) <= responseURLUses {
		t.Fatalf("%d pages: the reply is not long enough to test the cut", len(all))
	}
	cut := renderMessages(long, responseURLUses)
	if len(cut) != responseURLUses {
		t.Fatalf("%d pages, want %d", len(cut), responseURLUses)
	}
	js, _ := json.Marshal(cut[len(cut)-1].Blocks)
	want := fmt.Sprintf("%d more pages not shown", len(all)-responseURLUses)
	if !strings.Contains(string(js), want) {
		t.Errorf("last page lacks %q:\n%s", want, js)
	}
	for i, m := range cut {
		if len(m.Blocks) > maxBlocks {
			t.Errorf("page %d has %d blocks, Slack takes %d", i+1, len(m.Blocks), maxBlocks)
		}
	}
	for i, m := range cut[:len(cut)-1] {
		if js, _ := json.Marshal(m.Blocks); strings.Contains(string(js), "more pages not shown") {
			t.Errorf("page %d carries the note", i+1)
		}
	}
}
