package matrix

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/store"
)

// state keeps the adapter's small state in the store's state bucket, under
// keys "matrix/<user id>/...": the sync token and filter id (mautrix's
// SyncStore), the device id, and the ids of the events already handled.
type state struct {
	st *store.Store
}

var _ mautrix.SyncStore = state{}

func stateKey(user id.UserID, name string) string { return "matrix/" + string(user) + "/" + name }

func (s state) get(ctx context.Context, user id.UserID, name string) (string, error) {
	var v []byte
	err := s.st.View(ctx, func(tx *store.Tx) error {
		v = tx.State(stateKey(user, name))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read matrix state %s: %w", name, err)
	}
	return string(v), nil
}

func (s state) put(ctx context.Context, user id.UserID, name, value string) error {
	var v []byte
	if value != "" {
		v = []byte(value)
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error { return tx.PutState(stateKey(user, name), v) })
	if err != nil {
		return fmt.Errorf("save matrix state %s: %w", name, err)
	}
	return nil
}

func (s state) SaveFilterID(ctx context.Context, user id.UserID, filterID string) error {
	return s.put(ctx, user, "filter_id", filterID)
}

func (s state) LoadFilterID(ctx context.Context, user id.UserID) (string, error) {
	return s.get(ctx, user, "filter_id")
}

func (s state) SaveNextBatch(ctx context.Context, user id.UserID, token string) error {
	return s.put(ctx, user, "next_batch", token)
}

func (s state) LoadNextBatch(ctx context.Context, user id.UserID) (string, error) {
	return s.get(ctx, user, "next_batch")
}

// maxHandled is how many handled event ids are remembered: far more than
// one sync batch can replay.
const maxHandled = 2000

// handled remembers which events were already acted on, in memory and in
// the store, so that an event delivered twice (a replayed sync batch, a
// decryption retried after the keys arrived) is acted on once.
type handled struct {
	s    state
	user id.UserID
	mu   sync.Mutex
	ids  []string // oldest first
	set  map[string]bool
}

func loadHandled(ctx context.Context, s state, user id.UserID) (*handled, error) {
	h := &handled{s: s, user: user, set: map[string]bool{}}
	raw, err := s.get(ctx, user, "handled")
	if err != nil {
		return nil, err
	}
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &h.ids); err != nil {
			return nil, fmt.Errorf("decode handled matrix events: %w", err)
		}
	}
	for _, e := range h.ids {
		h.set[e] = true
	}
	return h, nil
}

// claim records evt as handled and reports whether it was new. The record
// is durable before claim returns: a crash after it loses at most this
// event's reply, never sends it twice.
func (h *handled) claim(ctx context.Context, evt id.EventID) (bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.set[string(evt)] {
		return false, nil
	}
	h.ids = append(h.ids, string(evt))
	h.set[string(evt)] = true
	if over := len(h.ids) - maxHandled; over > 0 {
		for _, old := range h.ids[:over] {
			delete(h.set, old)
		}
		h.ids = append([]string(nil), h.ids[over:]...)
	}
	raw, err := json.Marshal(h.ids)
	if err != nil {
		return false, err
	}
	if err := h.s.put(ctx, h.user, "handled", string(raw)); err != nil {
		return false, err
	}
	return true, nil
}

// loadDMs reads the direct chats the bot joined.
func (a *Adapter) loadDMs(ctx context.Context) error {
	raw, err := a.st.get(ctx, a.cli.UserID, "direct_rooms")
	if err != nil || raw == "" {
		return err
	}
	var rooms []id.RoomID
	if err := json.Unmarshal([]byte(raw), &rooms); err != nil {
		return fmt.Errorf("decode matrix direct rooms: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range rooms {
		a.dms[r] = true
	}
	return nil
}

// markDM records room as a direct chat.
func (a *Adapter) markDM(ctx context.Context, room id.RoomID) error {
	a.mu.Lock()
	a.dms[room] = true
	rooms := make([]id.RoomID, 0, len(a.dms))
	for r := range a.dms {
		rooms = append(rooms, r)
	}
	a.mu.Unlock()
	slices.Sort(rooms)
	raw, err := json.Marshal(rooms)
	if err != nil {
		return err
	}
	return a.st.put(ctx, a.cli.UserID, "direct_rooms", string(raw))
}
