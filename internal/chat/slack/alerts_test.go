package slack

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/internal/store"
)

const (
	dayOne = "Bridge plan\nAnn Lee (person, minister): We will build the bridge.\n"
	dayTwo = "Bridge plan dropped\nAnn Lee (person, minister): We will not build the bridge.\n"
)

// alertEnv runs the adapter on f and raises alert A1.
func alertEnv(t *testing.T, f *fakeSlack) *env {
	e := newEnv(t, envOpts{fake: f, checker: sameSpeaker{}})
	e.ingest(dayOne, "AFP")
	e.ingest(dayTwo, "Reuters")
	return e
}

func toAlerts(c apiCall) bool {
	return c.Method == "chat.postMessage" && c.Form.Get("channel") == alertsCh
}

// waitPosted waits until alert id has a Slack post recorded in the store.
func (e *env) waitPosted(id uint64, timeout time.Duration) store.Post {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, p := range e.alert(id).Posts {
			if p.Platform == "slack" && p.Channel == alertsCh {
				return p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.t.Fatalf("alert A%d: no post recorded within %s; calls: %s", id, timeout, e.f.summary())
	return store.Post{}
}

func blockAction(user, actionID, value, ts, responseURL string) map[string]any {
	return map[string]any{
		"type": "block_actions", "token": "unused", "api_app_id": "A1", "trigger_id": "trig",
		"user":         map[string]any{"id": user, "name": "someone"},
		"team":         map[string]any{"id": "T1", "domain": "newsroom"},
		"channel":      map[string]any{"id": alertsCh, "name": "alerts"},
		"container":    map[string]any{"type": "message", "message_ts": ts, "channel_id": alertsCh, "is_ephemeral": false},
		"message":      map[string]any{"type": "message", "ts": ts, "text": "alert"},
		"response_url": responseURL,
		"actions": []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "section-0:A1",
			"value": value, "text": map[string]any{"type": "plain_text", "text": "Confirm"}, "action_ts": "9.9"}},
	}
}

func TestAlertPostedWithButtonsAndAClickUpdatesIt(t *testing.T) {
	e := newEnv(t, envOpts{checker: sameSpeaker{}})
	e.ingest(dayOne, "AFP")
	res := e.ingest(dayTwo, "Reuters")
	if len(res.Alerts) != 1 || res.Alerts[0].ID != "A1" {
		t.Fatalf("alerts raised: %+v", res.Alerts)
	}
	c := e.f.waitCall(5*time.Second, 1, "alert post", toAlerts)
	for _, want := range []string{"We will build the bridge.", "We will not build the bridge.", `"action_id":"alert.confirm"`,
		`"value":"alert confirm A1"`, `"action_id":"alert.dismiss"`, "Reuters · 2018-07-20"} {
		if !strings.Contains(c.text(), want) {
			t.Errorf("alert post lacks %q:\n%s", want, c.text())
		}
	}
	post := e.waitPosted(1, 3*time.Second)
	if post.MessageID == "" {
		t.Fatal("post recorded without its message ts")
	}

	// Someone who is not an alert reviewer clicks: refused, nothing changes.
	e.f.envelope("interactive", blockAction(reader, "alert.confirm", "alert confirm A1", post.MessageID, e.f.srv.URL+"/response/r1"))
	r := e.f.waitCall(3*time.Second, 1, "refusal", func(c apiCall) bool { return c.Path == "/response/r1" })
	if r.JSON["response_type"] != "ephemeral" || !strings.Contains(r.text(), "Not allowed") {
		t.Errorf("refusal: %v", r.JSON)
	}
	if al := e.alert(1); al.State != store.AlertOpen {
		t.Errorf("state after a refused click: %s", al.State)
	}

	// A reviewer confirms: the stored alert and the message change.
	e.f.envelope("interactive", blockAction(reviewer, "alert.confirm", "alert confirm A1", post.MessageID, e.f.srv.URL+"/response/r2"))
	up := e.f.waitCall(3*time.Second, 1, "message update", method("chat.update"))
	if up.Form.Get("channel") != alertsCh || up.Form.Get("ts") != post.MessageID {
		t.Errorf("updated %s/%s, want %s/%s", up.Form.Get("channel"), up.Form.Get("ts"), alertsCh, post.MessageID)
	}
	if strings.Contains(up.text(), "alert.confirm") || !strings.Contains(up.text(), "confirmed by slack:"+reviewer) {
		t.Errorf("updated message:\n%s", up.text())
	}
	al := e.alert(1)
	if al.State != store.AlertConfirmed || al.StateBy != "slack:"+reviewer {
		t.Errorf("stored alert: state %s by %s", al.State, al.StateBy)
	}
	r = e.f.waitCall(3*time.Second, 1, "confirmation", func(c apiCall) bool { return c.Path == "/response/r2" })
	if r.JSON["response_type"] != "ephemeral" || !strings.Contains(r.text(), "Alert A1 confirmed") {
		t.Errorf("confirmation to the clicker: %v", r.JSON)
	}

	// Typing the command is held to the same rule as clicking.
	id := e.f.envelope("slash_commands", e.slash("/newsbot", "alert dismiss A1", reader, newsCh))
	a, _ := e.f.waitAck(id, 3*time.Second)
	if !strings.Contains(string(a.Payload), "Not allowed") {
		t.Errorf("typed dismiss by a reader: %s", a.Payload)
	}
	if al := e.alert(1); al.State != store.AlertConfirmed {
		t.Errorf("state after a refused typed dismiss: %s", al.State)
	}
}

