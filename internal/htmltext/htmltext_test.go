package htmltext

import (
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func TestStoryKeptClutterDropped(t *testing.T) {
	page, err := os.ReadFile("testdata/story.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(page, "text/html; charset=utf-8", "https://riverside.example/news/harbour-bridge?utm_source=x")
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, want := range []string{
		"The harbour bridge reopened to traffic on Tuesday morning",
		`"We are delighted to see cars and buses back on the bridge," said Mayor Alan Price at a ribbon-cutting ceremony`,
		"Engineers replaced the main cables",
		"said baker Maria Lopez.",
		"cyclists would have a separate lane for the first time.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("story text lost %q", want)
		}
	}
	for _, clutter := range []string{"Subscribe today", "Zephyr phone", "Council votes", "About time",
		"some paint", "Cheap flights", "Copyright", "Share on Facebook", "Most read", "dataLayer", "color:red"} {
		if strings.Contains(text, clutter) {
			t.Errorf("clutter %q kept", clutter)
		}
	}
	if a.Title != "Harbour bridge reopens after two years of repairs" {
		t.Errorf("title %q", a.Title)
	}
	if !strings.Contains(a.Author, "Jane Doe") {
		t.Errorf("author %q", a.Author)
	}
	if a.SiteName != "The Riverside Post" {
		t.Errorf("site name %q", a.SiteName)
	}
	if want := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC); a.Published.UTC().Truncate(24*time.Hour) != want {
		t.Errorf("published %v", a.Published)
	}
	if a.CanonicalURL != "https://riverside.example/news/2024/03/harbour-bridge-reopens" {
		t.Errorf("canonical %q", a.CanonicalURL)
	}
	if a.Extractor != Trafilatura {
		t.Errorf("extractor %q", a.Extractor)
	}
	// Paragraphs stay paragraphs: the headline line, then one per <p>.
	lines := strings.Split(text, "\n\n")
	if lines[0] != a.Title {
		t.Errorf("first line %q, want the title", lines[0])
	}
	for _, l := range lines {
		if strings.Contains(l, "Tuesday morning") && strings.Contains(l, "delighted") {
			t.Errorf("paragraphs run together: %q", l)
		}
	}
}

func latin1Page(meta string) []byte {
	html := "<html><head>" + meta + "<title>Café owners protest</title></head><body><article><h1>Café owners protest</h1>" +
		strings.Repeat("<p>Les propriétaires de cafés à Besançon ont manifesté jeudi contre la hausse des loyers, « une catastrophe », a déclaré Hélène Dubois, présidente de l'association.</p>", 3) +
		"</article></body></html>"
	out, err := charmap.ISO8859_1.NewEncoder().String(html)
	if err != nil {
		panic(err)
	}
	return []byte(out)
}

func TestWrongCharset(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, meta string
	}{
		{"header", "text/html; charset=ISO-8859-1", ""},
		{"meta", "text/html", `<meta charset="iso-8859-1">`},
		{"http-equiv", "", `<meta http-equiv="Content-Type" content="text/html; charset=latin1">`},
		{"mislabelled utf-8 header", "text/html; charset=utf-8", ""},
		{"mislabelled utf-8 meta", "text/html", `<meta charset="utf-8">`},
	} {
		a, err := Extract(latin1Page(tc.meta), tc.contentType, "https://example.org/cafe")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		text := a.Text()
		if !strings.Contains(text, "propriétaires de cafés à Besançon") || !strings.Contains(text, "« une catastrophe »") ||
			!strings.Contains(text, "Hélène") || strings.ContainsRune(text, '\uFFFD') {
			t.Errorf("%s: decoded as %s badly: %q", tc.name, a.Charset, text[:min(len(text), 200)])
		}
		if a.Title != "Café owners protest" {
			t.Errorf("%s: title %q", tc.name, a.Title)
		}
	}
}

func TestDecodeUTF8AndBOM(t *testing.T) {
	s, cs, err := Decode([]byte("\ufeff<p>naïve</p>"), "text/html; charset=iso-8859-1")
	if err != nil || s != "<p>naïve</p>" || cs != "utf-8" {
		t.Fatalf("BOM wins over header: %q %s %v", s, cs, err)
	}
	s, _, _ = Decode([]byte("<p>naïve</p>"), "")
	if s != "<p>naïve</p>" {
		t.Fatalf("plain utf-8: %q", s)
	}
}

func TestNoText(t *testing.T) {
	if _, err := Extract([]byte("<html><body><nav><a href=/>Home</a></nav></body></html>"), "text/html", ""); err == nil {
		t.Fatal("a page with no article gave one")
	}
}

func TestParagraphsFromReadability(t *testing.T) {
	page := []byte(`<html><head><title>Minister resigns | Daily</title></head><body><div id="content">` +
		strings.Repeat(`<p>The minister resigned on Friday, saying she had "lost the confidence" of colleagues in the cabinet over the budget.</p>`, 3) +
		`</div></body></html>`)
	a, err := viaReadability(string(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 3 || a.Extractor != Readability {
		t.Fatalf("readability paragraphs %q (%s)", a.Paragraphs, a.Extractor)
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for s, want := range map[string]bool{"<!DOCTYPE html><html>": true, "  <html>": true,
		"Headline\n\nText": false, "# Markdown": false} {
		if LooksLikeHTML([]byte(s)) != want {
			t.Errorf("LooksLikeHTML(%q) = %v", s, !want)
		}
	}
}
