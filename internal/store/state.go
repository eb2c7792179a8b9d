package store

import (
	"fmt"
	"slices"
)

// State returns the value a component stored under key ("matrix/next_batch"),
// or nil. Chat adapters keep their small state here (sync tokens, filter
// ids) so that it commits with the rest of the bot's data. The returned
// slice is a copy.
func (t *Tx) State(key string) []byte {
	return slices.Clone(t.b(bState).Get([]byte(key)))
}

// PutState stores value under key; a nil value deletes it.
func (t *Tx) PutState(key string, value []byte) error {
	if key == "" {
		return fmt.Errorf("put state: empty key")
	}
	if value == nil {
		return t.b(bState).Delete([]byte(key))
	}
	return t.b(bState).Put([]byte(key), value)
}

// AlertsNotPosted returns the alerts, oldest first, that have no post
// recorded for platform and channel: what an adapter still owes a channel
// after a failure or a restart. Dismissed alerts are left out.
func (t *Tx) AlertsNotPosted(platform, channel string) ([]Alert, error) {
	all, err := t.Alerts(true, 0)
	if err != nil {
		return nil, err
	}
	var out []Alert
	for i := len(all) - 1; i >= 0; i-- { // Alerts is newest first
		al := all[i]
		if al.State == AlertDismissed {
			continue
		}
		if !slices.ContainsFunc(al.Posts, func(p Post) bool { return p.Platform == platform && p.Channel == channel }) {
			out = append(out, al)
		}
	}
	return out, nil
}
