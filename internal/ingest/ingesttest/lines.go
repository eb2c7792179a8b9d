// Package ingesttest provides a small, predictable extractor for tests of
// what happens after extraction (merging, storage, commands, adapters),
// apart from extraction quality.
package ingesttest

import (
	"regexp"

	"newsbot/internal/extract"
)

// Lines is an extractor for which each line `NAME (TYPE): WORDS` is a
// statement by NAME, of speaker type TYPE (person, organisation, anonymous,
// unknown), optionally `NAME (TYPE, ROLE): WORDS`.
type Lines struct{}

var _ extract.Extractor = Lines{}

func lineRe() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^([^:(\n]+) \((person|organisation|anonymous|unknown)(?:, ([^)]*))?\): (.+)$`)
}

// Name identifies the extractor.
func (Lines) Name() string { return "test-lines" }

// Extract finds the statement lines. Offsets are byte offsets, which equal
// code points for the ASCII texts tests use.
func (Lines) Extract(doc extract.Document) []extract.Statement {
	var out []extract.Statement
	for _, m := range lineRe().FindAllStringSubmatchIndex(doc.Text, -1) {
		name := doc.Text[m[2]:m[3]]
		role := ""
		if m[6] >= 0 {
			role = doc.Text[m[6]:m[7]]
		}
		words := doc.Text[m[8]:m[9]]
		out = append(out, extract.Statement{
			Speaker: extract.Speaker{Name: name, Mention: name, Role: role, Type: extract.SpeakerType(doc.Text[m[4]:m[5]])},
			Text:    words, Kind: extract.Direct, Cue: "said", Start: m[8], End: m[9], Sentence: words,
		})
	}
	return out
}
