package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is a local Slack on loopback: the Web API methods the bot
// calls, response_url endpoints, private file downloads, and a Socket Mode
// WebSocket that sends hello and envelopes and reads acknowledgements.
type fakeSlack struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	calls   []apiCall
	changed chan struct{} // closed and replaced on every new call or ack
	conn    *websocket.Conn
	wmu     sync.Mutex // one writer on conn
	acks    map[string]ack
	sent    map[string]time.Time
	seq     int
	files   map[string][]byte // path under /files/ → content
	// reply, if set, decides a Web API method's answer: status code, the
	// Retry-After header, and the Slack error ("" for ok).
	reply func(method string, n int) (status int, retryAfter string, slackErr string)
	count map[string]int
}

// apiCall is one request the bot made.
type apiCall struct {
	Method string // "chat.postMessage", "response", "file"
	Path   string
	Form   url.Values
	JSON   map[string]any
	Auth   string
	At     time.Time
	Status int
	Err    string // the Slack error answered, if any
}

type ack struct {
	Payload json.RawMessage
	At      time.Time
}

const (
	botToken   = "xoxb-test-bot"
	appToken   = "xapp-test-app"
	testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
)

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{t: t, changed: make(chan struct{}), acks: map[string]ack{}, sent: map[string]time.Time{},
		files: map[string][]byte{}, count: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/ws", f.ws)
	mux.HandleFunc("/response/", f.response)
	mux.HandleFunc("/files/", f.file)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

func (f *fakeSlack) close() {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
	f.srv.Close()
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) record(c apiCall) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	c := apiCall{Method: method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), At: time.Now(), Status: 200}
	body, _ := io.ReadAll(r.Body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	if tok := c.Form.Get("token"); c.Auth == "" && tok != "" {
		c.Auth = "Bearer " + tok
	}
	f.mu.Lock()
	f.count[method]++
	n := f.count[method]
	reply := f.reply
	f.mu.Unlock()
	if reply != nil {
		status, retry, slackErr := reply(method, n)
		if status != 0 && status != 200 {
			c.Status = status
			f.record(c)
			if retry != "" {
				w.Header().Set("Retry-After", retry)
			}
			w.WriteHeader(status)
			return
		}
		if slackErr != "" {
			c.Err = slackErr
			f.record(c)
			writeJSON(w, map[string]any{"ok": false, "error": slackErr})
			return
		}
	}
	want := "Bearer " + botToken
	if method == "apps.connections.open" {
		want = "Bearer " + appToken
	}
	if c.Auth != want {
		f.record(c)
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.record(c)
	switch method {
	case "auth.test":
		writeJSON(w, map[string]any{"ok": true, "user_id": "UBOT", "user": "newsbot", "team": "Newsroom", "team_id": "T1"})
	case "apps.connections.open":
		writeJSON(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
	case "chat.postMessage", "chat.update":
		writeJSON(w, map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": fmt.Sprintf("1700000000.%06d", n)})
	case "chat.postEphemeral":
		writeJSON(w, map[string]any{"ok": true, "message_ts": fmt.Sprintf("1700000001.%06d", n)})
	case "files.info":
		id := c.Form.Get("file")
		writeJSON(w, map[string]any{"ok": true, "file": map[string]any{"id": id, "name": id + ".txt",
			"mimetype": "text/plain", "filetype": "text", "size": len(f.files[id+".txt"]),
			"url_private_download": f.srv.URL + "/files/" + id + ".txt"}})
	default:
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	c := apiCall{Method: "response", Path: r.URL.Path, At: time.Now(), Status: 200}
	body, _ := io.ReadAll(r.Body)
	json.Unmarshal(body, &c.JSON)
	f.mu.Lock()
	f.count["response"]++
	n, reply := f.count["response"], f.reply
	f.mu.Unlock()
	if reply != nil {
		if status, retry, _ := reply("response", n); status != 0 && status != 200 {
			c.Status = status
			f.record(c)
			w.Header().Set("Retry-After", retry)
			w.WriteHeader(status)
			return
		}
	}
	f.record(c)
	writeJSON(w, map[string]any{"ok": true})
}

func (f *fakeSlack) file(w http.ResponseWriter, r *http.Request) {
	c := apiCall{Method: "file", Path: r.URL.Path, Auth: r.Header.Get("Authorization"), At: time.Now(), Status: 200}
	name := strings.TrimPrefix(r.URL.Path, "/files/")
	f.mu.Lock()
	data, ok := f.files[name]
	f.mu.Unlock()
	switch {
	case c.Auth != "Bearer "+botToken:
		c.Status = http.StatusForbidden
	case !ok:
		c.Status = http.StatusNotFound
	}
	f.record(c)
	if c.Status != 200 {
		w.WriteHeader(c.Status)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Write(data)
}

// ws speaks the Socket Mode side of Slack: hello, then envelopes sent by
// the test; it reads the acknowledgements and pings every second.
func (f *fakeSlack) ws(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("websocket upgrade: %v", err)
		return
	}
	f.mu.Lock()
	f.conn = conn
	f.mu.Unlock()
	f.write(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}})
	f.record(apiCall{Method: "ws.connected", At: time.Now()})
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				f.wmu.Lock()
				conn.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second))
				f.wmu.Unlock()
			}
		}
	}()
	for {
		var m struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := conn.ReadJSON(&m); err != nil {
			return
		}
		f.mu.Lock()
		f.acks[m.EnvelopeID] = ack{Payload: m.Payload, At: time.Now()}
		close(f.changed)
		f.changed = make(chan struct{})
		f.mu.Unlock()
	}
}

