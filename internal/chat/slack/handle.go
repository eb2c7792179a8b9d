package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"newsbot/internal/commands"
	"newsbot/internal/store"
)

// maxAckBytes bounds an acknowledgement's payload: Slack drops Socket
// Mode responses of 20 KB or more, envelope included.
const maxAckBytes = 19 * 1024

// responseURLUses is how many times Slack accepts posts to one
// response_url.
const responseURLUses = 5

// origin is where a command came from and where its answer goes.
type origin struct {
	user, channel string
	thread        string // thread ts to answer in, if any
	responseURL   string // slash commands and button clicks
	dm            bool
	click         bool // answers to a click are for the clicker only
}

func (a *Adapter) request(o origin, line string) *commands.Request {
	return &commands.Request{Platform: "slack", User: o.user, Channel: o.channel, Text: line,
		IsAdmin: a.isAdmin(o.user), Thread: o.thread}
}

// refuse answers commands this adapter does not let a user run: acting on
// alerts is for the alert users (or admins), whether typed or clicked.
func (a *Adapter) refuse(o origin, line string) *commands.Reply {
	if commandName(line) != "alert" || a.mayActOnAlerts(o.user) {
		return nil
	}
	args, err := commands.Tokenize(line)
	if err != nil || len(args) < 2 {
		return nil // the command layer explains the usage
	}
	switch strings.ToLower(args[1]) {
	case "confirm", "dismiss", "reopen":
		return &commands.Reply{Title: "Not allowed", Error: true, Ephemeral: true,
			Text: "Only the alert reviewers named in the bot's configuration (slack.alert_users, else the admins) may confirm, dismiss or reopen alerts."}
	}
	return nil
}

// slashLine turns a slash command into a command line.
func (a *Adapter) slashLine(command, text string) (string, bool) {
	prefix, ok := a.slash[strings.ToLower(command)]
	if !ok {
		return "", false
	}
	return strings.TrimSpace(prefix + " " + text), true
}

// ephemeral reports whether a reply is shown only to the asker.
func (a *Adapter) ephemeral(r *commands.Reply) bool {
	return r.Ephemeral || r.Error || a.o.ReplyVisibility == "ephemeral"
}

func responseType(ephemeral bool) string {
	if ephemeral {
		return slackapi.ResponseTypeEphemeral
	}
	return slackapi.ResponseTypeInChannel
}

// slashCommand handles a slash command and returns the acknowledgement
// payload (nil: an empty acknowledgement). It returns within AckWait plus
// rendering time: the command goes on in the background when slower, and
// ingests are always answered later.
func (a *Adapter) slashCommand(ctx context.Context, sc slackapi.SlashCommand) any {
	o := origin{user: sc.UserID, channel: sc.ChannelID, responseURL: sc.ResponseURL,
		dm: strings.HasPrefix(sc.ChannelID, "D")}
	line, ok := a.slashLine(sc.Command, plainText(sc.Text))
	if !ok {
		return a.ack(&commands.Reply{Title: "Unknown command", Error: true,
			Text: fmt.Sprintf("This bot does not know %s. Try %s help.", sc.Command, a.anySlash())})
	}
	line = commandLine(line)
	if r := a.refuse(o, line); r != nil {
		return a.ack(r)
	}
	req := a.request(o, line)
	done := make(chan *commands.Reply, 1)
	a.spawn(func(ctx context.Context) { done <- a.o.Dispatcher.Dispatch(ctx, req) })
	if commandName(line) == "ingest" {
		a.spawn(func(ctx context.Context) { a.deliverWhenDone(ctx, o, done) })
		return a.ack(&commands.Reply{Ephemeral: true, Text: ingestProgress(line, req.IsAdmin)})
	}
	timer := time.NewTimer(a.o.AckWait)
	defer timer.Stop()
	select {
	case r := <-done:
		if p := a.ack(r); p != nil {
			return p
		}
		a.spawn(func(ctx context.Context) { a.deliver(ctx, o, r) })
		return nil
	case <-timer.C:
		a.spawn(func(ctx context.Context) { a.deliverWhenDone(ctx, o, done) })
		return a.ack(&commands.Reply{Ephemeral: true, Text: "Working on it…"})
	case <-ctx.Done():
		return nil
	}
}

func ingestProgress(line string, admin bool) string {
	if !admin {
		return "Checking…"
	}
	_, rest := firstWord(line)
	_, what := splitFlags(rest)
	what = strings.Trim(what, "'")
	if strings.TrimSpace(what) == "" {
		return "Checking…"
	}
	if isURL(what) && !strings.ContainsAny(what, " \n") {
		return "Fetching and reading " + truncate(what, 200) + "… the result follows here."
	}
	return fmt.Sprintf("Reading the pasted article (%d characters)… the result follows here.", len([]rune(what)))
}

func (a *Adapter) anySlash() string {
	for name, prefix := range a.slash {
		if prefix == "" {
			return name
		}
	}
	return "/newsbot"
}

