package webarticle

import (
	"regexp"
	"strings"
)

var (
	mdHeading = regexp.MustCompile(`(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$`)
	mdImage   = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdEmph    = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdRule    = regexp.MustCompile(`(?m)^[ \t]{0,3}([-*_])([ \t]*([-*_])){2,}[ \t]*$`)
	mdList    = regexp.MustCompile(`(?m)^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]+`)
	mdQuote   = regexp.MustCompile(`(?m)^[ \t]{0,3}>[ \t]?`)
)

// Markdown strips Markdown markup an article would carry (headings,
// links, images, bold, rules, list and quote markers) and keeps the words;
// the first heading stays the first line.
func Markdown(s string) string {
	s = mdRule.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "$1")
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdEmph.ReplaceAllString(s, "$2")
	s = mdList.ReplaceAllString(s, "")
	s = mdQuote.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}
