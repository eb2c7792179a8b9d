package htmltext

import (
	"os"
	"testing"
)

// BenchmarkExtract measures extraction of the sample story page.
func BenchmarkExtract(b *testing.B) {
	page, err := os.ReadFile("testdata/story.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := Extract(page, "text/html; charset=utf-8", "https://riverside.example/a"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExtractShort is a short page, where readability takes over.
func BenchmarkExtractShort(b *testing.B) {
	page := []byte("<html><body><article><p>Words said by someone today. Words said by someone today. Words said by someone today.</p></article></body></html>")
	for b.Loop() {
		Extract(page, "text/html", "https://example.org/a")
	}
}
