// Package dateparser stands in for github.com/markusmobius/go-dateparser,
// which go-htmldate (through go-trafilatura) imports for its "extensive"
// date search. The real package builds data for 200 locales when the
// program starts: about 180 ms and 78 MB of allocations in every `bot`
// process (3-4 s under the race detector), whatever the command.
//
// newsbot runs trafilatura with HtmlDateMode Fast (internal/htmltext), in
// which go-htmldate never calls this package: dates come from metadata,
// JSON-LD, URLs and go-htmldate's own fast patterns. This stand-in keeps
// the few names go-htmldate refers to and parses only ISO-8601 and a few
// English layouts, so an extensive search, if one were ever switched on,
// still finds common dates rather than failing silently.
//
// go.mod replaces the real module with this directory.
package dateparser

import (
	"errors"
	"strings"
	"time"
)

// ParserType names a parsing strategy (only recorded here).
type ParserType int

// The strategies go-htmldate asks for.
const (
	Timestamp ParserType = iota
	NegativeTimestamp
	RelativeTime
	CustomFormat
	AbsoluteTime
	NoSpacesTime
)

// PreferredDateSource says which way to resolve an ambiguous date.
type PreferredDateSource int

// The sources.
const (
	CurrentPeriod PreferredDateSource = iota
	Past
	Future
)

// Configuration tunes parsing (only recorded here).
type Configuration struct {
	PreferredDateSource PreferredDateSource
	StrictParsing       bool
	CurrentTime         time.Time
}

// Parser parses dates.
type Parser struct {
	ParserTypes []ParserType
	Languages   []string
}

// Date is a parsed date.
type Date struct {
	Time time.Time
}

// IsZero reports whether no date was found.
func (d Date) IsZero() bool { return d.Time.IsZero() }

var layouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02", "2006/01/02",
	"2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2 2006",
	"Monday, 2 January 2006", "Monday, January 2, 2006", time.RFC1123, time.RFC1123Z,
}

// ErrNoDate is returned when s holds no date this stand-in reads.
var ErrNoDate = errors.New("dateparser (newsbot stand-in): no ISO or English date found")

// Parse reads s as one of a few common layouts.
func (p *Parser) Parse(cfg *Configuration, s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return Date{Time: t}, nil
		}
	}
	return Date{}, ErrNoDate
}
