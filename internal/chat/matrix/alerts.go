package matrix

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// sweepEvery is how often the alerts still owed to a room are looked for,
// besides after start-up and whenever syncing resumes.
const sweepEvery = 5 * time.Minute

func (a *Adapter) kickSweep() {
	select {
	case a.sweep <- struct{}{}:
	default:
	}
}

// poster posts alerts, one at a time so that the queue and the sweep never
// post the same alert to a room twice.
func (a *Adapter) poster(ctx context.Context) {
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case al := <-a.alerts:
			a.deliver(ctx, al)
		case <-a.sweep:
			a.sweepOwed(ctx)
		case <-tick.C:
			a.sweepOwed(ctx)
		}
	}
}

// rooms joins the configured alert rooms (ids or aliases) not joined yet
// and returns the joined ones.
func (a *Adapter) rooms(ctx context.Context) []id.RoomID {
	var out []id.RoomID
	for _, r := range a.opt.Config.AlertRooms {
		a.mu.Lock()
		joined, ok := a.alertRooms[r]
		a.mu.Unlock()
		if !ok {
			resp, err := a.cli.JoinRoom(ctx, r, nil)
			if err != nil {
				a.log.Error("cannot join an alert room; will try again", "room", r, "err", err)
				continue
			}
			joined = resp.RoomID
			a.mu.Lock()
			a.alertRooms[r] = joined
			a.mu.Unlock()
		}
		if !slices.Contains(out, joined) {
			out = append(out, joined)
		}
	}
	return out
}

// deliver posts al to every alert room it has not been posted to yet and
// records each post.
func (a *Adapter) deliver(ctx context.Context, al notify.Alert) {
	if _, err := a.deliverTo(ctx, al, a.rooms(ctx)); err != nil && ctx.Err() == nil {
		a.log.Error("posting an alert failed; it stays owed", "alert", al.ID, "err", err)
	}
}

func (a *Adapter) deliverTo(ctx context.Context, al notify.Alert, rooms []id.RoomID) (int, error) {
	ref, refErr := store.ParseRef('A', al.ID)
	var errs []error
	posted := 0
	for _, room := range rooms {
		if refErr == nil {
			done, err := a.postedTo(ctx, ref, room)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if done {
				continue
			}
		}
		m := a.rd.alert(al)
		content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: m.Body, Format: event.FormatHTML,
			FormattedBody: m.HTML, Mentions: &event.Mentions{}}
		evtID, err := a.send(ctx, room, content, txnID("alert", al.ID, string(room)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		posted++
		a.log.Info("alert posted", "alert", al.ID, "room", room, "event", evtID)
		if refErr != nil {
			continue // not a stored alert: nothing to record
		}
		err = a.opt.Store.Update(ctx, func(tx *store.Tx) error {
			return tx.AddAlertPost(ref, store.Post{Platform: "matrix", Channel: string(room), MessageID: string(evtID),
				At: a.opt.Now().UTC()})
		})
		if errors.Is(err, store.ErrNotFound) {
			continue // forgotten meanwhile
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return posted, errors.Join(errs...)
}

func (a *Adapter) postedTo(ctx context.Context, ref uint64, room id.RoomID) (bool, error) {
	done := false
	err := a.opt.Store.View(ctx, func(tx *store.Tx) error {
		al, ok, err := tx.Alert(ref)
		if err != nil || !ok {
			return err
		}
		done = slices.ContainsFunc(al.Posts, func(p store.Post) bool { return p.Platform == "matrix" && p.Channel == string(room) })
		return nil
	})
	return done, err
}

// sweepOwed posts the alerts a room is still owed: ones raised while the
// homeserver was unreachable, or before a restart. Only alerts raised
// since the adapter first ran are owed, so a newly configured room is not
// flooded with history.
func (a *Adapter) sweepOwed(ctx context.Context) {
	since, err := a.alertsSince(ctx)
	if err != nil {
		a.log.Error("alert sweep", "err", err)
		return
	}
	for _, room := range a.rooms(ctx) {
		var owed []notify.Alert
		err := a.opt.Store.View(ctx, func(tx *store.Tx) error {
			list, err := tx.AlertsNotPosted("matrix", string(room))
			if err != nil {
				return err
			}
			for _, al := range list {
				if al.Created.Before(since) {
					continue
				}
				msg, err := ingest.AlertMessage(tx, al)
				if err != nil {
					return err
				}
				owed = append(owed, msg)
			}
			return nil
		})
		if err != nil {
			a.log.Error("alert sweep", "room", room, "err", err)
			continue
		}
		for _, al := range owed {
			if _, err := a.deliverTo(ctx, al, []id.RoomID{room}); err != nil {
				a.log.Error("posting an owed alert failed", "alert", al.ID, "room", room, "err", err)
				break // the room is unreachable: the next sweep tries again
			}
		}
	}
}

// alertsSince is when the adapter first ran, kept in the state bucket.
func (a *Adapter) alertsSince(ctx context.Context) (time.Time, error) {
	raw, err := a.st.get(ctx, a.cli.UserID, "alerts_since")
	if err != nil {
		return time.Time{}, err
	}
	if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(raw)); err == nil {
		return t, nil
	}
	now := a.startedAt.UTC()
	return now, a.st.put(ctx, a.cli.UserID, "alerts_since", now.Format(time.RFC3339Nano))
}