func TestAlertPostRetriedAfterFailuresUntilStored(t *testing.T) {
	f := newFakeSlack(t)
	f.reply = func(method string, n int) (int, string, string) {
		if method != "chat.postMessage" {
			return 0, "", ""
		}
		switch n {
		case 1:
			return 500, "", ""
		case 2, 3:
			return 200, "", "internal_error"
		}
		return 0, "", ""
	}
	e := alertEnv(t, f)
	c := e.f.waitCall(5*time.Second, 4, "fourth attempt", toAlerts)
	if c.Status != 200 {
		t.Fatalf("fourth attempt status %d", c.Status)
	}
	post := e.waitPosted(1, 3*time.Second)
	if post.MessageID != "1700000000.000004" {
		t.Errorf("recorded ts %q, want the successful post's", post.MessageID)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(e.f.callsOf(toAlerts)); n != 4 {
		t.Errorf("%d post attempts, want 4 (3 failures, then one post)", n)
	}
}

func TestAlertRateLimitHonoursRetryAfter(t *testing.T) {
	f := newFakeSlack(t)
	f.reply = func(method string, n int) (int, string, string) {
		if method == "chat.postMessage" && n == 1 {
			return 429, "1", ""
		}
		return 0, "", ""
	}
	e := alertEnv(t, f)
	first := e.f.waitCall(5*time.Second, 1, "rate-limited post", toAlerts)
	second := e.f.waitCall(5*time.Second, 2, "retried post", toAlerts)
	if first.Status != 429 || second.Status != 200 {
		t.Fatalf("statuses %d, %d", first.Status, second.Status)
	}
	gap := second.At.Sub(first.At)
	t.Logf("retried %s after the 429 (Retry-After: 1)", gap.Round(time.Millisecond))
	if gap < time.Second {
		t.Errorf("retried after %s, before Retry-After", gap)
	}
	e.waitPosted(1, 3*time.Second)
}

func TestAlertOwedAcrossARestartIsPostedOnce(t *testing.T) {
	f := newFakeSlack(t)
	var failing atomic.Bool
	failing.Store(true)
	f.reply = func(method string, n int) (int, string, string) {
		if method == "chat.postMessage" && failing.Load() {
			return 200, "", "channel_not_found"
		}
		return 0, "", ""
	}
	e1 := alertEnv(t, f)
	e1.f.waitCall(5*time.Second, 2, "failed attempts", toAlerts)
	e1.stop()
	if posts := e1.alert(1).Posts; len(posts) != 0 {
		t.Fatalf("alert recorded as posted after failures: %+v", posts)
	}

	failing.Store(false)
	before := len(f.callsOf(toAlerts))
	e2 := newEnv(t, envOpts{fake: f, store: e1.st})
	e2.waitPosted(1, 5*time.Second)
	e2.stop()

	// A third start owes nothing: the post is stored state.
	e3 := newEnv(t, envOpts{fake: f, store: e1.st})
	time.Sleep(500 * time.Millisecond)
	e3.stop()
	var ok int
	for _, c := range f.callsOf(toAlerts)[before:] {
		if c.Status == 200 && c.Err == "" {
			ok++
		}
	}
	if ok != 1 {
		t.Errorf("%d successful posts after the restarts, want 1; calls: %s", ok, f.summary())
	}
	if n := len(e1.alert(1).Posts); n != 1 {
		t.Errorf("%d posts recorded, want 1", n)
	}
}

func TestDismissedAlertIsNotPosted(t *testing.T) {
	f := newFakeSlack(t)
	e1 := newEnv(t, envOpts{fake: f, checker: sameSpeaker{}, noStart: true})
	e1.ingest(dayOne, "AFP")
	e1.ingest(dayTwo, "Reuters")
	if err := e1.st.Update(t.Context(), func(tx *store.Tx) error {
		_, err := tx.SetAlertState(1, store.AlertDismissed, "console:operator", time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e1.start()
	time.Sleep(400 * time.Millisecond)
	if n := len(f.callsOf(toAlerts)); n != 0 {
		t.Errorf("a dismissed alert was posted %d times", n)
	}
}
