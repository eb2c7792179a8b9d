package matrix

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/authztest"
	"newsbot/internal/commands"
	"newsbot/internal/config"
)

// stubHomeserver answers the calls the message handler makes: sends
// (recorded), room encryption state (none) and leaving a room (recorded).
type stubHomeserver struct {
	srv   *httptest.Server
	mu    sync.Mutex
	sent  []event.MessageEventContent
	left  []string
	other []string
}

func newStubHomeserver(t *testing.T) *stubHomeserver {
	s := &stubHomeserver{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case strings.Contains(r.URL.Path, "/state/m.room.encryption"):
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errcode":"M_NOT_FOUND","error":"no such state"}`)
		case strings.Contains(r.URL.Path, "/send/"):
			var c event.MessageEventContent
			json.NewDecoder(r.Body).Decode(&c)
			s.sent = append(s.sent, c)
			io.WriteString(w, `{"event_id":"$reply`+string(rune('a'+len(s.sent)))+`"}`)
		case strings.HasSuffix(r.URL.Path, "/leave"):
			s.left = append(s.left, r.URL.Path)
			io.WriteString(w, `{}`)
		default:
			s.other = append(s.other, r.Method+" "+r.URL.Path)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stubHomeserver) replies() []event.MessageEventContent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]event.MessageEventContent(nil), s.sent...)
}

// handlerAdapter is an adapter set up as Run sets it up, minus the sync
// loop: events are handed to onMessage and onMember directly, and its
// replies go to a stub homeserver.
func handlerAdapter(t *testing.T, hs *stubHomeserver, d commands.Dispatcher, c config.Matrix, admins ...string) *Adapter {
	t.Helper()
	a := testAdapter(t, c, admins...)
	a.opt.Dispatcher = d
	var err error
	a.cli, err = mautrix.NewClient(hs.srv.URL, "@newsbot:example.org", "token")
	if err != nil {
		t.Fatal(err)
	}
	a.cli.StateStore = mautrix.NewMemoryStateStore()
	a.startedAt = time.Now()
	if a.handled, err = loadHandled(context.Background(), a.st, a.cli.UserID); err != nil {
		t.Fatal(err)
	}
	a.parser = parser{bot: botIdentity{UserID: "@newsbot:example.org", Localpart: "newsbot"}, prefix: "!"}
	a.sem = make(chan struct{}, 4)
	return a
}

func textEvent(sender id.UserID, room id.RoomID, body string) *event.Event {
	return &event.Event{Sender: sender, RoomID: room, ID: id.EventID("$" + rand.Text()),
		Type: event.EventMessage, Timestamp: time.Now().UnixMilli(),
		Content: event.Content{Parsed: &event.MessageEventContent{MsgType: event.MsgText, Body: body}}}
}

const (
	matrixAdmin  = id.UserID("@editor:example.org")
	matrixReader = id.UserID("@reporter:example.org")
	newsRoom     = id.RoomID("!news:example.org")
)

// The authorization table through the message handler: `!COMMAND` from
// the configured admin runs; from an allowed user who is not an admin it
// is refused, and the refusal is the reply sent to the room.
func TestAuthorizationTable(t *testing.T) {
	for _, c := range authztest.Cases() {
		for _, asAdmin := range []bool{true, false} {
			user := matrixReader
			if asAdmin {
				user = matrixAdmin
			}
			t.Run(c.Name+"/"+string(user), func(t *testing.T) {
				b := authztest.NewBot(t)
				hs := newStubHomeserver(t)
				a := handlerAdapter(t, hs, b, config.Matrix{}, "matrix:"+string(matrixAdmin), "slack:"+string(matrixReader))
				a.onMessage(context.Background(), textEvent(user, newsRoom, "!"+c.Line))
				a.wg.Wait()
				r := b.Next(t, time.Second)
				if r.Req.Platform != "matrix" || r.Req.User != string(user) || r.Req.Channel != string(newsRoom) {
					t.Errorf("request %+v", r.Req)
				}
				want := b.Check(t, c, asAdmin, r)
				sent := hs.replies()
				if len(sent) != 1 {
					t.Fatalf("%d replies sent, want 1", len(sent))
				}
				if want != "" && !strings.Contains(sent[0].Body, want) {
					t.Errorf("the reply does not say why:\n%s", sent[0].Body)
				}
			})
		}
	}
}

// Users the configuration does not allow are not answered at all, admin
// command or not, and their invitations are declined.
func TestStrangersAreIgnored(t *testing.T) {
	b := authztest.NewBot(t)
	hs := newStubHomeserver(t)
	a := handlerAdapter(t, hs, b, config.Matrix{AllowedServers: []string{"example.org"}}, "matrix:"+string(matrixAdmin))
	ctx := context.Background()
	for _, sender := range []id.UserID{"@eve:evil.example", "@editor:evil.example", "@newsbot:example.org"} {
		for _, body := range []string{"!who-said refugees", "!ingest " + authztest.NewURL, "!newsbot forget " + authztest.KeptURL,
			"@newsbot: track x y"} {
			a.onMessage(ctx, textEvent(sender, newsRoom, body))
		}
	}
	// A stranger's file upload is not downloaded or ingested either.
	up := textEvent("@eve:evil.example", newsRoom, "story.txt")
	up.Content.Parsed.(*event.MessageEventContent).MsgType = event.MsgFile
	a.onMessage(ctx, up)
	// Nor is a reader's: files are for admins.
	up = textEvent(matrixReader, newsRoom, "story.txt")
	up.Content.Parsed.(*event.MessageEventContent).MsgType = event.MsgFile
	a.onMessage(ctx, up)
	a.wg.Wait()
	b.None(t, 100*time.Millisecond)
	if got := hs.replies(); len(got) != 0 {
		t.Errorf("strangers were answered: %+v", got)
	}
	// The allowed reader is answered (so the silence above is the filter).
	a.onMessage(ctx, textEvent(matrixReader, newsRoom, "!stats"))
	a.wg.Wait()
	if r := b.Next(t, time.Second); r.Req.Text != "stats" {
		t.Errorf("reader's command became %q", r.Req.Text)
	}

	// An invitation from a stranger is declined.
	invite := func(from id.UserID, room id.RoomID) *event.Event {
		return &event.Event{Sender: from, RoomID: room, Type: event.StateMember, StateKey: ptr("@newsbot:example.org"),
			Mautrix: event.MautrixInfo{EventSource: event.SourceInvite},
			Content: event.Content{Parsed: &event.MemberEventContent{Membership: event.MembershipInvite}}}
	}
	a.onMember(ctx, invite("@eve:evil.example", "!strange:evil.example"))
	a.wg.Wait()
	hs.mu.Lock()
	left := append([]string(nil), hs.left...)
	hs.mu.Unlock()
	if len(left) != 1 || !strings.Contains(left[0], "strange") {
		t.Errorf("the stranger's invitation was not declined: leave calls %v", left)
	}
}

func ptr[T any](v T) *T { return &v }