// ack returns r as an acknowledgement payload when it fits one message
// under Slack's acknowledgement limit, else nil.
func (a *Adapter) ack(r *commands.Reply) any {
	msgs := renderMessages(r, 0)
	if len(msgs) != 1 {
		return nil
	}
	m := msgs[0]
	m.ResponseType = responseType(a.ephemeral(r))
	js, err := json.Marshal(m)
	if err != nil || len(js) >= maxAckBytes {
		return nil
	}
	return m
}

func (a *Adapter) deliverWhenDone(ctx context.Context, o origin, done <-chan *commands.Reply) {
	select {
	case r := <-done:
		a.deliver(ctx, o, r)
	case <-ctx.Done():
	}
}

// deliver posts a reply: through the response_url when there is one, else
// with chat.postMessage (or chat.postEphemeral) on the channel's queue.
// Replies longer than one message come as several; in a channel the later
// ones go into a thread under the first.
func (a *Adapter) deliver(ctx context.Context, o origin, r *commands.Reply) {
	eph := a.ephemeral(r) || o.click
	if o.responseURL != "" {
		for _, m := range renderMessages(r, responseURLUses) {
			m.ResponseType = responseType(eph)
			if err := a.respond(ctx, o.responseURL, o.channel, m); err != nil {
				a.log.Error("answering through response_url failed", "user", o.user, "channel", o.channel, "err", err)
				return
			}
		}
		return
	}
	a.post(o, r, eph && !o.dm, nil)
}

// respond posts m to a response_url, after Retry-After on a 429.
func (a *Adapter) respond(ctx context.Context, responseURL, channel string, m message) error {
	return withRateLimit(ctx, func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, channel, slackapi.MsgOptionResponseURL(responseURL, m.ResponseType),
			slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...))
		return err
	})
}

// post queues a reply for the channel; done (optional) learns the
// outcome. Pages already posted are not posted again on a retry.
func (a *Adapter) post(o origin, r *commands.Reply, eph bool, done func(error)) {
	msgs := renderMessages(r, 10)
	posted := 0
	thread := o.thread
	a.q.add(o.channel, &job{name: "reply to " + o.user, urgent: true, done: done, do: func(ctx context.Context) error {
		for posted < len(msgs) {
			m := msgs[posted]
			opts := []slackapi.MsgOption{slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...),
				slackapi.MsgOptionDisableLinkUnfurl()}
			if thread != "" {
				opts = append(opts, slackapi.MsgOptionTS(thread))
			}
			var err error
			var ts string
			if eph {
				ts, err = a.api.PostEphemeralContext(ctx, o.channel, o.user, opts...)
			} else {
				_, ts, err = a.api.PostMessageContext(ctx, o.channel, opts...)
			}
			if err != nil {
				return fmt.Errorf("post reply page %d/%d: %w", posted+1, len(msgs), err)
			}
			if thread == "" && !eph && len(msgs) > 1 {
				thread = ts
			}
			posted++
		}
		return nil
	}})
}

// runLine runs a command line from a mention, a DM or a click and posts
// the answer.
func (a *Adapter) runLine(ctx context.Context, o origin, line string) {
	if r := a.refuse(o, line); r != nil {
		a.deliver(ctx, o, r)
		return
	}
	req := a.request(o, line)
	if commandName(line) == "ingest" && req.IsAdmin {
		a.deliver(ctx, o, &commands.Reply{Ephemeral: true, Text: ingestProgress(line, true)})
	}
	r := a.o.Dispatcher.Dispatch(ctx, req)
	if commandName(line) == "alert" && !r.Error {
		a.refreshAlertFromLine(ctx, line)
	}
	a.deliver(ctx, o, r)
}

// event handles an Events API event (already acknowledged): mentions and
// direct messages become commands; a file shared in a DM is ingested.
func (a *Adapter) event(ev slackevents.EventsAPIEvent) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return
	}
	if cb.EventID != "" && !a.events.add(cb.EventID, a.o.Now()) {
		a.log.Debug("event delivered again: ignored", "event_id", cb.EventID)
		return
	}
	bot := a.bot()
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if e.BotID != "" || e.User == "" || e.User == bot {
			return
		}
		o := origin{user: e.User, channel: e.Channel, thread: e.ThreadTimeStamp}
		line := commandLine(plainText(stripMention(e.Text, bot)))
		a.spawn(func(ctx context.Context) { a.runLine(ctx, o, line) })
	case *slackevents.MessageEvent:
		if e.ChannelType != slackevents.ChannelTypeIM || e.BotID != "" || e.User == "" || e.User == bot {
			return
		}
		if e.SubType != "" && e.SubType != "file_share" {
			return // edits, deletions, joins
		}
		o := origin{user: e.User, channel: e.Channel, thread: e.ThreadTimeStamp, dm: true}
		text := plainText(stripMention(e.Text, bot))
		var files []slackapi.File
		if e.Message != nil {
			files = e.Message.Files
		}
		if len(files) > 0 {
			a.spawn(func(ctx context.Context) { a.ingestFiles(ctx, o, text, files) })
			return
		}
		if strings.TrimSpace(text) == "" {
			return
		}
		line := commandLine(text)
		a.spawn(func(ctx context.Context) { a.runLine(ctx, o, line) })
	}
}

