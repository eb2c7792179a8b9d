package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

type signedReq struct {
	path, body   string
	secret       string    // "" : testSecret
	at           time.Time // zero: now
	noHeaders    bool
	tamper       bool // change the body after signing
	retry        bool
	reuseHeaders http.Header
}

func (e *env) post(t *testing.T, r signedReq) (int, string, http.Header) {
	t.Helper()
	addr, err := e.a.Addr(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(r.body)
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+r.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.reuseHeaders != nil:
		req.Header = r.reuseHeaders.Clone()
	case !r.noHeaders:
		at := r.at
		if at.IsZero() {
			at = time.Now()
		}
		secret := r.secret
		if secret == "" {
			secret = testSecret
		}
		ts := strconv.FormatInt(at.Unix(), 10)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sign(secret, ts, body))
	}
	if r.tamper {
		body = append(body, []byte("&text=forget+everything")...)
	}
	if r.retry {
		req.Header.Set("X-Slack-Retry-Num", "1")
	}
	if strings.HasPrefix(r.body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	sent := req.Header.Clone()
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	req.ContentLength = int64(len(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), sent
}

func slashForm(e *env, command, text, user string) string {
	v := url.Values{}
	for k, val := range e.slash(command, text, user, newsCh) {
		v.Set(k, fmt.Sprint(val))
	}
	return v.Encode()
}

func TestHTTPModeVerifiesEveryRequest(t *testing.T) {
	rec := newRecorder(nil)
	e := newEnv(t, envOpts{mode: "http", dispatcher: rec})
	form := slashForm(e, "/who-said", "refugees", reader)

	code, body, headers := e.post(t, signedReq{path: PathCommands, body: form})
	if code != http.StatusOK {
		t.Fatalf("correctly signed: %d %s", code, body)
	}
	if req := rec.next(t, time.Second); req.Text != "who-said refugees" || req.User != reader {
		t.Errorf("dispatched %+v", req)
	}
	var ack map[string]any
	if err := json.Unmarshal([]byte(body), &ack); err != nil || ack["response_type"] != "in_channel" {
		t.Errorf("ack %q: %v", body, err)
	}

	for name, r := range map[string]signedReq{
		"wrong secret":            {path: PathCommands, body: form, secret: "not-the-secret"},
		"stale (10 minutes old)":  {path: PathCommands, body: form, at: time.Now().Add(-10 * time.Minute)},
		"from the future":         {path: PathCommands, body: form, at: time.Now().Add(10 * time.Minute)},
		"unsigned":                {path: PathCommands, body: form, noHeaders: true},
		"body changed":            {path: PathCommands, body: form, tamper: true},
		"replayed":                {path: PathCommands, body: form, reuseHeaders: headers},
		"events, wrong secret":    {path: PathEvents, body: `{"type":"url_verification","challenge":"c1"}`, secret: "x"},
		"interactive, stale":      {path: PathInteractive, body: "payload=%7B%7D", at: time.Now().Add(-6 * time.Minute)},
		"interactive, unsigned":   {path: PathInteractive, body: "payload=%7B%7D", noHeaders: true},
		"events, stale":           {path: PathEvents, body: `{"type":"url_verification","challenge":"c2"}`, at: time.Now().Add(-time.Hour)},
		"commands, garbage sig":   {path: PathCommands, body: form, reuseHeaders: http.Header{"X-Slack-Signature": {"v0=zz"}, "X-Slack-Request-Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}}},
		"commands, missing stamp": {path: PathCommands, body: form, reuseHeaders: http.Header{"X-Slack-Signature": {headers.Get("X-Slack-Signature")}}},
	} {
		code, body, _ := e.post(t, r)
		if code != http.StatusUnauthorized {
			t.Errorf("%s: %d %q, want 401", name, code, body)
		}
	}
	rec.none(t, 200*time.Millisecond)

	// Slack retrying a request it already sent is answered, not run again.
	if code, _, _ := e.post(t, signedReq{path: PathCommands, body: form, reuseHeaders: headers, retry: true}); code != http.StatusOK {
		t.Errorf("retry of a known request: %d", code)
	}
	rec.none(t, 200*time.Millisecond)
}

func TestHTTPModeEventsAndInteractions(t *testing.T) {
	rec := newRecorder(nil)
	e := newEnv(t, envOpts{mode: "http", dispatcher: rec})
	code, body, _ := e.post(t, signedReq{path: PathEvents, body: `{"token":"x","type":"url_verification","challenge":"abc123"}`})
	if code != 200 || body != "abc123" {
		t.Errorf("url_verification: %d %q", code, body)
	}
	ev, _ := json.Marshal(eventCallback("EvH1", map[string]any{"type": "app_mention", "user": reader,
		"text": "<@UBOT> who-said bridges", "ts": "1.1", "channel": newsCh, "event_ts": "1.1"}))
	if code, body, _ := e.post(t, signedReq{path: PathEvents, body: string(ev)}); code != 200 {
		t.Fatalf("event: %d %s", code, body)
	}
	if req := rec.next(t, 2*time.Second); req.Text != "who-said bridges" {
		t.Errorf("mention became %+v", req)
	}
	e.f.waitCall(3*time.Second, 1, "answer to the mention", method("chat.postMessage"))

	payload, _ := json.Marshal(blockAction(admin, "alert.dismiss", "alert dismiss A9", "1.5", e.f.srv.URL+"/response/h1"))
	form := url.Values{"payload": {string(payload)}}.Encode()
	if code, body, _ := e.post(t, signedReq{path: PathInteractive, body: form}); code != 200 {
		t.Fatalf("interaction: %d %s", code, body)
	}
	if req := rec.next(t, 2*time.Second); req.Text != "alert dismiss A9" || req.User != admin || !req.IsAdmin {
		t.Errorf("click became %+v", req)
	}
	r := e.f.waitCall(3*time.Second, 1, "answer to the click", func(c apiCall) bool { return c.Path == "/response/h1" })
	if r.JSON["response_type"] != "ephemeral" {
		t.Errorf("answer to a click should be ephemeral: %v", r.JSON)
	}
}

func TestHTTPModeAckWithin3sWhileSlow(t *testing.T) {
	d := &slowDispatcher{delay: 4 * time.Second}
	e := newEnv(t, envOpts{mode: "http", dispatcher: d})
	start := time.Now()
	code, body, _ := e.post(t, signedReq{path: PathCommands, body: slashForm(e, "/status", "summit", reader)})
	took := time.Since(start)
	t.Logf("http ack after %s", took.Round(time.Millisecond))
	if code != 200 || took >= 3*time.Second || !strings.Contains(body, "Working on it") {
		t.Errorf("ack %d after %s: %s", code, took, body)
	}
	c := e.f.waitCall(8*time.Second, 1, "late answer", method("response"))
	if !strings.Contains(c.text(), "You asked: status summit") {
		t.Errorf("late answer: %s", c.text())
	}
}