func (f *fakeSlack) write(v any) {
	f.mu.Lock()
	conn := f.conn
	f.mu.Unlock()
	if conn == nil {
		f.t.Fatal("no socket mode connection")
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if err := conn.WriteJSON(v); err != nil {
		f.t.Fatalf("write envelope: %v", err)
	}
}

// envelope sends a Socket Mode envelope of typ ("slash_commands",
// "interactive", "events_api") and returns its id.
func (f *fakeSlack) envelope(typ string, payload any) string {
	f.mu.Lock()
	f.seq++
	id := fmt.Sprintf("env-%d", f.seq)
	f.sent[id] = time.Now()
	f.mu.Unlock()
	f.write(map[string]any{"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ != "events_api", "retry_attempt": 0, "retry_reason": ""})
	return id
}

// waitAck waits for the acknowledgement of envelope id and returns it with
// the time from sending to acknowledgement.
func (f *fakeSlack) waitAck(id string, timeout time.Duration) (ack, time.Duration) {
	f.t.Helper()
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		a, ok := f.acks[id]
		sent := f.sent[id]
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return a, a.At.Sub(sent)
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("no acknowledgement of %s within %s", id, timeout)
		}
	}
}

// waitCall waits for the n-th call (1-based) matching pred.
func (f *fakeSlack) waitCall(timeout time.Duration, n int, what string, pred func(c apiCall) bool) apiCall {
	f.t.Helper()
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		seen := 0
		var found *apiCall
		for i := range f.calls {
			if pred(f.calls[i]) {
				seen++
				if seen == n {
					c := f.calls[i]
					found = &c
					break
				}
			}
		}
		ch := f.changed
		f.mu.Unlock()
		if found != nil {
			return *found
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("no %s within %s; calls: %s", what, timeout, f.summary())
		}
	}
}

// callsOf returns the calls matching pred so far.
func (f *fakeSlack) callsOf(pred func(c apiCall) bool) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if pred(c) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeSlack) summary() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	for _, c := range f.calls {
		parts = append(parts, fmt.Sprintf("%s(%d)", c.Method, c.Status))
	}
	return strings.Join(parts, " ")
}

func method(m string) func(apiCall) bool { return func(c apiCall) bool { return c.Method == m } }

// text is every text a call carried (form blocks and text, or JSON), for
// searching.
func (c apiCall) text() string {
	var b strings.Builder
	for _, k := range []string{"text", "blocks"} {
		b.WriteString(c.Form.Get(k))
		b.WriteString("\n")
	}
	if c.JSON != nil {
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.Encode(c.JSON)
	}
	return b.String()
}
