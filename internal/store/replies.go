package store

import (
	"fmt"
	"slices"
	"time"
)

// Reads shaped for chat replies, which must stay fast however large the
// archive grows: they decode no more than a reply shows.

// articleHead is an Article without its text and statement list, for
// reading the head of a record stored as JSON.
type articleHead struct {
	ID        string    `json:"id"`
	URL       string    `json:"url,omitempty"`
	File      string    `json:"file,omitempty"`
	Outlet    string    `json:"outlet,omitempty"`
	Title     string    `json:"title,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Ingested  time.Time `json:"ingested"`
	Extractor string    `json:"extractor,omitempty"`
	TextHash  string    `json:"text_hash"`
}

// ArticleHead returns an article without its Text and Statements, which
// are neither decoded nor copied: what a reply citing the article needs.
func (t *Tx) ArticleHead(id string) (Article, bool, error) {
	return getRecord[Article](t.rb(bArticles), []byte(id), headOnly)
}

// articleHeadJSON decodes the head of an article stored as JSON.
func articleHeadJSON(raw []byte, a *Article) error {
	var h articleHead
	if err := decodeJSON(raw, &h); err != nil {
		return err
	}
	*a = Article{ID: h.ID, URL: h.URL, File: h.File, Outlet: h.Outlet, Title: h.Title, Author: h.Author,
		Published: h.Published, Ingested: h.Ingested, Extractor: h.Extractor, TextHash: h.TextHash}
	return nil
}

// AlertsOn returns the alerts on any of the statements in ids, newest
// first; only open ones unless all. It walks the whole pair index (16
// bytes of key an alert: a statement can be either side of a pair, and
// the index is ordered by the lower), decoding only the alerts that
// match; its cost grows with the alerts stored.
func (t *Tx) AlertsOn(ids map[uint64]bool, all bool) ([]Alert, error) {
	var found []uint64
	c := t.b(bIdxAlertPair).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) == 16 && (ids[getU64(k[:8])] || ids[getU64(k[8:])]) {
			found = append(found, getU64(v))
		}
	}
	slices.Sort(found)
	out := make([]Alert, 0, len(found))
	for i := len(found) - 1; i >= 0; i-- {
		al, ok, err := t.Alert(found[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("alert pair index names A%d: %w", found[i], ErrNotFound)
		}
		if all || al.State == AlertOpen {
			out = append(out, al)
		}
	}
	return out, nil
}

// statementHead is a Statement without its index terms, entities,
// features and quote hash, and sources without their sentences.
type statementHead struct {
	ID        uint64       `json:"id"`
	SpeakerID uint64       `json:"speaker_id"`
	Text      string       `json:"text"`
	Kind      string       `json:"kind"`
	Cue       string       `json:"cue,omitempty"`
	Sources   []sourceHead `json:"sources"`
}

type sourceHead struct {
	ArticleID string    `json:"article_id"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Mention   string    `json:"mention,omitempty"`
	Cue       string    `json:"cue,omitempty"`
	Date      time.Time `json:"date"`
}

// StatementHead returns a statement as a reply shows it: without Terms,
// ContextTerms, Entities, Features and QuoteHash, and its sources without
// their Sentence, none of which are decoded.
func (t *Tx) StatementHead(id uint64) (Statement, bool, error) {
	return getRecord[Statement](t.rb(bStatements), u64(id), headOnly)
}

// statementHeadJSON decodes the head of a statement stored as JSON.
func statementHeadJSON(raw []byte, st *Statement) error {
	var h statementHead
	if err := decodeJSON(raw, &h); err != nil {
		return err
	}
	*st = Statement{ID: h.ID, SpeakerID: h.SpeakerID, Text: h.Text, Kind: h.Kind, Cue: h.Cue,
		Sources: make([]Source, len(h.Sources))}
	for i, s := range h.Sources {
		st.Sources[i] = Source{ArticleID: s.ArticleID, Start: s.Start, End: s.End, Mention: s.Mention, Cue: s.Cue, Date: s.Date}
	}
	return nil
}
