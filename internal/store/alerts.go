package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

func pairKey(a, b uint64) []byte {
	lo, hi := min(a, b), max(a, b)
	return append(u64(lo), u64(hi)...)
}

// AlertForPair returns the alert already raised on two statements, in
// either order.
func (t *Tx) AlertForPair(a, b uint64) (uint64, bool) {
	v := t.b(bIdxAlertPair).Get(pairKey(a, b))
	return getU64(v), v != nil
}

// AddAlert stores a new alert. A pair is alerted once: a second alert on the
// same two statements is refused with the first alert's id.
func (t *Tx) AddAlert(al *Alert) error {
	if id, ok := t.AlertForPair(al.New, al.Old); ok {
		return fmt.Errorf("statements S%d and S%d already alerted as A%d", al.New, al.Old, id)
	}
	for _, sid := range []uint64{al.New, al.Old} {
		if t.b(bStatements).Get(u64(sid)) == nil {
			return fmt.Errorf("alert on S%d: %w", sid, ErrNotFound)
		}
	}
	id, err := t.b(bAlerts).NextSequence()
	if err != nil {
		return err
	}
	al.ID = id
	if al.State == "" {
		al.State = AlertOpen
	}
	if err := t.b(bIdxAlertPair).Put(pairKey(al.New, al.Old), u64(id)); err != nil {
		return err
	}
	return putRecord(t.b(bAlerts), u64(id), al, encodeAlert)
}

// Alert returns one alert.
func (t *Tx) Alert(id uint64) (Alert, bool, error) {
	return getRecord[Alert](t.rb(bAlerts), u64(id), whole)
}

// Alerts returns up to n alerts, newest first; only open ones unless all.
func (t *Tx) Alerts(all bool, n int) ([]Alert, error) {
	var out []Alert
	c := t.b(bAlerts).Cursor()
	for k, v := c.Last(); k != nil && (n <= 0 || len(out) < n); k, v = c.Prev() {
		var al Alert
		if err := decodeAlert(v, &al); err != nil {
			return nil, fmt.Errorf("decode alert %d: %w", getU64(k), err)
		}
		if all || al.State == AlertOpen {
			out = append(out, al)
		}
	}
	return out, nil
}

// SetAlertState confirms or dismisses an alert (or reopens it).
func (t *Tx) SetAlertState(id uint64, state, by string, at time.Time) (Alert, error) {
	if state != AlertOpen && state != AlertConfirmed && state != AlertDismissed {
		return Alert{}, fmt.Errorf("alert state %q: want open, confirmed or dismissed", state)
	}
	al, ok, err := t.Alert(id)
	if err != nil {
		return al, err
	}
	if !ok {
		return al, fmt.Errorf("alert A%d: %w", id, ErrNotFound)
	}
	al.State, al.StateBy, al.StateAt = state, by, at
	return al, putRecord(t.b(bAlerts), u64(id), &al, encodeAlert)
}

// AddAlertPost records where an alert was posted.
func (t *Tx) AddAlertPost(id uint64, p Post) error {
	al, ok, err := t.Alert(id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("alert A%d: %w", id, ErrNotFound)
	}
	al.Posts = append(al.Posts, p)
	return putRecord(t.b(bAlerts), u64(id), &al, encodeAlert)
}

func (t *Tx) deleteAlertsOf(stmt uint64) (int, error) {
	var doomed []Alert
	err := t.b(bAlerts).ForEach(func(k, v []byte) error {
		var al Alert
		if err := decodeAlert(v, &al); err != nil {
			return fmt.Errorf("decode alert %d: %w", getU64(k), err)
		}
		if al.New == stmt || al.Old == stmt {
			doomed = append(doomed, al)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, al := range doomed {
		if err := t.b(bIdxAlertPair).Delete(pairKey(al.New, al.Old)); err != nil {
			return 0, err
		}
		if err := t.b(bAlerts).Delete(u64(al.ID)); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// ---- stories

// PutStory creates or replaces a tracked story.
func (t *Tx) PutStory(s *Story) error {
	if s.Name == "" {
		return fmt.Errorf("story needs a name")
	}
	return putJSON(t.b(bStories), []byte(s.Name), s)
}

// Story returns a tracked story by name.
func (t *Tx) Story(name string) (Story, bool, error) {
	return getJSON[Story](t.b(bStories), []byte(name))
}

// Stories lists tracked stories by name.
func (t *Tx) Stories() ([]Story, error) {
	var out []Story
	err := t.b(bStories).ForEach(func(k, v []byte) error {
		var s Story
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("decode story %s: %w", k, err)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// DeleteStory stops tracking a story.
func (t *Tx) DeleteStory(name string) error {
	if t.b(bStories).Get([]byte(name)) == nil {
		return fmt.Errorf("story %q: %w", name, ErrNotFound)
	}
	return t.b(bStories).Delete([]byte(name))
}

// ---- counts and iteration

// Counts summarises the store.
type Counts struct {
	Articles, Statements, Speakers, Alerts, OpenAlerts, Feeds, Stories int
	FirstArticle, LastArticle                                          time.Time
}

// Counts counts what is stored.
func (t *Tx) Counts() (Counts, error) {
	c := Counts{
		Articles:   t.b(bArticles).Stats().KeyN,
		Statements: int(t.StatementCount()),
		Speakers:   t.b(bSpeakers).Stats().KeyN,
		Feeds:      t.b(bFeeds).Stats().KeyN,
		Stories:    t.b(bStories).Stats().KeyN,
	}
	alerts, err := t.Alerts(true, 0)
	if err != nil {
		return c, err
	}
	c.Alerts = len(alerts)
	for _, al := range alerts {
		if al.State == AlertOpen {
			c.OpenAlerts++
		}
	}
	cur := t.b(bIdxArticleTime).Cursor()
	if k, _ := cur.First(); k != nil {
		c.FirstArticle = keyTime(k)
	}
	if k, _ := cur.Last(); k != nil {
		c.LastArticle = keyTime(k)
	}
	return c, nil
}

// ForEachStatement calls fn for every statement in id order.
func (t *Tx) ForEachStatement(fn func(st *Statement) error) error {
	return t.b(bStatements).ForEach(func(k, v []byte) error {
		var st Statement
		if err := decodeStatement(v, &st); err != nil {
			return fmt.Errorf("decode statement %d: %w", getU64(k), err)
		}
		if t.ctx != nil {
			if err := t.ctx.Err(); err != nil {
				return err
			}
		}
		return fn(&st)
	})
}

// ForEachArticle calls fn for every article (without loading text order).
func (t *Tx) ForEachArticle(fn func(a *Article) error) error {
	return t.b(bArticles).ForEach(func(k, v []byte) error {
		var a Article
		if err := decodeArticle(v, &a); err != nil {
			return fmt.Errorf("decode article %s: %w", k, err)
		}
		return fn(&a)
	})
}

// ForEachSpeaker calls fn for every speaker.
func (t *Tx) ForEachSpeaker(fn func(sp *Speaker) error) error {
	return t.b(bSpeakers).ForEach(func(k, v []byte) error {
		var sp Speaker
		if err := decodeSpeaker(v, &sp); err != nil {
			return fmt.Errorf("decode speaker %d: %w", getU64(k), err)
		}
		return fn(&sp)
	})
}

// sortedIDs returns ids ascending without duplicates.
func sortedIDs(ids []uint64) []uint64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
