// Package textindex is the analyzer behind the store's term index: it
// splits text into words, folds case and accents, drops stop words and
// stems what is left (Porter2, the English Snowball stemmer), so that
// "refugees" finds "refugee" and "washington-summit" finds "Washington
// summit".
package textindex

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Terms returns the index terms of text in order, repeats kept (they are
// term frequencies).
func Terms(text string) []string {
	var out []string
	words(text, func(w string) {
		if t := term(w); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// QueryTerms analyses a query the way Terms analyses text, without repeats.
func QueryTerms(q string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range Terms(q) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// term turns one lower-case word into its index term, "" for a stop word.
func term(w string) string {
	if isStopWord(w) {
		return ""
	}
	if w[0] >= '0' && w[0] <= '9' || strings.IndexByte(w, '.') >= 0 {
		return w // numbers and acronyms as written
	}
	return english.Stem(w, true)
}

// words calls fn for each lower-case, accent-folded word of text. Letters
// and digits make words; everything else separates them, hyphens, slashes
// and apostrophes included ("Russia's" gives "russia" and the stop word
// "s"). Dotted acronyms stay one word with their dots ("U.S." → "u.s"), so
// the United States never becomes the pronoun "us".
func words(text string, fn func(string)) {
	if !isASCII(text) {
		text = foldAccents(text)
	}
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			fn(b.String())
			b.Reset()
		}
	}
	letters := 0 // letters in the current word since its last dot
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			letters++
		case r == '.' && letters == 1 && i+2 < len(text) && isLetterByte(text[i+1]) && text[i+2] == '.':
			// "u" in "u.s.": the acronym goes on.
			b.WriteByte('.')
			letters = 0
		default:
			flush()
			letters = 0
		}
		i += size
	}
	flush()
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldAccents removes combining marks: "Núñez" → "Nunez".
func foldAccents(s string) string {
	d := norm.NFKD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, d)
}
