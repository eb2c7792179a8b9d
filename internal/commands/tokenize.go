package commands

import (
	"fmt"
	"strings"
	"unicode"
)

// Tokenize splits a command line the way a shell does: white space
// separates arguments; '…' is literal; "…" allows \" and \\; a backslash
// outside quotes escapes the next character; adjacent parts join
// (a"b c"d is one argument, "ab cd"). Chat clients turn straight quotes into
// typographic ones, so “…”, ‘…’ and «…» quote too. An unterminated quote is
// an error that says which and where.
func Tokenize(line string) ([]string, error) {
	var (
		out    []string
		cur    strings.Builder
		inTok  bool // cur holds a token, possibly empty ("")
		closer rune // the quote that ends the current quoted part, 0 outside
		open   int  // where that quote opened, in runes, for errors
		escape bool
	)
	rs := []rune(line)
	for i, r := range rs {
		switch {
		case escape:
			cur.WriteRune(r)
			escape = false
		case closer == '"' && r == '\\' && i+1 < len(rs) && (rs[i+1] == '"' || rs[i+1] == '\\'):
			escape = true
		case closer != 0:
			if r == closer || (closer == '”' && r == '"') {
				closer = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\\':
			escape, inTok = true, true
		case unicode.IsSpace(r):
			if inTok {
				out = append(out, cur.String())
				cur.Reset()
				inTok = false
			}
		default:
			if c := closingQuote(r); c != 0 {
				closer, open, inTok = c, i, true
				continue
			}
			cur.WriteRune(r)
			inTok = true
		}
	}
	if closer != 0 {
		return nil, fmt.Errorf("unterminated quote: the %c opened at character %d is never closed", rs[open], open+1)
	}
	if escape {
		cur.WriteRune('\\')
	}
	if inTok {
		out = append(out, cur.String())
	}
	return out, nil
}

// closingQuote returns the quote that closes one opened by r, or 0.
func closingQuote(r rune) rune {
	switch r {
	case '"', '\'':
		return r
	case '“':
		return '”'
	case '‘':
		return '’'
	case '«':
		return '»'
	case '„':
		return '“'
	}
	return 0
}

// Quote returns s quoted so that Tokenize gives it back as one argument.
func Quote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\\' || closingQuote(r) != 0 || strings.ContainsRune("”’»", r)
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
