// Package htmltext turns a web page into an article: its main text as
// paragraphs, without navigation, ads or comments, plus title, author,
// publication date, site name and canonical URL. It is pure: bytes in,
// article out. go-trafilatura does the work; go-readability (readeck)
// takes over when trafilatura finds nothing usable.
package htmltext

import (
	"bytes"
	"errors"
	"fmt"
	nurl "net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Extractor names, as recorded with the article.
const (
	Trafilatura = "trafilatura"
	Readability = "readability"
)

// Article is a page's main text and metadata.
type Article struct {
	Title        string
	Author       string
	SiteName     string
	CanonicalURL string // absolute http(s) URL the page names as its own, if any
	Language     string
	Published    time.Time
	Paragraphs   []string
	Extractor    string // Trafilatura or Readability
	Charset      string // the encoding the page was decoded from
}

// Text is the article as ingest reads it: the title on the first line,
// then the paragraphs, separated by blank lines.
func (a Article) Text() string {
	parts := make([]string, 0, len(a.Paragraphs)+1)
	title := strings.TrimSpace(a.Title)
	if title == "" && len(a.Paragraphs) > 0 {
		title = a.Paragraphs[0]
		parts = append(parts, a.Paragraphs[1:]...)
	} else {
		parts = append(parts, a.Paragraphs...)
		// A title repeated as the first paragraph (the page's h1) is dropped.
		if len(parts) > 0 && sameWords(parts[0], title) {
			parts = parts[1:]
		}
	}
	return strings.Join(append([]string{title}, parts...), "\n\n")
}

// ErrNoText is returned when neither extractor finds an article.
var ErrNoText = errors.New("no article text found on the page")

// minChars is the least main text trafilatura must find before its answer
// is taken over readability's.
const minChars = 200

// minWords is the least text either extractor's answer must hold to be an
// article at all (a page of links is not).
const minWords = 15

// MaxTextChars bounds the text (outside scripts and styles) a page may
// hold. trafilatura's time grows with the square of the text: 0.9 s for
// 512 KiB of paragraphs, 8.5 s for 2 MiB, 0.6 to 1.1 s at this limit
// (BenchmarkExtractAtLimit); a news page holds well under a
// tenth of this limit.
const MaxTextChars = 400_000

// ErrTooMuchText is returned for a page over MaxTextChars.
var ErrTooMuchText = errors.New("the page holds more text than an article")

// Extract finds the article in an HTML page. contentType is the HTTP
// header (its charset is used), pageURL where the page came from ("" for
// an uploaded file). A panic in the extractors, on hostile HTML, comes
// back as an error.
func Extract(body []byte, contentType, pageURL string) (art Article, err error) {
	defer func() {
		if p := recover(); p != nil {
			art, err = Article{}, fmt.Errorf("extracting the article failed: %v", p)
		}
	}()
	text, cs, err := Decode(body, contentType)
	if err != nil {
		return Article{}, err
	}
	var base *nurl.URL
	if pageURL != "" {
		if base, err = nurl.Parse(pageURL); err != nil {
			return Article{}, fmt.Errorf("page URL %q: %w", pageURL, err)
		}
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return Article{}, fmt.Errorf("parse HTML: %w", err)
	}
	if n := textChars(doc, MaxTextChars); n > MaxTextChars {
		return Article{}, fmt.Errorf("%w: over %d characters of text (the limit is %d)", ErrTooMuchText, n-1, MaxTextChars)
	}
	tr, trErr := viaTrafilatura(doc, base)
	if trErr == nil && charCount(tr.Paragraphs) >= minChars {
		tr.Charset = cs
		return tr, nil
	}
	rd, rdErr := viaReadability(text, base)
	switch {
	case rdErr == nil && charCount(rd.Paragraphs) > charCount(tr.Paragraphs) && wordCount(rd.Paragraphs) >= minWords:
		fillMissing(&rd, tr)
		rd.Charset = cs
		return rd, nil
	case trErr == nil && wordCount(tr.Paragraphs) >= minWords:
		tr.Charset = cs
		return tr, nil
	}
	return Article{}, fmt.Errorf("%w (trafilatura: %v; readability: %v)", ErrNoText, orNone(trErr), orNone(rdErr))
}

func orNone(err error) any {
	if err == nil {
		return "too little text"
	}
	return err
}

func viaTrafilatura(doc *html.Node, base *nurl.URL) (Article, error) {
	res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:     base,
		Focus:           trafilatura.FavorPrecision,
		ExcludeComments: true,
		// Fast: dates from metadata, JSON-LD, the URL and go-htmldate's
		// own patterns. The extensive search would call go-dateparser,
		// which go.mod replaces with a small stand-in
		// (standins/go-dateparser) to spare every process its
		// 180 ms, 78 MB start-up.
		HtmlDateMode: trafilatura.Fast,
	})
	if err != nil {
		return Article{}, err
	}
	m := res.Metadata
	a := Article{Title: clean(m.Title), Author: clean(m.Author), SiteName: clean(m.Sitename),
		Language: m.Language, Published: m.Date, Extractor: Trafilatura,
		Paragraphs: Paragraphs(res.ContentNode)}
	// trafilatura fills URL from <link rel=canonical> or og:url, else the
	// page URL itself; only an absolute http(s) one is kept.
	a.CanonicalURL = AbsURL(m.URL, base)
	if a.CanonicalURL == "" {
		a.CanonicalURL = canonicalLink(doc, base)
	}
	return a, nil
}

