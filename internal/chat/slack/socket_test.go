package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/commands"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

const article1 = "Border talks resume\nAnn Lee (person, interior minister): Refugees are welcome in this country.\n" +
	"Bo Chan (person): The refugees camp is full.\n"

// ackJSON decodes an acknowledgement payload.
func ackJSON(t *testing.T, a ack) map[string]any {
	t.Helper()
	if len(a.Payload) == 0 || string(a.Payload) == "null" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(a.Payload, &m); err != nil {
		t.Fatalf("ack payload %s: %v", a.Payload, err)
	}
	return m
}

func TestSocketSlashCommandAnsweredInTheAck(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.ingest(article1, "AFP")
	p := e.slash("/who-said", "refugees", reader, newsCh)
	id := e.f.envelope("slash_commands", p)
	a, took := e.f.waitAck(id, 3*time.Second)
	if took > 3*time.Second {
		t.Errorf("ack took %s", took)
	}
	m := ackJSON(t, a)
	if m == nil {
		t.Fatal("empty ack: a quick answer belongs in the ack")
	}
	if m["response_type"] != "in_channel" {
		t.Errorf("response_type = %v, want in_channel", m["response_type"])
	}
	js := string(a.Payload)
	for _, want := range []string{"Ann Lee", "Bo Chan", "Refugees are welcome in this country.", "AFP · 2018-07-20", `"type":"header"`} {
		if !strings.Contains(js, want) {
			t.Errorf("ack lacks %q:\n%s", want, js)
		}
	}
	if len(a.Payload) >= 20*1024 {
		t.Errorf("ack payload %d bytes", len(a.Payload))
	}
}

func TestSocketHelpAndErrorsAreEphemeral(t *testing.T) {
	e := newEnv(t, envOpts{})
	for _, tc := range []struct{ cmd, text string }{{"/newsbot", "help"}, {"/newsbot", "no-such-command"}, {"/ingest", "x"}} {
		id := e.f.envelope("slash_commands", e.slash(tc.cmd, tc.text, reader, newsCh))
		a, _ := e.f.waitAck(id, 3*time.Second)
		if m := ackJSON(t, a); m == nil || m["response_type"] != "ephemeral" {
			t.Errorf("%s %s: ack %s, want an ephemeral answer", tc.cmd, tc.text, a.Payload)
		}
	}
	// /ingest by a reader: acknowledged at once, then the refusal follows.
	c := e.f.waitCall(3*time.Second, 1, "refusal of ingest", method("response"))
	if c.JSON["response_type"] != "ephemeral" || !strings.Contains(c.text(), "admins only") {
		t.Errorf("ingest by a non-admin answered %v", c.JSON)
	}
}

func TestSocketAckWithin3sWhileTheCommandIsSlow(t *testing.T) {
	d := &slowDispatcher{delay: 5 * time.Second}
	e := newEnv(t, envOpts{dispatcher: d})
	p := e.slash("/who-said", "refugees", reader, newsCh)
	start := time.Now()
	id := e.f.envelope("slash_commands", p)
	a, took := e.f.waitAck(id, 3*time.Second)
	t.Logf("ack after %s while the command needs %s", took.Round(time.Millisecond), d.delay)
	if took >= 3*time.Second {
		t.Fatalf("ack took %s", took)
	}
	if m := ackJSON(t, a); m == nil || m["response_type"] != "ephemeral" || !strings.Contains(string(a.Payload), "Working on it") {
		t.Errorf("ack %s: want an ephemeral progress note", a.Payload)
	}
	c := e.f.waitCall(10*time.Second, 1, "the late answer", toResponse(p))
	if since := c.At.Sub(start); since < d.delay {
		t.Errorf("answer after %s, before the command finished", since)
	}
	if c.JSON["response_type"] != "in_channel" || !strings.Contains(c.text(), "You asked: who-said refugees") {
		t.Errorf("late answer %v", c.JSON)
	}
}

