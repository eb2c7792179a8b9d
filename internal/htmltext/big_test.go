package htmltext

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// bigPage is 500 KB of script, then about text characters of paragraphs.
func bigPage(text int) []byte {
	const para = "The council said on Tuesday that the budget would be balanced, and the mayor agreed with the plan."
	var sb strings.Builder
	sb.WriteString("<html><head><title>Big</title><script>" + strings.Repeat("var x = 1;", 50000) + "</script></head><body><nav><a href=/>Home</a></nav><article><h1>Big</h1>")
	for n := 0; n+len(para) < text; n += len(para) + 1 {
		sb.WriteString("<p>" + para + "</p>\n")
	}
	sb.WriteString("</article></body></html>")
	return []byte(sb.String())
}

// A page with megabytes of text is refused at once rather than ground
// through for minutes (trafilatura's time grows with the square of it).
func TestTooMuchText(t *testing.T) {
	start := time.Now()
	_, err := Extract(bigPage(4<<20), "text/html", "")
	if !errors.Is(err, ErrTooMuchText) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing took %s", d)
	}
	// Scripts do not count: 500 KB of script and a normal story pass.
	if _, err := Extract(bigPage(20_000), "text/html", ""); err != nil {
		t.Fatalf("page under the limit: %v", err)
	}
}

// BenchmarkExtractAtLimit is the worst case allowed: a page just under
// MaxTextChars of paragraphs.
func BenchmarkExtractAtLimit(b *testing.B) {
	page := bigPage(MaxTextChars - 1000)
	if _, err := Extract(page, "text/html", ""); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		Extract(page, "text/html", "")
	}
}