// ingestFiles ingests the files a user shared with the bot in a DM. The
// message's text may carry --outlet and --date.
func (a *Adapter) ingestFiles(ctx context.Context, o origin, text string, files []slackapi.File) {
	_, rest := firstWord(text)
	if w, _ := firstWord(text); !strings.EqualFold(strings.TrimLeft(w, "/!"), "ingest") {
		rest = text
	}
	flags, _ := splitFlags(rest)
	line := strings.TrimSpace("ingest " + flags)
	if !a.isAdmin(o.user) {
		// Let the command layer refuse it, without downloading anything.
		a.deliver(ctx, o, a.o.Dispatcher.Dispatch(ctx, a.request(o, line)))
		return
	}
	for i := range files[:min(len(files), 10)] {
		f := &files[i]
		att, err := a.download(ctx, f)
		if err != nil {
			a.deliver(ctx, o, &commands.Reply{Title: "Could not read " + f.Name, Error: true, Text: err.Error()})
			continue
		}
		a.deliver(ctx, o, &commands.Reply{Text: fmt.Sprintf("Reading %s (%s)…", att.Name, sizeText(len(att.Data)))})
		req := a.request(o, line)
		req.Attachment = att
		a.deliver(ctx, o, a.o.Dispatcher.Dispatch(ctx, req))
	}
}

// errFileTooBig is returned for files over MaxFileBytes.
var errFileTooBig = errors.New("the file is too big")

// download fetches a shared file through its private URL with the bot
// token (files.info first when the event carried no URL).
func (a *Adapter) download(ctx context.Context, f *slackapi.File) (*commands.Attachment, error) {
	if f.URLPrivateDownload == "" && f.URLPrivate == "" && f.ID != "" {
		var info *slackapi.File
		err := withRateLimit(ctx, func(ctx context.Context) error {
			var err error
			info, _, _, err = a.api.GetFileInfoContext(ctx, f.ID, 0, 0)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("files.info %s: %w", f.ID, err)
		}
		f = info
	}
	if f.Size > int(a.o.MaxFileBytes) {
		return nil, fmt.Errorf("%w: %s, the limit is %s", errFileTooBig, sizeText(f.Size), sizeText(int(a.o.MaxFileBytes)))
	}
	u := f.URLPrivateDownload
	if u == "" {
		u = f.URLPrivate
	}
	var buf bytes.Buffer
	w := &capWriter{w: &buf, left: a.o.MaxFileBytes}
	err := withRateLimit(ctx, func(ctx context.Context) error {
		buf.Reset()
		w.left = a.o.MaxFileBytes
		return a.api.GetFileContext(ctx, u, w)
	})
	if errors.Is(err, errFileTooBig) {
		return nil, fmt.Errorf("%w: the limit is %s", errFileTooBig, sizeText(int(a.o.MaxFileBytes)))
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", f.Name, err)
	}
	name := f.Name
	if name == "" {
		name = f.Title
	}
	ct := f.Mimetype
	if ct == "" && (f.Filetype == "html" || strings.EqualFold(path.Ext(name), ".html")) {
		ct = "text/html"
	}
	return &commands.Attachment{Name: name, ContentType: ct, Data: buf.Bytes()}, nil
}

type capWriter struct {
	w    io.Writer
	left int64
}

func (c *capWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		return 0, errFileTooBig
	}
	c.left -= int64(len(p))
	return c.w.Write(p)
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// interaction handles a button click (already acknowledged). A button's
// value is the command line it stands for, run as the clicking user.
func (a *Adapter) interaction(cb slackapi.InteractionCallback) {
	if cb.Type != slackapi.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	act := cb.ActionCallback.BlockActions[0]
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	o := origin{user: cb.User.ID, channel: channel, responseURL: cb.ResponseURL,
		thread: cb.Container.ThreadTs, click: true}
	line := strings.TrimSpace(act.Value)
	if line == "" {
		return
	}
	a.spawn(func(ctx context.Context) { a.runLine(ctx, o, line) })
}

// refreshAlertFromLine re-renders every Slack post of the alert an
// `alert confirm|dismiss|reopen ID` line acted on.
func (a *Adapter) refreshAlertFromLine(ctx context.Context, line string) {
	args, err := commands.Tokenize(line)
	if err != nil || len(args) < 3 {
		return
	}
	id, err := store.ParseRef('A', args[2])
	if err != nil {
		return
	}
	a.refreshAlert(ctx, id)
}
