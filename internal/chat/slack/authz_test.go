package slack

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"newsbot/internal/authztest"
)

// slackLinks writes URLs as Slack clients send them in message text.
func slackLinks(line string) string {
	return regexp.MustCompile(`https://\S+`).ReplaceAllString(line, "<$0>")
}

// The authorization table through the Socket Mode transport: a slash
// command, a mention in a channel and a direct message, each from the
// configured admin and from a reader. Readers are refused and shown why.
func TestAuthorizationTable(t *testing.T) {
	paths := []struct {
		name string
		send func(e *env, user, line string, n int)
	}{
		{"slash command", func(e *env, user, line string, n int) {
			e.f.envelope("slash_commands", e.slash("/newsbot", line, user, newsCh))
		}},
		{"mention", func(e *env, user, line string, n int) {
			e.f.envelope("events_api", eventCallback("EvM"+user, map[string]any{"type": "app_mention", "user": user,
				"text": "<@UBOT> " + slackLinks(line), "ts": "1.1", "channel": newsCh, "event_ts": "1.1"}))
		}},
		{"direct message", func(e *env, user, line string, n int) {
			e.f.envelope("events_api", eventCallback("EvD"+user, map[string]any{"type": "message", "channel_type": "im",
				"user": user, "text": slackLinks(line), "ts": "2.2", "channel": "D" + user, "event_ts": "2.2"}))
		}},
	}
	for _, p := range paths {
		for _, c := range authztest.Cases() {
			for _, asAdmin := range []bool{true, false} {
				user := reader
				if asAdmin {
					user = admin
				}
				t.Run(p.name+"/"+c.Name+"/"+user, func(t *testing.T) {
					b := authztest.NewBot(t)
					e := newEnv(t, envOpts{dispatcher: b})
					p.send(e, user, c.Line, 1)
					r := b.Next(t, 3*time.Second)
					if r.Req.User != user || r.Req.Platform != "slack" {
						t.Errorf("request %+v", r.Req)
					}
					if want := b.Check(t, c, asAdmin, r); want != "" {
						waitShown(t, e, want)
					}
				})
			}
		}
	}
}

// waitShown waits until text reaches the user: in an acknowledgement, a
// response_url post or a message.
func waitShown(t *testing.T, e *env, text string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		e.f.mu.Lock()
		for _, a := range e.f.acks {
			if strings.Contains(string(a.Payload), text) {
				e.f.mu.Unlock()
				return
			}
		}
		e.f.mu.Unlock()
		if len(e.f.callsOf(func(c apiCall) bool { return strings.Contains(c.text(), text) })) > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("%q never reached the user:\n%s", text, e.f.summary())
}
