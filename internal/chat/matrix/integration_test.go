package matrix

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/attachment"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// The article the reporter pastes; written for this test.
const testArticle = `Ministers meet on refugees
The camps for refugees will close by June, the interior minister Anna Berg said on Tuesday.
"We will not leave a single refugee without shelter," Berg told reporters in Vienna.`

func testLogger(t *testing.T) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("NEWSBOT_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: level}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// register makes a user on the test server with a logged-in client.
func register(ctx context.Context, t *testing.T, hs, user, pass string) *mautrix.Client {
	t.Helper()
	cli, err := mautrix.NewClient(hs, "", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cli.RegisterDummy(ctx, &mautrix.ReqRegister[any]{Username: user, Password: pass, InitialDeviceDisplayName: user})
	if err != nil {
		t.Fatalf("register %s: %v", user, err)
	}
	cli.UserID, cli.AccessToken, cli.DeviceID = resp.UserID, resp.AccessToken, resp.DeviceID
	return cli
}

// reporter is the second client: a person in the newsroom talking to the
// bot, with encryption when the build has it.
type reporter struct {
	t   *testing.T
	cli *mautrix.Client
	mu  sync.Mutex
	// msgs are the messages seen, decrypted when they were encrypted; wire
	// records each event's type as it came from the server.
	msgs []*event.Event
	wire map[id.EventID]event.Type
}

func newReporter(ctx context.Context, t *testing.T, hs string, encrypted bool) *reporter {
	cli := register(ctx, t, hs, "reporter", "reporter-pass")
	r := &reporter{t: t, cli: cli, wire: map[id.EventID]event.Type{}}
	sy := quickSyncer{mautrix.NewDefaultSyncer()}
	cli.Syncer = sy
	// Registered before the crypto helper's handler, so the event as it
	// came over the wire is recorded before its decrypted form.
	record := func(ctx context.Context, evt *event.Event) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if _, seen := r.wire[evt.ID]; !seen && evt.Mautrix.EventSource&event.SourceDecrypted == 0 {
			r.wire[evt.ID] = evt.Type
		}
		if evt.Type == event.EventMessage {
			r.msgs = append(r.msgs, evt)
		}
	}
	sy.OnEventType(event.EventMessage, record)
	sy.OnEventType(event.EventEncrypted, record)
	if encrypted {
		closer, _, err := setupCrypto(ctx, cli, filepath.Join(t.TempDir(), "reporter-crypto.db"), []byte("reporter pickle"), testLogger(t))
		if err != nil {
			t.Fatalf("reporter crypto: %v", err)
		}
		t.Cleanup(func() { closer() })
	} else {
		cli.StateStore = mautrix.NewMemoryStateStore()
		sy.OnEvent(cli.StateStoreSyncHandler)
	}
	return r
}

// quickSyncer retries a failed sync after 200ms, not mautrix's 10s, so the
// timings measured after a homeserver restart are the bot's.
type quickSyncer struct{ *mautrix.DefaultSyncer }

func (quickSyncer) OnFailedSync(*mautrix.RespSync, error) (time.Duration, error) {
	return 200 * time.Millisecond, nil
}

// run syncs until ctx ends, retrying quickly while the server is down.
func (r *reporter) run(ctx context.Context) {
	go func() {
		for ctx.Err() == nil {
			if err := r.cli.SyncWithContext(ctx); err != nil && ctx.Err() == nil {
				time.Sleep(200 * time.Millisecond)
			}
		}
	}()
}

// repliesTo returns the bot's messages replying to evt.
func (r *reporter) repliesTo(bot id.UserID, evt id.EventID) []*event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*event.Event
	for _, m := range r.msgs {
		if m.Sender == bot && m.Content.AsMessage().RelatesTo.GetReplyTo() == evt {
			out = append(out, m)
		}
	}
	return out
}

// fromBot returns the bot's messages in room.
func (r *reporter) fromBot(bot id.UserID, room id.RoomID) []*event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*event.Event
	for _, m := range r.msgs {
		if m.Sender == bot && m.RoomID == room {
			out = append(out, m)
		}
	}
	return out
}

