package matrix

import "testing"

func TestHTMLText(t *testing.T) {
	page := `<!doctype html><html><head><title>Site | Harbour plan</title><style>p{color:red}</style>
<script>var x = "<p>not text</p>";</script></head><body>
<header><nav><a href="/">Home</a></nav></header>
<article><h1>Harbour  plan</h1>
<p>The port director, Jonas Lind, said the harbour would reopen in <b>spring</b>.</p>
<p>"We are ready,"<br>Lind told reporters.</p>
<ul><li>Item one</li></ul></article>
<aside>Related: other stories</aside><footer>© Site</footer></body></html>`
	got, err := htmlText([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := "Harbour plan\nThe port director, Jonas Lind, said the harbour would reopen in spring.\n\"We are ready,\" Lind told reporters.\nItem one"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got, _ := htmlText([]byte(`<html><head><title>Only a title</title></head><body><p>Body.</p></body></html>`)); got != "Only a title\nBody." {
		t.Errorf("title fallback: %q", got)
	}
	for name, mime := range map[string]string{"a.html": "", "a.HTM": "", "page": "text/html; charset=utf-8"} {
		if !htmlFile(name, mime) {
			t.Errorf("%s %s is HTML", name, mime)
		}
	}
	if htmlFile("a.txt", "text/plain") {
		t.Error("a.txt is not HTML")
	}
}
