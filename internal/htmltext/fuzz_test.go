package htmltext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzDecodeParagraphs: any bytes under any content type decode to UTF-8,
// and the paragraphs of the parsed page are non-empty, trimmed UTF-8. (The
// whole Extract is left out: under coverage instrumentation trafilatura's
// dependencies run a few executions a second, too slow to fuzz.)
func FuzzDecodeParagraphs(f *testing.F) {
	f.Add([]byte("<html><body><article><p>"+strings.Repeat("Words said by someone today. ", 20)+"</p></article></body></html>"), "text/html")
	f.Add([]byte("<p>caf\xe9</p><br><li>x<td>y"), "text/html; charset=iso-8859-1")
	f.Add([]byte("\xef\xbb\xbf<meta charset=shift_jis><p>x</p>"), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text, _, err := Decode(body, contentType)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("decoded text is not UTF-8: %q", text)
		}
		doc, err := html.Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, p := range Paragraphs(doc) {
			if p == "" || !utf8.ValidString(p) || strings.TrimSpace(p) != p {
				t.Fatalf("paragraph %q", p)
			}
		}
	})
}
