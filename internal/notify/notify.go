// Package notify carries contradiction alerts from ingest to the chat
// platforms. It holds only the message and the interface: each chat adapter
// renders and posts alerts its own way.
package notify

import (
	"context"
	"errors"
	"time"
)

// Claim is one side of an alert, with enough to quote it and say who said
// it, where and when.
type Claim struct {
	StatementID string    `json:"statement_id"`
	Speaker     string    `json:"speaker"`
	SpeakerRole string    `json:"speaker_role,omitempty"`
	Text        string    `json:"text"`
	Kind        string    `json:"kind"`
	Article     string    `json:"article"` // URL, file or article id: how a user finds it
	ArticleID   string    `json:"article_id"`
	Outlet      string    `json:"outlet,omitempty"`
	Title       string    `json:"title,omitempty"`
	Published   time.Time `json:"published,omitzero"`
}

// Alert is a contradiction between a new claim and an earlier one.
type Alert struct {
	ID          string   `json:"id"`
	Score       float64  `json:"score"`
	Reasons     []string `json:"reasons"`
	SameSpeaker bool     `json:"same_speaker,omitempty"`
	New         Claim    `json:"new"`
	Old         Claim    `json:"old"`
}

// Notifier posts alerts. Post returns once the alert is handed over (or
// durably queued); an error means it was not.
type Notifier interface {
	Post(ctx context.Context, a Alert) error
}

// Func adapts a function to Notifier.
type Func func(ctx context.Context, a Alert) error

// Post calls f.
func (f Func) Post(ctx context.Context, a Alert) error { return f(ctx, a) }

// Multi posts to every notifier and joins their errors.
type Multi []Notifier

// Post posts a to each notifier in turn.
func (m Multi) Post(ctx context.Context, a Alert) error {
	var errs []error
	for _, n := range m {
		if err := n.Post(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
