package slack

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// env is an adapter running against a fakeSlack, on a real bbolt store.
type env struct {
	t        *testing.T
	f        *fakeSlack
	st       *store.Store
	ingester *ingest.Ingester
	a        *Adapter
	cancel   context.CancelFunc
	done     chan error
	resp     atomic.Int64 // response_url counter
}

type envOpts struct {
	mode       string
	dispatcher commands.Dispatcher // nil: the real commands on the store
	extractor  extract.Extractor   // nil: ingesttest.Lines
	checker    ingest.Checker
	store      *store.Store // nil: a new one
	fake       *fakeSlack   // nil: a new one
	opts       func(o *Options)
	noStart    bool
}

const (
	admin    = "UADMIN"
	reviewer = "UREVIEW"
	reader   = "UREADER"
	alertsCh = "CALERTS"
	newsCh   = "CNEWS"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newEnv(t *testing.T, eo envOpts) *env {
	t.Helper()
	e := &env{t: t, f: eo.fake, st: eo.store}
	if e.f == nil {
		e.f = newFakeSlack(t)
	}
	if e.st == nil {
		st, err := store.Open(filepath.Join(t.TempDir(), "slack.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		e.st = st
	}
	var late atomic.Pointer[notify.Notifier]
	if eo.extractor == nil {
		eo.extractor = ingesttest.Lines{}
	}
	e.ingester = ingest.New(ingest.Options{Store: e.st, Extractor: eo.extractor, Checker: eo.checker, Logger: quietLog(),
		Notifier: notify.Func(func(ctx context.Context, a notify.Alert) error {
			if n := late.Load(); n != nil {
				return (*n).Post(ctx, a)
			}
			return nil
		})})
	d := eo.dispatcher
	if d == nil {
		reg, err := commands.New(commands.Deps{Store: e.st, Ingester: e.ingester, Logger: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		d = reg
	}
	if eo.mode == "" {
		eo.mode = "socket"
	}
	o := Options{
		BotToken: botToken, AppToken: appToken, SigningSecret: testSecret, Mode: eo.mode, Listen: "127.0.0.1:0",
		APIURL: e.f.apiURL(),
		Commands: map[string]string{"who_said": "/who-said", "status": "/status", "ingest": "/ingest",
			"newsbot": "/newsbot"},
		AlertChannels: []string{alertsCh},
		Admins:        []string{"slack:" + admin, "matrix:@x:example.org"},
		AlertUsers:    []string{reviewer, admin},
		Dispatcher:    d, Store: e.st, Logger: quietLog(),
		ChannelSpacing: -1, RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond,
	}
	if eo.opts != nil {
		eo.opts(&o)
	}
	a, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	e.a = a
	n := a.Notifier()
	late.Store(&n)
	if !eo.noStart {
		e.start()
	}
	return e
}

func (e *env) start() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.done = make(chan error, 1)
	before := e.connections()
	go func() { e.done <- e.a.Run(ctx) }()
	e.t.Cleanup(e.stop)
	if e.a.o.Mode == "socket" {
		e.f.waitCall(5*time.Second, before+1, "socket mode connection", method("ws.connected"))
	}
}

func (e *env) connections() int { return len(e.f.callsOf(method("ws.connected"))) }

func (e *env) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	select {
	case err := <-e.done:
		if err != nil {
			e.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		e.t.Error("Run did not return after cancel")
	}
}

// slash is a slash-command payload as Socket Mode carries it.
func (e *env) slash(command, text, user, channel string) map[string]any {
	n := e.resp.Add(1)
	return map[string]any{"token": "unused", "team_id": "T1", "team_domain": "newsroom", "channel_id": channel,
		"channel_name": "news", "user_id": user, "user_name": "someone", "command": command, "text": text,
		"response_url": fmt.Sprintf("%s/response/%d", e.f.srv.URL, n), "trigger_id": "trig", "api_app_id": "A1",
		"is_enterprise_install": "false"}
}

// toResponse matches posts to the response_url of payload p.
func toResponse(p map[string]any) func(apiCall) bool {
	u := p["response_url"].(string)
	return func(c apiCall) bool { return c.Method == "response" && u[len(u)-len(c.Path):] == c.Path }
}

func (e *env) ingest(text, outlet string) ingest.Result {
	e.t.Helper()
	res, err := e.ingester.Ingest(context.Background(), ingest.Input{Text: text, Headline: true, Outlet: outlet,
		Published: time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func (e *env) alert(id uint64) store.Alert {
	e.t.Helper()
	var al store.Alert
	e.st.View(context.Background(), func(tx *store.Tx) error {
		var ok bool
		var err error
		al, ok, err = tx.Alert(id)
		if err != nil || !ok {
			e.t.Fatalf("alert %d: %v %v", id, ok, err)
		}
		return nil
	})
	return al
}

// sameSpeaker raises an alert between each fresh statement and the
// speaker's earlier one: a predictable stand-in for the real checker.
type sameSpeaker struct{}

func (sameSpeaker) Check(ctx context.Context, tx *store.Tx, fresh []uint64) ([]store.Alert, error) {
	var out []store.Alert
	for _, id := range fresh {
		st, ok, err := tx.Statement(id)
		if err != nil || !ok {
			return nil, err
		}
		for _, old := range tx.StatementsBySpeaker(st.SpeakerID, 0) {
			if old != id && !slices.Contains(fresh, old) {
				out = append(out, store.Alert{New: id, Old: old, Score: 0.91, SameSpeaker: true,
					Reasons: []string{"opposite polarity on the same subject"}})
				break
			}
		}
	}
	return out, nil
}

// slowDispatcher answers after delay (or when ctx ends): a stand-in for a
// bulk ingest holding a command up.
type slowDispatcher struct {
	delay time.Duration
	calls atomic.Int64
	reply *commands.Reply
}

func (s *slowDispatcher) Dispatch(ctx context.Context, req *commands.Request) *commands.Reply {
	s.calls.Add(1)
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
	}
	if s.reply != nil {
		return s.reply
	}
	return &commands.Reply{Title: "Done after a while", Text: "You asked: " + req.Text}
}

// recordingDispatcher records requests and answers with a fixed reply.
type recordingDispatcher struct {
	reqs  chan *commands.Request
	reply func(req *commands.Request) *commands.Reply
}

func newRecorder(reply func(req *commands.Request) *commands.Reply) *recordingDispatcher {
	return &recordingDispatcher{reqs: make(chan *commands.Request, 100), reply: reply}
}

func (r *recordingDispatcher) Dispatch(ctx context.Context, req *commands.Request) *commands.Reply {
	r.reqs <- req
	if r.reply != nil {
		return r.reply(req)
	}
	return &commands.Reply{Title: "ok", Text: req.Text}
}

func (r *recordingDispatcher) next(t *testing.T, timeout time.Duration) *commands.Request {
	t.Helper()
	select {
	case req := <-r.reqs:
		return req
	case <-time.After(timeout):
		t.Fatalf("no command dispatched within %s", timeout)
		return nil
	}
}

func (r *recordingDispatcher) none(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case req := <-r.reqs:
		t.Fatalf("a command was dispatched: %+v", req)
	case <-time.After(wait):
	}
}
