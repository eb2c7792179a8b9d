package matrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/store"
)

type nopDispatcher struct{}

func (nopDispatcher) Dispatch(context.Context, *commands.Request) *commands.Reply {
	return &commands.Reply{}
}

func testAdapter(t *testing.T, c config.Matrix, admins ...string) *Adapter {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c.Homeserver, c.Password, c.UserID = "http://127.0.0.1:1", "x", "@newsbot:example.org"
	c.Encryption = false
	a, err := New(Options{Config: c, Admins: admins, Store: st, Dispatcher: nopDispatcher{}})
	if err != nil {
		t.Fatal(err)
	}
	a.cli, _ = mautrix.NewClient(c.Homeserver, id.UserID(c.UserID), "")
	return a
}

func TestAllowed(t *testing.T) {
	own := testAdapter(t, config.Matrix{}, "matrix:@boss:elsewhere.net", "slack:U1")
	for u, want := range map[id.UserID]bool{
		"@ana:example.org":     true, // the bot's own server, with no lists set
		"@eve:evil.example":    false,
		"@boss:elsewhere.net":  true, // an admin
		"@U1:slack.example":    false,
		"not a user id at all": false,
	} {
		if got := own.allowed(u); got != want {
			t.Errorf("no lists: allowed(%s) = %v, want %v", u, got, want)
		}
	}
	listed := testAdapter(t, config.Matrix{AllowedUsers: []string{"@ana:example.org", "*:partner.org"},
		AllowedServers: []string{"wire.net"}})
	for u, want := range map[id.UserID]bool{
		"@ana:example.org":  true,
		"@bob:example.org":  false, // lists set: the own server is no longer implied
		"@cid:partner.org":  true,
		"@dan:wire.net":     true,
		"@eve:evil.example": false,
	} {
		if got := listed.allowed(u); got != want {
			t.Errorf("lists: allowed(%s) = %v, want %v", u, got, want)
		}
	}
}

