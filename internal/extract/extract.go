// Package extract finds statements (who said what) in article text.
//
// It is pure: text in, statements out. No I/O, no store, no clock.
package extract

// Kind says how a statement is reported.
type Kind string

// The kinds of statement.
const (
	Direct      Kind = "direct"       // “Q,” S said.
	Indirect    Kind = "indirect"     // S said (that) CLAUSE.
	Mixed       Kind = "mixed"        // S said the talks were “a success”.
	AccordingTo Kind = "according_to" // According to S, CLAUSE.
)

// SpeakerType classifies who made a statement.
type SpeakerType string

// The speaker types.
const (
	Person       SpeakerType = "person"
	Organisation SpeakerType = "organisation"
	DocumentType SpeakerType = "document"  // a statement, memo, letter
	Anonymous    SpeakerType = "anonymous" // "a National Security Council spokesman", "officials"
	Unknown      SpeakerType = "unknown"
)

// Document is one article. Text is the whole content; every offset a
// Statement carries counts Unicode code points into Text.
type Document struct {
	Text string
	// Headline says that the first line of Text is the headline (the file
	// format of the command-line contract), so it is never a statement.
	Headline bool
}

// Speaker is who made a statement, resolved within one article.
type Speaker struct {
	// Name is the canonical name within the article: the fullest form of a
	// person's name ("Mikhail Mizintsev"), an organisation ("the State
	// Department"), or an anonymous description kept as such ("a National
	// Security Council spokesman").
	Name string `json:"name"`
	// Mention is the surface form at the statement ("Mizintsev", "he").
	Mention string `json:"mention"`
	// Role is a title or description ("senior ministry official").
	Role string `json:"role,omitempty"`
	// Affiliation is an organisation or country ("Russian defence ministry").
	Affiliation string      `json:"affiliation,omitempty"`
	Type        SpeakerType `json:"type"`
	// Aliases are the other forms this speaker takes in the article.
	Aliases []string `json:"aliases,omitempty"`
}

// Statement is one attributed statement.
type Statement struct {
	Speaker Speaker `json:"speaker"`
	// Text is the statement's words: the quotation without its marks, or
	// the reported clause.
	Text string `json:"text"`
	Kind Kind   `json:"kind"`
	// Cue is the reporting word as written ("said", "told", "according to").
	Cue string `json:"cue"`
	// Start and End delimit Text in Document.Text, in code points.
	Start int `json:"start"`
	End   int `json:"end"`
	// MentionStart and MentionEnd delimit the speaker's mention at this
	// statement in Document.Text, in code points (both 0 when the speaker
	// was inherited from an earlier statement without a new mention).
	MentionStart int `json:"mention_start"`
	MentionEnd   int `json:"mention_end"`
	// Sentence is the full sentence (or sentences) holding the statement,
	// attribution included: context for search and contradiction checks.
	Sentence string `json:"sentence"`
}

// Extractor finds statements in a document. Implementations are safe for
// concurrent use.
type Extractor interface {
	// Name identifies the extractor and its version, recorded with every
	// article it processed.
	Name() string
	Extract(doc Document) []Statement
}
