// Package inert makes third-party text safe to show on a chat platform or a
// terminal: what it returns can carry no control or format character, so
// text from an article can never move a cursor, recolour a terminal, rewrite
// a window title or reorder what a reader sees.
package inert

import (
	"strings"
	"unicode"
)

// Clean removes control and format characters except newlines, tabs and
// the zero-width joiner (which holds emoji sequences together).
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200d':
			return -1
		}
		return r
	}, s)
}
