package slack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	slackapi "github.com/slack-go/slack"

	"newsbot/internal/commands"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// Notifier queues alerts for the alert channels. Post only queues: the
// alert is already in the store, and a post is recorded there
// (store.Post) once Slack has it, so an alert whose post failed, or that
// was raised while the bot was down, is found again by the sweep
// (store.Tx.AlertsNotPosted) and retried until it is posted.
func (a *Adapter) Notifier() notify.Notifier {
	return notify.Func(func(ctx context.Context, al notify.Alert) error {
		id, err := store.ParseRef('A', al.ID)
		if err != nil {
			return fmt.Errorf("slack: alert id %q: %w", al.ID, err)
		}
		for _, ch := range a.o.AlertChannels {
			a.queueAlert(id, ch)
		}
		return nil
	})
}

// sweepLoop queues every alert not yet posted to each alert channel, now
// and every SweepEvery.
func (a *Adapter) sweepLoop(ctx context.Context) {
	if len(a.o.AlertChannels) == 0 {
		return
	}
	t := time.NewTicker(a.o.SweepEvery)
	defer t.Stop()
	for {
		if err := a.sweep(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("looking for unposted alerts failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *Adapter) sweep(ctx context.Context) error {
	for _, ch := range a.o.AlertChannels {
		var owed []store.Alert
		err := a.o.Store.View(ctx, func(tx *store.Tx) error {
			var err error
			owed, err = tx.AlertsNotPosted("slack", ch)
			return err
		})
		if err != nil {
			return fmt.Errorf("alerts not posted to %s: %w", ch, err)
		}
		for _, al := range owed {
			a.queueAlert(al.ID, ch)
		}
	}
	return nil
}

// queueAlert queues the post of alert id to channel, unless it is queued
// already. The job keeps trying (429: after Retry-After; other errors:
// with backoff) until the post is recorded in the store.
func (a *Adapter) queueAlert(id uint64, channel string) {
	key := fmt.Sprintf("%d/%s", id, channel)
	a.mu.Lock()
	if a.owed[key] {
		a.mu.Unlock()
		return
	}
	a.owed[key] = true
	a.mu.Unlock()
	ts := "" // posted to Slack but not yet recorded
	a.q.add(channel, &job{
		name:       "alert " + store.AlertRef(id),
		persistent: true,
		done: func(error) {
			a.mu.Lock()
			delete(a.owed, key)
			a.mu.Unlock()
		},
		do: func(ctx context.Context) error {
			if ts == "" {
				m, post, err := a.alertMessage(ctx, id, channel)
				if err != nil {
					return err
				}
				if !post {
					return nil
				}
				_, ts, err = a.api.PostMessageContext(ctx, channel, slackapi.MsgOptionText(m.Text, false),
					slackapi.MsgOptionBlocks(m.Blocks...), slackapi.MsgOptionDisableLinkUnfurl())
				if err != nil {
					ts = ""
					return fmt.Errorf("post alert %s to %s: %w", store.AlertRef(id), channel, err)
				}
			}
			err := a.o.Store.Update(ctx, func(tx *store.Tx) error {
				return tx.AddAlertPost(id, store.Post{Platform: "slack", Channel: channel, MessageID: ts, At: a.o.Now().UTC()})
			})
			if errors.Is(err, store.ErrNotFound) {
				return nil // forgotten meanwhile
			}
			if err != nil {
				return fmt.Errorf("record post of alert %s: %w", store.AlertRef(id), err)
			}
			a.log.Info("alert posted", "alert", store.AlertRef(id), "channel", channel, "ts", ts)
			return nil
		},
	})
}

// alertMessage renders alert id as it stands in the store, and says
// whether it is still owed to channel (not posted there, not dismissed,
// not forgotten).
func (a *Adapter) alertMessage(ctx context.Context, id uint64, channel string) (message, bool, error) {
	var m message
	owed := false
	err := a.o.Store.View(ctx, func(tx *store.Tx) error {
		al, ok, err := tx.Alert(id)
		if err != nil || !ok {
			return err
		}
		if al.State == store.AlertDismissed || slices.ContainsFunc(al.Posts, func(p store.Post) bool {
			return p.Platform == "slack" && p.Channel == channel
		}) {
			return nil
		}
		msg, err := ingest.AlertMessage(tx, al)
		if err != nil {
			return err
		}
		m, owed = renderMessages(alertReply(msg, al), 1)[0], true
		return nil
	})
	if err != nil {
		return m, false, fmt.Errorf("load alert %s: %w", store.AlertRef(id), err)
	}
	return m, owed, nil
}

// alertReply is an alert post: both claims, the reasons, and Confirm and
// Dismiss buttons while it is open; who decided, once decided.
func alertReply(msg notify.Alert, al store.Alert) *commands.Reply {
	sec := commands.AlertSection(msg)
	title := "Contradiction alert"
	if msg.SameSpeaker {
		title = "Change of position"
	}
	if al.State != store.AlertOpen {
		sec.Actions = nil
		line := "State: " + al.State
		if al.StateBy != "" {
			line += " by " + al.StateBy
		}
		if !al.StateAt.IsZero() {
			line += " on " + al.StateAt.UTC().Format("2006-01-02 15:04 MST")
		}
		sec.Lines = append(sec.Lines, line)
		title += " (" + al.State + ")"
	}
	return &commands.Reply{Title: title, Sections: []commands.Section{sec}}
}

// refreshAlert updates every Slack message alert id was posted as, so
// that they show its new state (and lose their buttons once decided).
func (a *Adapter) refreshAlert(ctx context.Context, id uint64) {
	var (
		posts []store.Post
		m     message
	)
	err := a.o.Store.View(ctx, func(tx *store.Tx) error {
		al, ok, err := tx.Alert(id)
		if err != nil || !ok {
			return err
		}
		msg, err := ingest.AlertMessage(tx, al)
		if err != nil {
			return err
		}
		posts, m = al.Posts, renderMessages(alertReply(msg, al), 1)[0]
		return nil
	})
	if err != nil {
		a.log.Error("reading alert for update failed", "alert", store.AlertRef(id), "err", err)
		return
	}
	for _, p := range posts {
		if p.Platform != "slack" || p.MessageID == "" {
			continue
		}
		a.q.add(p.Channel, &job{name: "update alert " + store.AlertRef(id), urgent: true, do: func(ctx context.Context) error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, p.Channel, p.MessageID,
				slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...))
			return err
		}})
	}
}