func viaReadability(text string, base *nurl.URL) (Article, error) {
	p := readability.NewParser()
	art, err := p.Parse(strings.NewReader(text), base)
	if err != nil {
		return Article{}, err
	}
	if art.Node == nil {
		return Article{}, errors.New("no content")
	}
	a := Article{Title: clean(art.Title()), Author: clean(art.Byline()), SiteName: clean(art.SiteName()),
		Language: art.Language(), Extractor: Readability, Paragraphs: Paragraphs(art.Node)}
	if t, err := art.PublishedTime(); err == nil {
		a.Published = t
	}
	if doc, err := html.Parse(strings.NewReader(text)); err == nil {
		a.CanonicalURL = canonicalLink(doc, base)
	}
	return a, nil
}

// fillMissing takes metadata readability lacks from trafilatura's (which
// reads JSON-LD and more meta tags).
func fillMissing(a *Article, from Article) {
	if a.Title == "" {
		a.Title = from.Title
	}
	if a.Author == "" {
		a.Author = from.Author
	}
	if a.SiteName == "" {
		a.SiteName = from.SiteName
	}
	if a.Published.IsZero() {
		a.Published = from.Published
	}
	if from.CanonicalURL != "" {
		a.CanonicalURL = from.CanonicalURL
	}
}

// canonicalLink reads <link rel="canonical" href>.
func canonicalLink(doc *html.Node, base *nurl.URL) string {
	var found string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Link {
			var rel, href string
			for _, at := range n.Attr {
				switch strings.ToLower(at.Key) {
				case "rel":
					rel = strings.ToLower(at.Val)
				case "href":
					href = at.Val
				}
			}
			if rel == "canonical" {
				found = AbsURL(href, base)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// AbsURL resolves ref against base and keeps it only when it is an
// absolute http(s) URL; the fragment is dropped.
func AbsURL(ref string, base *nurl.URL) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := nurl.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// blocks are the elements that start a new paragraph.
var blocks = map[string]bool{
	"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true, "blockquote": true,
	"pre": true, "table": true, "tr": true, "section": true, "article": true, "header": true,
	"footer": true, "figure": true, "figcaption": true, "main": true, "aside": true, "body": true,
	"br": true, "hr": true, "head": true, "list": true, "item": true, "quote": true, "lb": true,
	"summary": true, "details": true, "address": true, "caption": true,
}

// skipped elements hold no article text.
var skipped = map[string]bool{"script": true, "style": true, "noscript": true, "template": true,
	"svg": true, "iframe": true, "object": true, "button": true, "select": true, "textarea": true}

// Paragraphs returns the text of a content tree as paragraphs: one per
// block element, inline text joined, whitespace collapsed.
func Paragraphs(root *html.Node) []string {
	if root == nil {
		return nil
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if p := collapse(cur.String()); p != "" {
			out = append(out, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			tag := strings.ToLower(n.Data)
			if skipped[tag] {
				return
			}
			if tag == "td" || tag == "th" {
				cur.WriteString(" ")
			}
			if blocks[tag] {
				flush()
				defer flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	flush()
	return out
}

// textChars counts the characters of text outside skipped elements,
// stopping once past limit.
func textChars(root *html.Node, limit int) int {
	n := 0
	var walk func(*html.Node)
	walk = func(node *html.Node) {
		if n > limit {
			return
		}
		switch node.Type {
		case html.TextNode:
			n += utf8.RuneCountInString(node.Data)
			return
		case html.ElementNode:
			if skipped[strings.ToLower(node.Data)] || strings.EqualFold(node.Data, "style") {
				return
			}
		}
		for c := node.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return min(n, limit+1)
}

func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func clean(s string) string { return collapse(s) }

func charCount(ps []string) int {
	n := 0
	for _, p := range ps {
		n += utf8.RuneCountInString(p)
	}
	return n
}

func wordCount(ps []string) int {
	n := 0
	for _, p := range ps {
		n += len(strings.Fields(p))
	}
	return n
}

func sameWords(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	return norm(a) != "" && norm(a) == norm(b)
}

// LooksLikeHTML reports whether data starts like an HTML document.
func LooksLikeHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimLeft(data[:min(len(data), 1024)], "\ufeff \t\r\n"))
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<article", "<!--"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}