func TestSocketAcksStayFastDuringBulkIngest(t *testing.T) {
	// The real commands and ingester, with the real extractor, while a bulk
	// ingest runs: other users' commands are acknowledged within 3 s.
	e := newEnv(t, envOpts{extractor: extract.New()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	ingested := 0
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			var b strings.Builder
			fmt.Fprintf(&b, "Story number %d about refugees\n\n", i)
			for j := range 40 {
				fmt.Fprintf(&b, "\"We will open new shelters for refugees in %s,\" Ann Lee said on Monday.\n\n", word(i*100+j))
				fmt.Fprintf(&b, "Bo Chan said: \"The %s plan is too little, too late.\"\n\n", word(i*100+j))
			}
			if _, err := e.ingester.Ingest(ctx, ingest.Input{Text: b.String(), Headline: true, Outlet: "Wire"}); err != nil {
				if ctx.Err() == nil {
					t.Errorf("ingest %d: %v", i, err)
				}
				return
			}
			ingested++
		}
	})
	// Admin bulk via Slack too: a long pasted article through /ingest.
	var big strings.Builder
	big.WriteString("A long pasted story\n\n")
	for j := range 300 {
		fmt.Fprintf(&big, "\"Shelter %d is ready,\" said Mayor Cy Dee.\n\n", j)
	}
	ingestEnv := e.f.envelope("slash_commands", e.slash("/ingest", big.String(), admin, newsCh))
	if _, took := e.f.waitAck(ingestEnv, 3*time.Second); took >= 3*time.Second {
		t.Errorf("/ingest ack took %s", took)
	}
	var worst time.Duration
	const asks = 16
	for range asks {
		time.Sleep(150 * time.Millisecond)
		id := e.f.envelope("slash_commands", e.slash("/who-said", "refugees", reader, newsCh))
		_, took := e.f.waitAck(id, 3*time.Second)
		worst = max(worst, took)
	}
	cancel()
	wg.Wait()
	var statements uint64
	e.st.View(context.Background(), func(tx *store.Tx) error { statements = tx.StatementCount(); return nil })
	t.Logf("worst of %d acks during bulk ingest (%d articles, %d statements ingested meanwhile): %s", asks, ingested, statements, worst.Round(time.Millisecond))
	if ingested == 0 || statements == 0 {
		t.Fatalf("the bulk ingest stored nothing")
	}
	if worst >= 3*time.Second {
		t.Errorf("an ack took %s", worst)
	}
	c := e.f.waitCall(30*time.Second, 1, "result of the pasted ingest", func(c apiCall) bool {
		return c.Method == "response" && strings.Contains(c.text(), "A long pasted story")
	})
	if !strings.Contains(c.text(), "new statements") {
		t.Errorf("ingest result: %s", c.text())
	}
}

func TestSocketIngestPastedTextKeepsQuotesAndLines(t *testing.T) {
	e := newEnv(t, envOpts{})
	text := "Harbour strike\nAnn Lee (person): We said \"no\" & we meant it <really>.\nBo Chan (person): It's over.\n"
	id := e.f.envelope("slash_commands", e.slash("/ingest", "--outlet \"Le Monde\" "+slackEscape(text), admin, newsCh))
	a, _ := e.f.waitAck(id, 3*time.Second)
	if !strings.Contains(string(a.Payload), "pasted article") {
		t.Errorf("ack %s: want a progress note", a.Payload)
	}
	e.f.waitCall(5*time.Second, 1, "ingest result", method("response"))
	e.st.View(context.Background(), func(tx *store.Tx) error {
		arts, err := tx.RecentArticles(5)
		if err != nil || len(arts) != 1 {
			t.Fatalf("articles %v %v", arts, err)
		}
		if arts[0].Text != strings.TrimSpace(text) && arts[0].Text != text {
			t.Errorf("stored text %q, want %q", arts[0].Text, text)
		}
		if arts[0].Outlet != "Le Monde" || arts[0].Title != "Harbour strike" {
			t.Errorf("outlet %q title %q", arts[0].Outlet, arts[0].Title)
		}
		return nil
	})
}

