package ingest

import (
	"strings"
	"unicode"

	"newsbot/internal/store"
)

// Entities returns the names a sentence mentions: runs of capitalised words
// ("Vladimir Putin", "Helsinki", "National Security Council"), normalised
// with store.NormaliseName. A capitalised word that merely opens the
// sentence is kept only when a capitalised word follows it or it is not a
// common sentence opener, so "The" and "But" never become entities.
func Entities(sentence string) []string {
	var out []string
	var run []string
	flush := func() {
		if len(run) > 0 {
			// Trim joining words left at the end of a run ("Bank of").
			for len(run) > 1 && joiner(run[len(run)-1]) {
				run = run[:len(run)-1]
			}
			if e := store.NormaliseName(strings.Join(run, " ")); !opener(e) {
				out = append(out, e)
			}
		}
		run = run[:0]
	}
	// Punctuation ends a name: "Monday, The Times" is two.
	for _, chunk := range strings.FieldsFunc(sentence, func(r rune) bool {
		return strings.ContainsRune(",;:!?()[]\"“”‘’«»—–", r)
	}) {
		for _, w := range strings.Fields(chunk) {
			w = strings.Trim(w, ".'-")
			rs := []rune(w)
			switch {
			case len(rs) == 0:
				flush()
			case unicode.IsUpper(rs[0]):
				run = append(run, w)
			case len(run) > 0 && joiner(w):
				run = append(run, w) // "Secretary of State", "Bank of England"
			default:
				flush()
			}
		}
		flush()
	}
	flush()
	return uniqStrings(out)
}

func joiner(w string) bool { return w == "of" || w == "de" || w == "al" }

// opener reports capitalised words that begin sentences without naming
// anything.
func opener(e string) bool {
	switch e {
	case "", "the", "a", "an", "but", "and", "in", "on", "at", "he", "she", "they", "it", "we", "i",
		"this", "that", "there", "these", "those", "if", "when", "while", "after", "before", "as",
		"for", "so", "yet", "his", "her", "their", "its", "our", "my", "mr", "mrs", "ms", "dr":
		return true
	}
	return false
}

func uniqStrings(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