func TestTransient(t *testing.T) {
	resp := func(code int) *http.Response { return &http.Response{StatusCode: code} }
	for _, c := range []struct {
		err  error
		want bool
	}{
		{mautrix.HTTPError{WrappedError: errors.New("connection refused")}, true},
		{mautrix.HTTPError{Response: resp(502)}, true},
		{mautrix.HTTPError{Response: resp(429), RespError: &mautrix.RespError{ErrCode: "M_LIMIT_EXCEEDED", StatusCode: 429}}, true},
		{mautrix.HTTPError{Response: resp(403), RespError: &mautrix.RespError{ErrCode: "M_FORBIDDEN", StatusCode: 403}}, false},
		{fmt.Errorf("send: %w", mautrix.HTTPError{Response: resp(404)}), false},
		{permanent{errEncryptedRoom}, false},
		{context.Canceled, false},
	} {
		if got := transient(c.err); got != c.want {
			t.Errorf("transient(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	a := testAdapter(t, config.Matrix{})
	prev := time.Duration(0)
	for n := 1; n <= 12; n++ {
		d := a.backoff(n)
		if d < time.Duration(float64(a.opt.MinBackoff)*0.8) || d > time.Duration(float64(a.opt.MaxBackoff)*1.2) {
			t.Errorf("backoff(%d) = %s, outside [%s, %s] with jitter", n, d, a.opt.MinBackoff, a.opt.MaxBackoff)
		}
		if n <= 4 && d < prev/2 {
			t.Errorf("backoff(%d) = %s shrank from %s", n, d, prev)
		}
		prev = d
	}
	if d := a.backoff(20); d < 24*time.Second {
		t.Errorf("backoff(20) = %s, want near the 30s cap", d)
	}
}

func TestHandledSurvivesReloadAndIsBounded(t *testing.T) {
	a := testAdapter(t, config.Matrix{})
	ctx := context.Background()
	h, err := loadHandled(ctx, a.st, a.cli.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh, err := h.claim(ctx, "$one"); err != nil || !fresh {
		t.Fatalf("first claim: %v %v", fresh, err)
	}
	if fresh, _ := h.claim(ctx, "$one"); fresh {
		t.Error("an event was claimed twice")
	}
	h2, err := loadHandled(ctx, a.st, a.cli.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh, _ := h2.claim(ctx, "$one"); fresh {
		t.Error("after a reload an event was claimed again")
	}
	for i := range maxHandled + 10 {
		h2.claim(ctx, id.EventID(fmt.Sprintf("$e%d", i)))
	}
	if len(h2.ids) != maxHandled || len(h2.set) != maxHandled {
		t.Errorf("remembered %d ids (%d in the set), want %d", len(h2.ids), len(h2.set), maxHandled)
	}
	if fresh, _ := h2.claim(ctx, id.EventID(fmt.Sprintf("$e%d", maxHandled+9))); fresh {
		t.Error("a recent event was forgotten")
	}
}

func TestSyncStoreRoundTrip(t *testing.T) {
	a := testAdapter(t, config.Matrix{})
	ctx := context.Background()
	if err := a.st.SaveNextBatch(ctx, "@u:x", "s123"); err != nil {
		t.Fatal(err)
	}
	if err := a.st.SaveFilterID(ctx, "@u:x", "7"); err != nil {
		t.Fatal(err)
	}
	nb, _ := a.st.LoadNextBatch(ctx, "@u:x")
	f, _ := a.st.LoadFilterID(ctx, "@u:x")
	other, _ := a.st.LoadNextBatch(ctx, "@v:x")
	if nb != "s123" || f != "7" || other != "" {
		t.Errorf("next batch %q, filter %q, another user's %q", nb, f, other)
	}
}

func TestNewRefusesEncryptionWithoutCrypto(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := config.Matrix{Homeserver: "http://127.0.0.1:1", Password: "x", UserID: "@b:x", Encryption: true}
	_, err = New(Options{Config: c, Store: st, Dispatcher: nopDispatcher{}})
	if cryptoAvailable && err != nil {
		t.Errorf("with goolm: %v", err)
	}
	if !cryptoAvailable && !errors.Is(err, errNoCryptoBuild) {
		t.Errorf("without goolm, encryption on must be refused, got %v", err)
	}
}

// A room the local state knows nothing about is asked about on the server:
// when it is encrypted and this adapter cannot encrypt, nothing is sent.
func TestNeverPlaintextIntoEncryptedRoom(t *testing.T) {
	var sends int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "/state/m.room.encryption"):
			if strings.Contains(r.URL.Path, "!secret:") {
				fmt.Fprint(w, `{"algorithm":"m.megolm.v1.aes-sha2"}`)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"errcode":"M_NOT_FOUND","error":"no such state"}`)
		case strings.Contains(r.URL.Path, "/send/"):
			sends++
			fmt.Fprint(w, `{"event_id":"$sent"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	a := testAdapter(t, config.Matrix{})
	a.cli, _ = mautrix.NewClient(srv.URL, "@newsbot:example.org", "token")
	a.cli.StateStore = mautrix.NewMemoryStateStore()
	ctx := context.Background()
	content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: "hello"}

	_, err := a.send(ctx, "!secret:example.org", content, "t1")
	if !errors.Is(err, errEncryptedRoom) {
		t.Errorf("send into an encrypted room without crypto: %v, want errEncryptedRoom", err)
	}
	if sends != 0 {
		t.Fatalf("%d messages were sent into the encrypted room", sends)
	}
	if enc, _ := a.cli.StateStore.IsEncrypted(ctx, "!secret:example.org"); !enc {
		t.Error("what the server said is not remembered")
	}
	if _, err := a.send(ctx, "!open:example.org", content, "t2"); err != nil || sends != 1 {
		t.Errorf("send into an unencrypted room: %v, %d sends", err, sends)
	}
}