func (r *reporter) wireType(evt id.EventID) event.Type {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.wire[evt]
}

// ask sends text and waits for the bot's reply.
func (r *reporter) ask(ctx context.Context, t *testing.T, bot id.UserID, room id.RoomID, text string, timeout time.Duration) (*event.Event, time.Duration) {
	t.Helper()
	start := time.Now()
	resp, err := r.cli.SendText(ctx, room, text)
	if err != nil {
		t.Fatalf("send %q: %v", text, err)
	}
	if err := waitFor(ctx, "the bot's reply to "+text, timeout, func() bool { return len(r.repliesTo(bot, resp.EventID)) > 0 }); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	return r.repliesTo(bot, resp.EventID)[0], took
}

// bot is one run of the bot process: its store, commands and adapter.
type bot struct {
	a      *Adapter
	st     *store.Store
	cancel context.CancelFunc
	done   chan error
}

type botSetup struct {
	hs, dbPath, cryptoPath string
	admins                 []string
	alertRooms             []string
	allowed                []string
	log                    *slog.Logger // the top test's: the bot outlives subtests
	token                  string       // log in with this access token, not the password
}

func startBot(ctx context.Context, t *testing.T, s botSetup) *bot {
	t.Helper()
	log := s.log
	st, err := store.Open(s.dbPath, store.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	b := &bot{st: st, done: make(chan error, 1)}
	in := ingest.New(ingest.Options{Store: st, Extractor: extract.New(), Logger: log})
	reg, err := commands.New(commands.Deps{Store: st, Ingester: in, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default().Matrix
	cfg.Homeserver, cfg.UserID, cfg.Password = s.hs, "@newsbot:localhost", "newsbot-pass"
	if s.token != "" {
		cfg.Password, cfg.AccessToken = "", s.token
	}
	cfg.Encryption, cfg.PickleKey = cryptoAvailable, "test pickle key"
	cfg.AlertRooms, cfg.AllowedUsers = s.alertRooms, s.allowed
	b.a, err = New(Options{Config: cfg, Admins: s.admins, Store: st, Dispatcher: reg,
		Known:      func(name string) bool { _, ok := reg.Lookup(name); return ok },
		CryptoPath: s.cryptoPath, Logger: log, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	b.cancel = cancel
	go func() { b.done <- b.a.Run(runCtx) }()
	select {
	case <-b.a.Ready():
	case err := <-b.done:
		t.Fatalf("bot stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("bot not ready after 60s")
	}
	return b
}

func (b *bot) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	select {
	case err := <-b.done:
		if err != nil {
			t.Errorf("bot Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("bot did not stop within 30s")
	}
	b.st.Close()
}

// createRoom makes a room with the bot invited, and waits for the bot to
// have joined.
func createRoom(ctx context.Context, t *testing.T, r *reporter, botID id.UserID, name string, encrypted bool) id.RoomID {
	t.Helper()
	req := &mautrix.ReqCreateRoom{Name: name, Preset: "private_chat", Invite: []id.UserID{botID}}
	if encrypted {
		req.InitialState = []*event.Event{{Type: event.StateEncryption, StateKey: new(string),
			Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}}}}
	}
	resp, err := r.cli.CreateRoom(ctx, req)
	if err != nil {
		t.Fatalf("create room %s: %v", name, err)
	}
	err = waitFor(ctx, "the bot to join "+name, 30*time.Second, func() bool {
		m, err := r.cli.JoinedMembers(ctx, resp.RoomID)
		if err != nil {
			return false
		}
		_, ok := m.Joined[botID]
		// The reporter must have synced the join too, to encrypt for the bot.
		return ok && r.cli.StateStore.IsInRoom(ctx, resp.RoomID, botID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.RoomID
}

func TestDendrite(t *testing.T) {
	d := newDendrite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	if os.Getenv("CI") == "true" && !cryptoAvailable {
		t.Fatal("CI=true but the test binary was built without -tags goolm: the encrypted-room test cannot run")
	}
	botCli := register(ctx, t, d.url(), "newsbot", "newsbot-pass")
	botID := botCli.UserID
	// A user the bot must not obey for invites.
	stranger := register(ctx, t, d.url(), "stranger", "stranger-pass")
	rep := newReporter(ctx, t, d.url(), cryptoAvailable)
	repCtx, stopRep := context.WithCancel(ctx)
	defer stopRep()
	rep.run(repCtx)

	dir := t.TempDir()
	setup := botSetup{hs: d.url(), dbPath: filepath.Join(dir, "newsbot.db"), cryptoPath: filepath.Join(dir, "crypto.db"),
		admins: []string{"matrix:" + string(rep.cli.UserID)}, allowed: []string{string(rep.cli.UserID)}, log: testLogger(t)}

	// The alert room exists before the bot starts; the bot joins it from
	// the configuration (it is invited, as a private room needs).
	alertResp, err := rep.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: "alerts", Preset: "public_chat"})
	if err != nil {
		t.Fatal(err)
	}
	alertRoom := alertResp.RoomID
	setup.alertRooms = []string{string(alertRoom)}

	start := time.Now()
	b := startBot(ctx, t, setup)
	t.Logf("bot logged in and synced in %s", time.Since(start).Round(time.Millisecond))
	device := b.a.cli.DeviceID

	plain := createRoom(ctx, t, rep, botID, "plain", false)

	t.Run("invite from a stranger is declined", func(t *testing.T) {
		resp, err := stranger.CreateRoom(ctx, &mautrix.ReqCreateRoom{Name: "strange", Preset: "private_chat", Invite: []id.UserID{botID}})
		if err != nil {
			t.Fatal(err)
		}
		err = waitFor(ctx, "the bot to decline", 20*time.Second, func() bool {
			var m event.MemberEventContent
			if err := stranger.StateEvent(ctx, resp.RoomID, event.StateMember, string(botID), &m); err != nil {
				return false
			}
			return m.Membership == event.MembershipLeave
		})
		if err != nil {
			t.Error(err)
		}
	})

	var firstCommand id.EventID
	t.Run("plain room: ingest pasted text, then who-said", func(t *testing.T) {
		reply, took := rep.ask(ctx, t, botID, plain, "!ingest --outlet Testwire\n"+testArticle, 30*time.Second)
		body := reply.Content.AsMessage().Body
		if !strings.Contains(body, "Ingested “Ministers meet on refugees”") || newStatements(body) < 1 {
			t.Fatalf("ingest reply:\n%s", body)
		}
		t.Logf("ingest answered in %s", took.Round(time.Millisecond))

		reply, took = rep.ask(ctx, t, botID, plain, "!who-said refugees", 30*time.Second)
		firstCommand = reply.Content.AsMessage().RelatesTo.GetReplyTo()
		m := reply.Content.AsMessage()
		t.Logf("who-said answered in %s", took.Round(time.Millisecond))
		if m.MsgType != event.MsgNotice || m.Format != event.FormatHTML {
			t.Errorf("reply is %s in format %q, want an m.notice with HTML", m.MsgType, m.Format)
		}
		if !strings.Contains(m.Body, "We will not leave a single refugee without shelter") ||
			!strings.Contains(m.FormattedBody, "Berg</h4>") || !strings.Contains(m.FormattedBody, "Testwire") {
			t.Errorf("who-said reply:\nbody: %s\nhtml: %s", m.Body, m.FormattedBody)
		}
		if rep.wireType(reply.ID) != event.EventMessage {
			t.Errorf("reply in a plain room came as %s", rep.wireType(reply.ID))
		}
	})

	t.Run("other command forms", func(t *testing.T) {
		for _, text := range []string{"!newsbot who-said 'refugee camps'", "/who-said refugees", "newsbot: stats"} {
			reply, _ := rep.ask(ctx, t, botID, plain, text, 30*time.Second)
			if m := reply.Content.AsMessage(); m.MsgType != event.MsgNotice || strings.HasPrefix(m.Body, "⚠") {
				t.Errorf("%q: reply %s %q", text, m.MsgType, m.Body)
			}
		}
		// Not a command, or an edit of one: the bot stays silent.
		resp, err := rep.cli.SendText(ctx, plain, "lunch at noon?")
		if err != nil {
			t.Fatal(err)
		}
		edit, err := rep.cli.SendMessageEvent(ctx, plain, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgText,
			Body: "* !stats", NewContent: &event.MessageEventContent{MsgType: event.MsgText, Body: "!stats"},
			RelatesTo: &event.RelatesTo{Type: event.RelReplace, EventID: resp.EventID}})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		if n := len(rep.repliesTo(botID, resp.EventID)) + len(rep.repliesTo(botID, edit.EventID)); n != 0 {
			t.Errorf("the bot answered small talk or an edit %d times", n)
		}
	})

	t.Run("direct chat: bare commands and an uploaded file", func(t *testing.T) {
		resp, err := rep.cli.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "trusted_private_chat", IsDirect: true,
			Invite: []id.UserID{botID}})
		if err != nil {
			t.Fatal(err)
		}
		dm := resp.RoomID
		if err := waitFor(ctx, "the bot to join the direct chat", 30*time.Second, func() bool {
			return rep.cli.StateStore.IsInRoom(ctx, dm, botID)
		}); err != nil {
			t.Fatal(err)
		}
		// The join is recorded as a direct chat just after it happens.
		time.Sleep(300 * time.Millisecond)
		reply, _ := rep.ask(ctx, t, botID, dm, "who-said refugees", 30*time.Second)
		if !strings.Contains(reply.Content.AsMessage().Body, "We will not leave a single refugee") {
			t.Errorf("bare command in a direct chat: %s", reply.Content.AsMessage().Body)
		}
		file := "Harbour plan\n\"The harbour will reopen in spring,\" said Jonas Lind, the port director.\n"
		up, err := rep.cli.UploadBytes(ctx, []byte(file), "text/plain")
		if err != nil {
			t.Fatal(err)
		}
		sent, err := rep.cli.SendMessageEvent(ctx, dm, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgFile,
			Body: "harbour.txt", URL: up.ContentURI.CUString(), Info: &event.FileInfo{MimeType: "text/plain", Size: len(file)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := waitFor(ctx, "the reply to the upload", 30*time.Second, func() bool { return len(rep.repliesTo(botID, sent.EventID)) > 0 }); err != nil {
			t.Fatal(err)
		}
		if body := rep.repliesTo(botID, sent.EventID)[0].Content.AsMessage().Body; !strings.Contains(body, "Ingested “Harbour plan”") {
			t.Errorf("upload reply: %s", body)
		}

		page := `<html><head><title>Ferry | Site</title><script>x()</script></head><body><nav>Home</nav>
<h1>Ferry link returns</h1><p>"The ferry will sail again in May," said Mira Holm, the transport councillor.</p></body></html>`
		up, err = rep.cli.UploadBytes(ctx, []byte(page), "text/html")
		if err != nil {
			t.Fatal(err)
		}
		sent, err = rep.cli.SendMessageEvent(ctx, dm, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgFile,
			Body: "ferry.html", URL: up.ContentURI.CUString(), Info: &event.FileInfo{MimeType: "text/html", Size: len(page)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := waitFor(ctx, "the reply to the HTML upload", 30*time.Second, func() bool { return len(rep.repliesTo(botID, sent.EventID)) > 0 }); err != nil {
			t.Fatal(err)
		}
		if body := rep.repliesTo(botID, sent.EventID)[0].Content.AsMessage().Body; !strings.Contains(body, "Ingested “Ferry link returns”") ||
			newStatements(body) < 1 {
			t.Errorf("HTML upload reply: %s", body)
		}
	})

	t.Run("a command in a thread is answered in the thread", func(t *testing.T) {
		root, err := rep.cli.SendText(ctx, plain, "Thread about the summit")
		if err != nil {
			t.Fatal(err)
		}
		content := &event.MessageEventContent{MsgType: event.MsgText, Body: "!stats",
			RelatesTo: (&event.RelatesTo{}).SetThread(root.EventID, root.EventID)}
		cmd, err := rep.cli.SendMessageEvent(ctx, plain, event.EventMessage, content)
		if err != nil {
			t.Fatal(err)
		}
		if err := waitFor(ctx, "the reply in the thread", 30*time.Second, func() bool { return len(rep.repliesTo(botID, cmd.EventID)) > 0 }); err != nil {
			t.Fatal(err)
		}
		rel := rep.repliesTo(botID, cmd.EventID)[0].Content.AsMessage().RelatesTo
		if rel.GetThreadParent() != root.EventID || rel.IsFallingBack {
			t.Errorf("reply relation %+v, want in the thread of %s, replying to the command", rel, root.EventID)
		}
	})

	var secret id.RoomID
	t.Run("encrypted room: command and reply", func(t *testing.T) {
		if !cryptoAvailable {
			t.Skip("built without -tags goolm: no encryption")
		}
		secret = createRoom(ctx, t, rep, botID, "secret", true)
		resp, err := rep.cli.SendText(ctx, secret, "!who-said refugees")
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.wireType(resp.EventID); got.Type != "" && got != event.EventEncrypted {
			t.Fatalf("the reporter's own message went out as %s", got)
		}
		start := time.Now()
		if err := waitFor(ctx, "the encrypted reply", 40*time.Second, func() bool { return len(rep.repliesTo(botID, resp.EventID)) > 0 }); err != nil {
			t.Fatal(err)
		}
		t.Logf("encrypted who-said answered in %s", time.Since(start).Round(time.Millisecond))
		reply := rep.repliesTo(botID, resp.EventID)[0]
		if got := rep.wireType(reply.ID); got != event.EventEncrypted {
			t.Errorf("the bot's reply in an encrypted room came as %s, want m.room.encrypted", got)
		}
		if !strings.Contains(reply.Content.AsMessage().Body, "We will not leave a single refugee") {
			t.Errorf("decrypted reply: %s", reply.Content.AsMessage().Body)
		}

		// An encrypted file, with an ingest command as its caption.
		file := []byte("River levels\n\"The dykes will hold,\" said Petra Vogel, the flood commissioner.\n")
		ef := attachment.NewEncryptedFile()
		ef.EncryptInPlace(file)
		up, err := rep.cli.UploadBytes(ctx, file, "application/octet-stream")
		if err != nil {
			t.Fatal(err)
		}
		sent, err := rep.cli.SendMessageEvent(ctx, secret, event.EventMessage, &event.MessageEventContent{MsgType: event.MsgFile,
			Body: "!ingest --outlet 'River Desk'", FileName: "river.txt",
			File: &event.EncryptedFileInfo{EncryptedFile: *ef, URL: up.ContentURI.CUString()},
			Info: &event.FileInfo{MimeType: "text/plain", Size: len(file)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := waitFor(ctx, "the reply to the encrypted upload", 30*time.Second, func() bool { return len(rep.repliesTo(botID, sent.EventID)) > 0 }); err != nil {
			t.Fatal(err)
		}
		if body := rep.repliesTo(botID, sent.EventID)[0].Content.AsMessage().Body; !strings.Contains(body, "Ingested “River levels”") {
			t.Errorf("encrypted upload reply: %s", body)
		}
		reply, _ = rep.ask(ctx, t, botID, secret, "!who-said dykes", 30*time.Second)
		if body := reply.Content.AsMessage().Body; !strings.Contains(body, "River Desk") || !strings.Contains(body, "Petra Vogel") {
			t.Errorf("who-said after the encrypted upload: %s", body)
		}
	})

	t.Run("alert reaches the alert room", func(t *testing.T) {
		al := addAlertTo(ctx, t, b.st, "budget")
		msg := alertMessage(ctx, t, b.st, al)
		if err := b.a.Notifier().Post(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if err := waitFor(ctx, "the alert in the alert room", 30*time.Second, func() bool {
			return countContaining(rep.fromBot(botID, alertRoom), msg.ID) > 0
		}); err != nil {
			t.Fatal(err)
		}
		posts := alertPosts(ctx, t, b.st, al)
		if len(posts) != 1 || posts[0] != string(alertRoom) {
			t.Errorf("alert posts recorded: %v, want one to %s", posts, alertRoom)
		}
	})

	// Restarting the bot: nothing is replayed, an alert raised while it was
	// down is posted once, the device (and its keys) stays the same.
	repliesBefore := len(rep.fromBot(botID, plain)) + len(rep.fromBot(botID, secret))
	b.stop(t)
	t.Run("restart replays nothing", func(t *testing.T) {
		st, err := store.Open(setup.dbPath, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		owedID := addAlertTo(ctx, t, st, "pension")
		st.Close()
		// Sent while the bot is down: from before its start, so ignored.
		missed, err := rep.cli.SendText(ctx, plain, "!stats")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(startSkew + 500*time.Millisecond)
		start := time.Now()
		b = startBot(ctx, t, setup)
		t.Logf("bot restarted and synced in %s", time.Since(start).Round(time.Millisecond))
		if b.a.cli.DeviceID != device {
			t.Errorf("device after restart %s, before %s", b.a.cli.DeviceID, device)
		}
		if err := waitFor(ctx, "the owed alert", 30*time.Second, func() bool {
			return countContaining(rep.fromBot(botID, alertRoom), store.AlertRef(owedID)) > 0
		}); err != nil {
			t.Error(err)
		}
		time.Sleep(3 * time.Second)
		if after := len(rep.fromBot(botID, plain)) + len(rep.fromBot(botID, secret)); after != repliesBefore {
			t.Errorf("after the restart the bot sent %d messages into the command rooms", after-repliesBefore)
		}
		if n := len(rep.repliesTo(botID, missed.EventID)); n != 0 {
			t.Errorf("a command sent while the bot was down got %d replies", n)
		}
		if n := len(rep.repliesTo(botID, firstCommand)); firstCommand != "" && n != 1 {
			t.Errorf("the first command has %d replies", n)
		}
		if n := len(rep.fromBot(botID, alertRoom)); n != 2 {
			t.Errorf("alert room has %d messages from the bot, want 2 (each alert once)", n)
		}
		devices, err := rep.cli.QueryKeys(ctx, &mautrix.ReqQueryKeys{DeviceKeys: map[id.UserID]mautrix.DeviceIDList{botID: {}}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(devices.DeviceKeys[botID]); cryptoAvailable && n != 1 {
			t.Errorf("the bot has %d devices with keys, want 1", n)
		}
		if secret != "" {
			reply, _ := rep.ask(ctx, t, botID, secret, "!stats", 40*time.Second)
			if rep.wireType(reply.ID) != event.EventEncrypted {
				t.Errorf("reply after restart came as %s", rep.wireType(reply.ID))
			}
		}
	})

	t.Run("homeserver restart: the bot recovers and answers", func(t *testing.T) {
		// An alert raised during the outage is posted once the server is
		// back: the send backs off and retries under one transaction id.
		outage := addAlertTo(ctx, t, b.st, "tariff")
		d.stop()
		if err := b.a.Notifier().Post(ctx, alertMessage(ctx, t, b.st, outage)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		start := time.Now()
		d.start()
		t.Logf("dendrite restarted in %s", time.Since(start).Round(time.Millisecond))
		for _, room := range []id.RoomID{plain, secret} {
			if room == "" {
				continue
			}
			var reply *event.Event
			var took time.Duration
			err := waitFor(ctx, "the reporter to send", 30*time.Second, func() bool {
				// The reporter's client may need a moment too.
				_, err := rep.cli.JoinedMembers(ctx, room)
				return err == nil
			})
			if err != nil {
				t.Fatal(err)
			}
			reply, took = rep.ask(ctx, t, botID, room, "!who-said refugees", 60*time.Second)
			t.Logf("after the homeserver restart, %s answered in %s", room, took.Round(time.Millisecond))
			if !strings.Contains(reply.Content.AsMessage().Body, "refugee") {
				t.Errorf("reply: %s", reply.Content.AsMessage().Body)
			}
		}
		if err := waitFor(ctx, "the alert raised during the outage", 30*time.Second, func() bool {
			return countContaining(rep.fromBot(botID, alertRoom), store.AlertRef(outage)) > 0
		}); err != nil {
			t.Error(err)
		}
		// Every command has exactly one reply, every alert one post.
		time.Sleep(2 * time.Second)
		if n := len(rep.fromBot(botID, alertRoom)); n != 3 {
			t.Errorf("alert room has %d messages from the bot, want 3", n)
		}
		rep.mu.Lock()
		counts := map[id.EventID]int{}
		for _, m := range rep.msgs {
			if m.Sender == botID {
				if to := m.Content.AsMessage().RelatesTo.GetReplyTo(); to != "" {
					counts[to]++
				}
			}
		}
		rep.mu.Unlock()
		for evt, n := range counts {
			if n != 1 {
				t.Errorf("command %s has %d replies", evt, n)
			}
		}
	})
	b.stop(t)

	t.Run("access-token login", func(t *testing.T) {
		// The bot's registration gave a second device with its own token.
		tok := setup
		tok.dbPath, tok.cryptoPath = filepath.Join(dir, "token.db"), filepath.Join(dir, "token-crypto.db")
		tok.token = botCli.AccessToken
		tb := startBot(ctx, t, tok)
		defer tb.stop(t)
		if tb.a.cli.DeviceID != botCli.DeviceID {
			t.Errorf("device %s, want the token's %s", tb.a.cli.DeviceID, botCli.DeviceID)
		}
		reply, _ := rep.ask(ctx, t, botID, plain, "!stats", 30*time.Second)
		if m := reply.Content.AsMessage(); m.MsgType != event.MsgNotice {
			t.Errorf("reply %s %q", m.MsgType, m.Body)
		}
	})
	if t.Failed() {
		t.Logf("dendrite log tail:\n%s", d.logTail())
	}
}

// addAlertTo stores two contradicting statements from a fresh article and
// an alert on them, as the ingester would.
func addAlertTo(ctx context.Context, t *testing.T, st *store.Store, tag string) uint64 {
	t.Helper()
	in := ingest.New(ingest.Options{Store: st, Extractor: extract.New()})
	var ids []uint64
	for i, text := range []string{
		"Budget talks\n\"The " + tag + " deal is done,\" said Carla Mendes, the finance minister.",
		"Budget talks collapse\n\"There is no " + tag + " deal,\" said Carla Mendes, the finance minister.",
	} {
		res, err := in.Ingest(ctx, ingest.Input{Text: text, Headline: true, File: fmt.Sprintf("%s-%d.txt", tag, i)})
		if err != nil || res.New == 0 {
			t.Fatalf("ingest %q: %v %+v", text, err, res)
		}
	}
	err := st.View(ctx, func(tx *store.Tx) error {
		return tx.ForEachStatement(func(s *store.Statement) error {
			if strings.Contains(s.Text, tag+" deal") {
				ids = append(ids, s.ID)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 2 {
		t.Fatalf("statements: %v", ids)
	}
	al := store.Alert{New: ids[len(ids)-1], Old: ids[len(ids)-2], Score: 0.9, Reasons: []string{"negation: no deal"},
		Created: time.Now().UTC()}
	if err := st.Update(ctx, func(tx *store.Tx) error { return tx.AddAlert(&al) }); err != nil {
		t.Fatal(err)
	}
	return al.ID
}

func alertMessage(ctx context.Context, t *testing.T, st *store.Store, ref uint64) (msg notify.Alert) {
	t.Helper()
	err := st.View(ctx, func(tx *store.Tx) error {
		al, ok, err := tx.Alert(ref)
		if err != nil || !ok {
			return errors.Join(err, errors.New("alert not found"))
		}
		msg, err = ingest.AlertMessage(tx, al)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func alertPosts(ctx context.Context, t *testing.T, st *store.Store, ref uint64) []string {
	var out []string
	err := st.View(ctx, func(tx *store.Tx) error {
		al, _, err := tx.Alert(ref)
		for _, p := range al.Posts {
			if p.Platform == "matrix" {
				out = append(out, p.Channel)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newStatements reads "N new statements" from an ingest reply (-1: absent).
func newStatements(body string) int {
	m := regexp.MustCompile(`(\d+) new statements?`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func countContaining(evts []*event.Event, s string) int {
	n := 0
	for _, e := range evts {
		if strings.Contains(e.Content.AsMessage().Body, s) {
			n++
		}
	}
	return n
}
