package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Article is one ingested news article.
type Article struct {
	// ID is a hash of the canonical URL, or of the normalised text when the
	// article has no URL.
	ID        string    `json:"id"`
	URL       string    `json:"url,omitempty"`
	File      string    `json:"file,omitempty"` // file name or path it was read from
	Outlet    string    `json:"outlet,omitempty"`
	Title     string    `json:"title,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Ingested  time.Time `json:"ingested"`
	Extractor string    `json:"extractor,omitempty"`
	// TextHash is a hash of the normalised text, for de-duplication.
	TextHash string `json:"text_hash"`
	Text     string `json:"text"`
	// Statements are the ids of the statements this article carries.
	Statements []uint64 `json:"statements,omitempty"`
}

// Date is when the article was published, or ingested when unknown.
func (a *Article) Date() time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Ingested
}

// Speaker is a canonical speaker: a person, an organisation, a document or
// an anonymous source.
type Speaker struct {
	ID          uint64   `json:"id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"` // person, organisation, document, anonymous, unknown
	Aliases     []string `json:"aliases,omitempty"`
	Role        string   `json:"role,omitempty"`
	Affiliation string   `json:"affiliation,omitempty"`
	// Scope, when set, confines the speaker to one article: anonymous
	// sources ("a spokesman") are never merged across articles.
	Scope string `json:"scope,omitempty"`
}

// Source is one article carrying a statement, with where it stands.
type Source struct {
	ArticleID string    `json:"article_id"`
	Start     int       `json:"start"` // code points into the article text
	End       int       `json:"end"`
	Mention   string    `json:"mention,omitempty"` // how the article named the speaker
	Cue       string    `json:"cue,omitempty"`
	Sentence  string    `json:"sentence,omitempty"`
	Date      time.Time `json:"date"` // the article's date
}

// Statement is one thing a speaker said, with every article that carried it.
type Statement struct {
	ID        uint64   `json:"id"`
	SpeakerID uint64   `json:"speaker_id"`
	Text      string   `json:"text"`
	Kind      string   `json:"kind"` // direct, indirect, mixed, according_to
	Cue       string   `json:"cue,omitempty"`
	Sources   []Source `json:"sources"`
	// Terms are the stemmed terms of Text; ContextTerms those of the
	// surrounding sentence that are not in Text. Both are indexed.
	Terms        []string `json:"terms,omitempty"`
	ContextTerms []string `json:"context_terms,omitempty"`
	// Entities are names the statement or its sentence mentions (lower case).
	Entities []string `json:"entities,omitempty"`
	// QuoteHash identifies the words, for merging the same quote carried by
	// several outlets.
	QuoteHash string `json:"quote_hash"`
	// Features holds claim features for contradiction checks (polarity ...).
	Features map[string]float64 `json:"features,omitempty"`
}

// First is the date of the earliest source, Latest of the latest.
func (s *Statement) First() time.Time {
	return s.dateBy(func(a, b time.Time) bool { return a.Before(b) })
}
func (s *Statement) Latest() time.Time {
	return s.dateBy(func(a, b time.Time) bool { return a.After(b) })
}

func (s *Statement) dateBy(better func(a, b time.Time) bool) time.Time {
	var d time.Time
	for i, src := range s.Sources {
		if i == 0 || better(src.Date, d) {
			d = src.Date
		}
	}
	return d
}

// Alert states.
const (
	AlertOpen      = "open"
	AlertConfirmed = "confirmed"
	AlertDismissed = "dismissed"
)

// Alert is a contradiction found between a new statement and an earlier one.
type Alert struct {
	ID      uint64    `json:"id"`
	New     uint64    `json:"new"` // statement ids
	Old     uint64    `json:"old"`
	Score   float64   `json:"score"`
	Reasons []string  `json:"reasons"`
	Created time.Time `json:"created"`
	// SameSpeaker marks a speaker changing position.
	SameSpeaker bool      `json:"same_speaker,omitempty"`
	State       string    `json:"state"`
	StateBy     string    `json:"state_by,omitempty"` // platform:user who confirmed or dismissed
	StateAt     time.Time `json:"state_at,omitzero"`
	Posts       []Post    `json:"posts,omitempty"`
}

// Post records where an alert was posted.
type Post struct {
	Platform  string    `json:"platform"`
	Channel   string    `json:"channel"`
	MessageID string    `json:"message_id,omitempty"`
	At        time.Time `json:"at"`
}

// Feed is a subscribed RSS or Atom feed.
type Feed struct {
	ID           uint64        `json:"id"`
	URL          string        `json:"url"`
	Title        string        `json:"title,omitempty"`
	Interval     time.Duration `json:"interval"`
	ETag         string        `json:"etag,omitempty"`
	LastModified string        `json:"last_modified,omitempty"`
	LastPolled   time.Time     `json:"last_polled,omitzero"`
	LastError    string        `json:"last_error,omitempty"`
	Failures     int           `json:"failures,omitempty"`
	AddedBy      string        `json:"added_by,omitempty"`
	Added        time.Time     `json:"added"`
}

// Story is a named, tracked story: a name and the query that finds it.
type Story struct {
	Name    string    `json:"name"`
	Query   string    `json:"query"`
	AddedBy string    `json:"added_by,omitempty"`
	Added   time.Time `json:"added"`
}

// StatementRef formats a statement id as users see it ("S42").
func StatementRef(id uint64) string { return "S" + strconv.FormatUint(id, 10) }

// AlertRef formats an alert id as users see it ("A7").
func AlertRef(id uint64) string { return "A" + strconv.FormatUint(id, 10) }

// ParseRef parses "S42", "A7" or "42" with the given prefix letter.
func ParseRef(prefix byte, s string) (uint64, error) {
	t := strings.TrimSpace(s)
	if len(t) > 0 && (t[0] == prefix || t[0] == prefix+'a'-'A') {
		t = t[1:]
	}
	id, err := strconv.ParseUint(t, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%q is not a valid id (expected like %c12)", s, prefix)
	}
	return id, nil
}