// word spells n in letters ("bcd"), so that generated quotes differ in
// words, not only in digits.
func word(n int) string {
	var b []byte
	for {
		b = append(b, byte('a'+n%26))
		n /= 26
		if n == 0 {
			return string(b)
		}
	}
}

// slackEscape is what Slack does to typed text before sending it.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func TestSocketMentionsAndDirectMessages(t *testing.T) {
	rec := newRecorder(nil)
	e := newEnv(t, envOpts{dispatcher: rec})
	mention := map[string]any{"type": "app_mention", "user": reader, "text": "<@UBOT> who-said &lt;refugees&gt; <https://x.org/a|x.org>",
		"ts": "1.1", "channel": newsCh, "event_ts": "1.1"}
	e.f.envelope("events_api", eventCallback("Ev1", mention))
	req := rec.next(t, 3*time.Second)
	if req.Text != "who-said <refugees> https://x.org/a" || req.User != reader || req.Channel != newsCh || req.IsAdmin || req.Platform != "slack" {
		t.Errorf("mention became %+v", req)
	}
	c := e.f.waitCall(3*time.Second, 1, "answer to the mention", method("chat.postMessage"))
	if c.Form.Get("channel") != newsCh || c.Form.Get("thread_ts") != "" {
		t.Errorf("answer posted to %q thread %q", c.Form.Get("channel"), c.Form.Get("thread_ts"))
	}
	// The same event again (Slack retrying) is not run twice.
	e.f.envelope("events_api", eventCallback("Ev1", mention))
	rec.none(t, 300*time.Millisecond)

	// A mention inside a thread is answered in the thread.
	inThread := map[string]any{"type": "app_mention", "user": reader, "text": "<@UBOT> status summit",
		"ts": "2.2", "thread_ts": "2.0", "channel": newsCh, "event_ts": "2.2"}
	e.f.envelope("events_api", eventCallback("Ev2", inThread))
	if req := rec.next(t, 3*time.Second); req.Text != "status summit" || req.Thread != "2.0" {
		t.Errorf("threaded mention became %+v", req)
	}
	c = e.f.waitCall(3*time.Second, 2, "answer in the thread", method("chat.postMessage"))
	if c.Form.Get("thread_ts") != "2.0" {
		t.Errorf("thread_ts = %q", c.Form.Get("thread_ts"))
	}

	// A DM from an admin; the bot's own DM messages are ignored.
	dm := map[string]any{"type": "message", "channel_type": "im", "user": admin, "text": "!stats", "ts": "3.3", "channel": "D1", "event_ts": "3.3"}
	e.f.envelope("events_api", eventCallback("Ev3", dm))
	if req := rec.next(t, 3*time.Second); req.Text != "stats" || !req.IsAdmin || req.Channel != "D1" {
		t.Errorf("DM became %+v", req)
	}
	own := map[string]any{"type": "message", "channel_type": "im", "user": "UBOT", "bot_id": "B1", "text": "stats", "ts": "4.4", "channel": "D1", "event_ts": "4.4"}
	e.f.envelope("events_api", eventCallback("Ev4", own))
	edit := map[string]any{"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D1", "ts": "5.5", "event_ts": "5.5",
		"message": map[string]any{"user": admin, "text": "stats"}}
	e.f.envelope("events_api", eventCallback("Ev5", edit))
	rec.none(t, 300*time.Millisecond)
}

