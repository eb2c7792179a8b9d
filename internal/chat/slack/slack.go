// Package slack is newsbot's Slack adapter. It maps slash commands,
// @mentions, direct messages, shared files and button clicks to
// commands.Request, renders commands.Reply as Block Kit, and posts
// contradiction alerts to the configured channels. It speaks Socket Mode
// (no public URL needed) or signed HTTP requests.
//
// Every Slack request is acknowledged within three seconds: the command runs
// in the background and, when it is not done by AckWait, its answer follows
// through the response_url or chat.postMessage.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"newsbot/internal/commands"
	"newsbot/internal/store"
)

// Options configure the adapter. Dispatcher and Store are required; so is
// BotToken, and AppToken in socket mode or SigningSecret in http mode.
type Options struct {
	BotToken      string
	AppToken      string // xapp-…, socket mode
	SigningSecret string // http mode
	// Mode is "socket" (default) or "http".
	Mode string
	// Listen is the http mode's address ("127.0.0.1:3000").
	Listen string
	// APIURL is the Web API base ("https://slack.com/api/"); empty: Slack's.
	APIURL string
	// Commands maps the command keys who_said, status, ingest and newsbot
	// to the slash-command names registered in the Slack app.
	Commands map[string]string
	// AlertChannels are the channel ids alerts are posted to.
	AlertChannels []string
	// ReplyVisibility is "in_channel" (default) or "ephemeral". Help and
	// errors are always ephemeral.
	ReplyVisibility string
	// Admins are the "slack:U…" entries of admins.users (other platforms'
	// entries are ignored).
	Admins []string
	// AlertUsers may confirm and dismiss alerts (Slack user ids); empty:
	// the admins.
	AlertUsers []string
	// MaxFileBytes caps a shared file's size (default 10 MiB).
	MaxFileBytes int64

	Dispatcher commands.Dispatcher
	Store      *store.Store
	Logger     *slog.Logger
	HTTPClient *http.Client

	// Tuning; zero values mean the defaults.
	AckWait        time.Duration // how long a slash command may take to answer in the ack (1.5s)
	ChannelSpacing time.Duration // gap between two posts in one channel (1s)
	RetryBase      time.Duration // first retry of a failed alert post (2s)
	RetryMax       time.Duration // longest wait between retries (5m)
	SweepEvery     time.Duration // how often unposted alerts are looked for (1m)
	Now            func() time.Time
}

// Adapter is the Slack chat adapter.
type Adapter struct {
	o          Options
	api        *slackapi.Client
	log        *slog.Logger
	q          *queues
	slash      map[string]string // "/who-said" → "who-said"
	admins     map[string]bool   // Slack user ids
	alertUsers map[string]bool

	mu     sync.Mutex
	botID  string
	runCtx context.Context
	owed   map[string]bool // "alertID/channel" queued for posting
	bg     sync.WaitGroup
	events *seenSet // Events API event ids already handled
	sigs   *seenSet // request signatures already accepted (http mode)
	addr   chan string
}

// channelID matches a Slack conversation id: alert posts are recorded and
// updated by id.
var channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)

// commandPrefix is what each slash command puts before its text.
var commandPrefix = map[string]string{"who_said": "who-said", "status": "status", "ingest": "ingest", "newsbot": ""}

// New checks the options and builds the adapter. It does not connect:
// Run does.
func New(o Options) (*Adapter, error) {
	if o.Dispatcher == nil || o.Store == nil {
		return nil, fmt.Errorf("slack: a dispatcher and a store are required")
	}
	if o.BotToken == "" {
		return nil, fmt.Errorf("slack: a bot token is required")
	}
	if o.Mode == "" {
		o.Mode = "socket"
	}
	switch o.Mode {
	case "socket":
		if o.AppToken == "" {
			return nil, fmt.Errorf("slack: socket mode needs an app-level token (xapp-…)")
		}
	case "http":
		if o.SigningSecret == "" {
			return nil, fmt.Errorf("slack: http mode needs the signing secret")
		}
	default:
		return nil, fmt.Errorf("slack: mode %q: want socket or http", o.Mode)
	}
	if o.ReplyVisibility == "" {
		o.ReplyVisibility = "in_channel"
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = 10 << 20
	}
	if o.AckWait <= 0 {
		o.AckWait = 1500 * time.Millisecond
	}
	if o.ChannelSpacing == 0 {
		o.ChannelSpacing = time.Second
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 2 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 5 * time.Minute
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	log := o.Logger.With("platform", "slack")
	opts := []slackapi.Option{slackapi.OptionHTTPClient(o.HTTPClient), slackapi.OptionLog(slogLogger{log})}
	if o.AppToken != "" {
		opts = append(opts, slackapi.OptionAppLevelToken(o.AppToken))
	}
	if o.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(strings.TrimRight(o.APIURL, "/")+"/"))
	}
	a := &Adapter{
		o: o, api: slackapi.New(o.BotToken, opts...), log: log,
		q:          newQueues(log, max(0, o.ChannelSpacing), backoff{o.RetryBase, o.RetryMax}),
		slash:      map[string]string{},
		admins:     map[string]bool{},
		alertUsers: map[string]bool{},
		owed:       map[string]bool{},
		events:     newSeenSet(10 * time.Minute),
		sigs:       newSeenSet(6 * time.Minute),
		addr:       make(chan string, 1),
	}
	for _, ch := range o.AlertChannels {
		if !channelID.MatchString(ch) {
			return nil, fmt.Errorf("slack: alert channel %q: give the channel id (like C0123ABCD, in the channel's details), not its name", ch)
		}
	}
	for key, name := range o.Commands {
		prefix, ok := commandPrefix[key]
		if !ok {
			return nil, fmt.Errorf("slack: unknown command key %q (want who_said, status, ingest or newsbot)", key)
		}
		a.slash[strings.ToLower(name)] = prefix
	}
	for _, u := range o.Admins {
		if id, ok := strings.CutPrefix(u, "slack:"); ok {
			a.admins[id] = true
		}
	}
	for _, u := range o.AlertUsers {
		a.alertUsers[strings.TrimPrefix(u, "slack:")] = true
	}
	return a, nil
}

