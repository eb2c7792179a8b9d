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
		return strings.Clone(w) // numbers and acronyms as written
	}
	return english.Stem(w, true)
}

// words calls fn for each lower-case, accent-folded word of text. Letters
// and digits make words; everything else separates them, hyphens, slashes
// and apostrophes included ("Russia's" gives "russia" and the stop word
// "s"). Dotted acronyms stay one word with their dots ("U.S." → "u.s"), so
// the United States never becomes the pronoun "us". A word already in lower
// case is handed over as a slice of text, without a copy: fn must clone what
// it keeps.
func words(text string, fn func(string)) {
	if !isASCII(text) {
		text = foldAccents(text)
	}
	var b []byte  // the word lower-cased, once it differs from text
	start := -1   // where the current word began in text; -1: between words
	plain := true // the word so far is text[start:i] as it stands
	flush := func(end int) {
		switch {
		case start < 0:
		case plain:
			fn(text[start:end])
		default:
			fn(string(b))
		}
		start, plain, b = -1, true, b[:0]
	}
	letters := 0 // letters in the current word since its last dot
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
			lower := unicode.ToLower(r)
			if plain && lower != r {
				plain = false
				b = append(b[:0], text[start:i]...)
			}
			if !plain {
				b = utf8.AppendRune(b, lower)
			}
			letters++
		case r == '.' && letters == 1 && i+2 < len(text) && isLetterByte(text[i+1]) && text[i+2] == '.':
			// "u" in "u.s.": the acronym goes on.
			if !plain {
				b = append(b, '.')
			}
			letters = 0
		default:
			flush(i)
			letters = 0
		}
		i += size
	}
	flush(len(text))
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