func eventCallback(id string, inner map[string]any) map[string]any {
	return map[string]any{"token": "unused", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": id, "event_time": 1700000000, "event": inner}
}

func TestSocketFileSharedInDMIsIngested(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.f.files["F1.txt"] = []byte("Port reopens\nAnn Lee (person): The port opens on Monday.\n")
	file := map[string]any{"id": "F1", "name": "port.txt", "mimetype": "text/plain", "filetype": "text", "size": 60,
		"url_private": e.f.srv.URL + "/files/F1.txt", "url_private_download": e.f.srv.URL + "/files/F1.txt"}
	share := func(user, ev string) {
		e.f.envelope("events_api", eventCallback(ev, map[string]any{"type": "message", "subtype": "file_share", "channel_type": "im",
			"user": user, "text": "--outlet AFP", "ts": "6.6", "channel": "D1", "event_ts": "6.6", "files": []any{file}}))
	}
	// A reader's file is refused without being downloaded.
	share(reader, "Ev6")
	c := e.f.waitCall(3*time.Second, 1, "refusal", method("chat.postMessage"))
	if !strings.Contains(c.text(), "admins only") {
		t.Errorf("reader's file: %s", c.text())
	}
	if got := e.f.callsOf(method("file")); len(got) != 0 {
		t.Errorf("a reader's file was downloaded")
	}
	share(admin, "Ev7")
	dl := e.f.waitCall(3*time.Second, 1, "download", method("file"))
	if dl.Status != 200 || dl.Auth != "Bearer "+botToken {
		t.Errorf("download %d with %q", dl.Status, dl.Auth)
	}
	c = e.f.waitCall(5*time.Second, 1, "ingest result", func(c apiCall) bool {
		return c.Method == "chat.postMessage" && strings.Contains(c.text(), "Port reopens")
	})
	if !strings.Contains(c.text(), "1 new statement") {
		t.Errorf("result: %s", c.text())
	}
	e.st.View(context.Background(), func(tx *store.Tx) error {
		arts, _ := tx.RecentArticles(5)
		if len(arts) != 1 || arts[0].File != "port.txt" || arts[0].Outlet != "AFP" {
			t.Errorf("articles: %+v", arts)
		}
		return nil
	})

	// An event whose file carries only its id: files.info gives the URL.
	e.f.mu.Lock()
	e.f.files["F2.txt"] = []byte("Port closes\nBo Chan (person): The port closes again.\n")
	e.f.mu.Unlock()
	file = map[string]any{"id": "F2", "file_access": "check_file_info"}
	share(admin, "Ev8")
	e.f.waitCall(3*time.Second, 1, "files.info", method("files.info"))
	e.f.waitCall(5*time.Second, 1, "second ingest result", func(c apiCall) bool {
		return c.Method == "chat.postMessage" && strings.Contains(c.text(), "Port closes")
	})

	// Too big: refused before downloading.
	file = map[string]any{"id": "F3", "name": "huge.txt", "mimetype": "text/plain", "size": 50 << 20,
		"url_private_download": e.f.srv.URL + "/files/F3.txt"}
	share(admin, "Ev9")
	c = e.f.waitCall(3*time.Second, 1, "refusal of a huge file", func(c apiCall) bool {
		return c.Method == "chat.postMessage" && strings.Contains(c.text(), "too big")
	})
	if n := len(e.f.callsOf(func(c apiCall) bool { return c.Path == "/files/F3.txt" })); n != 0 {
		t.Errorf("the huge file was downloaded")
	}
}

func TestSocketLongReplyIsPaginatedOutsideTheAck(t *testing.T) {
	long := &commands.Reply{Title: "Many"}
	for i := range 60 {
		long.Sections = append(long.Sections, commands.Section{Heading: fmt.Sprintf("Speaker %d", i),
			Statements: []commands.Statement{{ID: fmt.Sprintf("S%d", i), Text: strings.Repeat("words ", 80), Kind: "direct",
				Sources: []commands.Source{{Outlet: "AFP", URL: "https://example.org/a", Title: "A story"}}}}})
	}
	e := newEnv(t, envOpts{dispatcher: newRecorder(func(*commands.Request) *commands.Reply { return long })})
	p := e.slash("/who-said", "x", reader, newsCh)
	id := e.f.envelope("slash_commands", p)
	a, _ := e.f.waitAck(id, 3*time.Second)
	if m := ackJSON(t, a); m != nil {
		t.Errorf("a reply too long for one message came in the ack (%d bytes)", len(a.Payload))
	}
	first := e.f.waitCall(5*time.Second, 1, "first page", toResponse(p))
	e.f.waitCall(5*time.Second, 2, "second page", toResponse(p))
	if !strings.Contains(first.text(), "(1/") {
		t.Errorf("first page text: %v", first.JSON["text"])
	}
	time.Sleep(200 * time.Millisecond)
	pages := e.f.callsOf(toResponse(p))
	if len(pages) > responseURLUses {
		t.Errorf("%d posts to one response_url, Slack allows %d", len(pages), responseURLUses)
	}
	for _, pg := range pages {
		blocks, _ := pg.JSON["blocks"].([]any)
		js, _ := json.Marshal(pg.JSON)
		if len(blocks) > maxBlocks || len(js) >= 20*1024 {
			t.Errorf("page with %d blocks, %d bytes", len(blocks), len(js))
		}
	}
}

func TestSocketReconnectsWhenSlackAsks(t *testing.T) {
	e := newEnv(t, envOpts{})
	before := e.connections()
	e.f.write(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "fake"}})
	e.f.waitCall(10*time.Second, before+1, "reconnection", method("ws.connected"))
	id := e.f.envelope("slash_commands", e.slash("/newsbot", "stats", reader, newsCh))
	if a, _ := e.f.waitAck(id, 3*time.Second); !strings.Contains(string(a.Payload), "Articles") {
		t.Errorf("after reconnecting: %s", a.Payload)
	}
}

