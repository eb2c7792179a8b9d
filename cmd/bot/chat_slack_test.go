package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRunServesSlackOverHTTP runs the bot with a Slack configuration in
// http mode against a local auth.test, and asks it a signed slash command.
func TestRunServesSlackOverHTTP(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/auth.test" {
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","team":"Newsroom"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer api.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`[database]
path = %q
[admins]
users = ["slack:UADMIN"]
[slack]
bot_token = "xoxb-test"
signing_secret = "s3cret"
mode = "http"
listen = %q
api_url = %q
[slack.commands]
newsbot = "/nb"
`, filepath.Join(dir, "n.db"), addr, api.URL+"/api/")
	path := filepath.Join(dir, "newsbot.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- runBot(ctx, []string{"--config", path}, io.Discard, &stderr) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	form := url.Values{"command": {"/nb"}, "text": {"stats"}, "user_id": {"UADMIN"}, "channel_id": {"C1"},
		"response_url": {api.URL + "/response"}}.Encode()
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		m := hmac.New(sha256.New, []byte("s3cret"))
		fmt.Fprintf(m, "v0:%s:%s", ts, form)
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
		resp, err = http.DefaultClient.Do(req)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("slash command: %v; log:\n%s", err, stderr.String())
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"response_type":"in_channel"`) || !strings.Contains(string(body), "Articles") {
		t.Errorf("answer %d: %s", resp.StatusCode, body)
	}
}