// Name is the platform.
func (a *Adapter) Name() string { return "slack" }

// Addr returns the address the http mode listens on, once it listens.
func (a *Adapter) Addr(ctx context.Context) (string, error) {
	select {
	case s := <-a.addr:
		a.addr <- s
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Run connects to Slack and serves until ctx is done. Unposted alerts are
// posted as soon as it starts, and looked for again every SweepEvery.
func (a *Adapter) Run(ctx context.Context) error {
	auth, err := a.authTest(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.mu.Lock()
	a.botID = auth.UserID
	a.runCtx = ctx
	a.mu.Unlock()
	a.log.Info("connected to Slack", "team", auth.Team, "bot_user", auth.UserID, "mode", a.o.Mode)

	var workers sync.WaitGroup
	workers.Go(func() { a.q.run(ctx) })
	workers.Go(func() { a.sweepLoop(ctx) })
	defer func() {
		cancel()
		a.bg.Wait()
		workers.Wait()
	}()
	if a.o.Mode == "http" {
		return a.runHTTP(ctx)
	}
	return a.runSocket(ctx)
}

// authTest learns the bot's user id. A refused token is fatal; Slack
// being unreachable is retried with backoff, so that the bot can start
// before the network is up.
func (a *Adapter) authTest(ctx context.Context) (*slackapi.AuthTestResponse, error) {
	b := backoff{time.Second, time.Minute}
	for n := 1; ; n++ {
		auth, err := a.api.AuthTestContext(ctx)
		if err == nil {
			return auth, nil
		}
		var se slackapi.SlackErrorResponse
		var rl *slackapi.RateLimitedError
		wait := b.wait(n)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &se):
			return nil, fmt.Errorf("slack auth.test: %w (check slack.bot_token)", err)
		case errors.As(err, &rl):
			wait = max(wait, rl.RetryAfter)
		}
		a.log.Warn("cannot reach Slack; retrying", "err", err, "retry_in", wait)
		if !sleep(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}

// spawn runs fn in the background on the adapter's run context.
func (a *Adapter) spawn(fn func(ctx context.Context)) {
	a.mu.Lock()
	ctx := a.runCtx
	a.mu.Unlock()
	if ctx == nil || ctx.Err() != nil {
		return
	}
	a.bg.Go(func() { fn(ctx) })
}

func (a *Adapter) bot() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

func (a *Adapter) isAdmin(user string) bool { return a.admins[user] }

// mayActOnAlerts: the alert users, or the admins when none are named.
func (a *Adapter) mayActOnAlerts(user string) bool {
	if len(a.alertUsers) > 0 {
		return a.alertUsers[user]
	}
	return a.admins[user]
}

// seenSet remembers keys for a while: event ids Slack may deliver twice,
// request signatures a replay would reuse.
type seenSet struct {
	mu   sync.Mutex
	ttl  time.Duration
	seen map[string]time.Time
}

func newSeenSet(ttl time.Duration) *seenSet {
	return &seenSet{ttl: ttl, seen: map[string]time.Time{}}
}

// add records key and reports whether it is new.
func (s *seenSet) add(key string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.seen[key]; ok && now.Sub(t) < s.ttl {
		return false
	}
	if len(s.seen) > 1000 {
		for k, t := range s.seen {
			if now.Sub(t) >= s.ttl {
				delete(s.seen, k)
			}
		}
	}
	s.seen[key] = now
	return true
}

// slogLogger lets slack-go's debug output reach slog (at debug level).
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Output(_ int, msg string) error {
	s.l.Debug(strings.TrimSpace(msg))
	return nil
}