func TestSocketMentionHelpIsEphemeral(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.f.envelope("events_api", eventCallback("EvH", map[string]any{"type": "app_mention", "user": reader,
		"text": "<@UBOT> help", "ts": "7.7", "channel": newsCh, "event_ts": "7.7"}))
	c := e.f.waitCall(3*time.Second, 1, "ephemeral help", method("chat.postEphemeral"))
	if c.Form.Get("user") != reader || c.Form.Get("channel") != newsCh || !strings.Contains(c.text(), "who-said") {
		t.Errorf("help went to %s/%s: %s", c.Form.Get("channel"), c.Form.Get("user"), c.text())
	}
	if n := len(e.f.callsOf(method("chat.postMessage"))); n != 0 {
		t.Errorf("help was also posted in the channel %d times", n)
	}
}

func TestStartWaitsForSlackButNotForABadToken(t *testing.T) {
	f := newFakeSlack(t)
	f.reply = func(method string, n int) (int, string, string) {
		if method == "auth.test" && n == 1 {
			return 503, "", ""
		}
		return 0, "", ""
	}
	e := newEnv(t, envOpts{fake: f}) // start waits for the connection
	if n := len(f.callsOf(method("auth.test"))); n != 2 {
		t.Errorf("%d auth.test calls, want a retry after the 503", n)
	}
	e.stop()

	bad := newEnv(t, envOpts{opts: func(o *Options) { o.BotToken = "xoxb-revoked" }, noStart: true})
	done := make(chan error, 1)
	go func() { done <- bad.a.Run(t.Context()) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Run with a refused token: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run kept trying a refused token")
	}
}

func TestNewRefusesChannelNames(t *testing.T) {
	_, err := New(Options{BotToken: botToken, AppToken: appToken, AlertChannels: []string{"#alerts"},
		Dispatcher: newRecorder(nil), Store: newEnv(t, envOpts{noStart: true}).st})
	if err == nil || !strings.Contains(err.Error(), "channel id") {
		t.Errorf("New with a channel name: %v", err)
	}
}
