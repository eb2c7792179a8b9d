// Package matrix is the Matrix adapter: it syncs with a homeserver through
// mautrix, answers commands (`!who-said refugees`, `!newsbot status x`,
// `/who-said x`, mentions of the bot, any text in a direct chat) with
// m.notice replies, posts contradiction alerts to the configured rooms and
// takes articles from admins (`!ingest URL`, pasted text, uploaded files).
// Encrypted rooms work when the binary is built with -tags goolm; without
// it the bot refuses to send into them rather than send plaintext.
package matrix

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// Options configure an adapter.
type Options struct {
	Config config.Matrix
	// Admins are "platform:user" ids; the "matrix:@user:server" ones are
	// admins here.
	Admins     []string
	Store      *store.Store
	Dispatcher commands.Dispatcher
	// Known reports whether a word names a command, so that `!word` from
	// other bots in a room is left alone. Nil: every word is a command.
	Known func(name string) bool
	// MaxFileBytes bounds uploaded files read for ingestion (default 10 MiB).
	MaxFileBytes int64
	// CryptoPath is the crypto store's file (Config.CryptoDB, resolved).
	CryptoPath string
	Logger     *slog.Logger
	Now        func() time.Time
	HTTPClient *http.Client
	// MinBackoff and MaxBackoff bound the wait between failed requests to
	// the homeserver (defaults 1s and 30s).
	MinBackoff, MaxBackoff time.Duration
	// MaxConcurrent is how many commands run at once (default 4).
	MaxConcurrent int
}

// Adapter is a running Matrix bot.
type Adapter struct {
	opt    Options
	log    *slog.Logger
	st     state
	admins map[id.UserID]bool
	rd     renderer

	alerts chan notify.Alert
	sweep  chan struct{}
	ready  chan struct{} // closed after the first successful sync
	once   sync.Once

	// Set in Run, before the sync loop starts.
	cli       *mautrix.Client
	parser    parser
	handled   *handled
	startedAt time.Time
	sem       chan struct{}
	wg        sync.WaitGroup

	mu         sync.Mutex
	encrypted  map[id.RoomID]bool // rooms known to be encrypted
	dms        map[id.RoomID]bool // rooms the bot was invited to as a direct chat
	direct     map[id.RoomID]directness
	alertRooms map[string]id.RoomID // configured id or alias → joined room
}

type directness struct {
	direct bool
	at     time.Time
}

// startSkew tolerates clocks: events up to this long before start-up still
// count as new (they cannot have been answered: they are claimed durably).
const startSkew = 2 * time.Second

// New checks the configuration and returns an adapter; Run connects.
func New(o Options) (*Adapter, error) {
	c := o.Config
	if c.Homeserver == "" || (c.AccessToken == "" && c.Password == "") {
		return nil, errors.New("matrix: set matrix.homeserver and matrix.access_token or matrix.password")
	}
	if c.Password != "" && c.AccessToken == "" && c.UserID == "" {
		return nil, errors.New("matrix: password login needs matrix.user_id")
	}
	if o.Store == nil || o.Dispatcher == nil {
		return nil, errors.New("matrix: a store and a dispatcher are required")
	}
	if c.Encryption && !cryptoAvailable {
		return nil, fmt.Errorf("matrix: %w", errNoCryptoBuild)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 3 * time.Minute}
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(30*time.Second, o.MinBackoff)
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = 10 << 20
	}
	if o.CryptoPath == "" {
		o.CryptoPath = c.CryptoDB
	}
	prefix := c.CommandPrefix
	if prefix == "" {
		prefix = "!"
	}
	a := &Adapter{opt: o, log: o.Logger.With("platform", "matrix"), st: state{st: o.Store},
		admins: map[id.UserID]bool{}, rd: renderer{prefix: prefix},
		alerts: make(chan notify.Alert, 256), sweep: make(chan struct{}, 1), ready: make(chan struct{}),
		encrypted: map[id.RoomID]bool{}, dms: map[id.RoomID]bool{}, direct: map[id.RoomID]directness{}, alertRooms: map[string]id.RoomID{}}
	for _, u := range o.Admins {
		if rest, ok := strings.CutPrefix(u, "matrix:"); ok {
			a.admins[id.UserID(rest)] = true
		}
	}
	return a, nil
}

// errNoCryptoBuild is why an encrypted room cannot be served.
var errNoCryptoBuild = errors.New("this build has no end-to-end encryption (build with -tags goolm), " +
	"or set matrix.encryption = false to serve unencrypted rooms only")

// Name is "matrix".
func (a *Adapter) Name() string { return "matrix" }

// Ready is closed once the bot has synced with the homeserver.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// Run logs in, syncs and answers until ctx is done. A homeserver that is
// down or restarting is retried with backoff; a refused login or access
// token ends Run with an error.
func (a *Adapter) Run(ctx context.Context) error {
	a.startedAt = a.opt.Now()
	cli, err := a.login(ctx)
	if err != nil {
		return err
	}
	a.cli = cli
	a.log.Info("logged in", "user", cli.UserID, "device", cli.DeviceID)
	closeCrypto := func() error { return nil }
	if a.opt.Config.Encryption {
		key, err := a.pickleKey(ctx)
		if err != nil {
			return err
		}
		closer, fresh, err := setupCrypto(ctx, cli, a.opt.CryptoPath, key, a.log)
		if err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
		closeCrypto = closer
		if fresh {
			// The crypto store records room state as it syncs: a new one
			// needs a full sync, not one resumed from the old token.
			if err := a.st.SaveNextBatch(ctx, cli.UserID, ""); err != nil {
				closer()
				return err
			}
		}
	} else {
		cli.StateStore = mautrix.NewMemoryStateStore()
		cli.Syncer.(mautrix.ExtensibleSyncer).OnEvent(cli.StateStoreSyncHandler)
	}
	defer closeCrypto()

	if a.handled, err = loadHandled(ctx, a.st, cli.UserID); err != nil {
		return err
	}
	if err := a.loadDMs(ctx); err != nil {
		return err
	}
	a.parser = parser{bot: a.identity(ctx), prefix: a.rd.prefix, known: a.opt.Known}
	a.sem = make(chan struct{}, a.opt.MaxConcurrent)
	sy := cli.Syncer.(*syncer)
	sy.OnEventType(event.EventMessage, a.onMessage)
	sy.OnEventType(event.StateMember, a.onMember)
	if cli.Crypto == nil {
		sy.OnEventType(event.EventEncrypted, a.onUndecryptable)
	}

	posterDone := make(chan struct{})
	go func() {
		defer close(posterDone)
		a.poster(ctx)
	}()
	err = cli.SyncWithContext(ctx)
	a.wg.Wait()
	<-posterDone
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("matrix sync: %w", err)
	}
	return nil
}

// login makes a client with an access token (checked with whoami) or a
// password. With a password the device id is kept in the state bucket and
// reused, so the bot stays one device across restarts.
func (a *Adapter) login(ctx context.Context) (*mautrix.Client, error) {
	c := a.opt.Config
	cli, err := mautrix.NewClient(c.Homeserver, id.UserID(c.UserID), c.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	cli.Client = a.opt.HTTPClient
	cli.UserAgent = "newsbot (mautrix-go)"
	cli.Log = zerologTo(a.log)
	cli.Store = a.st
	cli.Syncer = newSyncer(a)
	if c.AccessToken != "" {
		var who *mautrix.RespWhoami
		err = a.retry(ctx, "check the access token", func() error {
			var err error
			who, err = cli.Whoami(ctx)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("matrix: check the access token: %w", err)
		}
		if c.UserID != "" && who.UserID != id.UserID(c.UserID) {
			return nil, fmt.Errorf("matrix: the access token belongs to %s, not matrix.user_id %s", who.UserID, c.UserID)
		}
		cli.UserID, cli.DeviceID = who.UserID, who.DeviceID
		if cli.DeviceID == "" {
			cli.DeviceID = id.DeviceID(c.DeviceID)
		} else if c.DeviceID != "" && cli.DeviceID != id.DeviceID(c.DeviceID) {
			return nil, fmt.Errorf("matrix: the access token is for device %s, not matrix.device_id %s", cli.DeviceID, c.DeviceID)
		}
		if a.opt.Config.Encryption && cli.DeviceID == "" {
			return nil, errors.New("matrix: the homeserver did not say which device the access token is for; set matrix.device_id")
		}
		return cli, nil
	}
	device := id.DeviceID(c.DeviceID)
	if device == "" {
		stored, err := a.st.get(ctx, cli.UserID, "device_id")
		if err != nil {
			return nil, err
		}
		device = id.DeviceID(stored)
	}
	err = a.retry(ctx, "log in", func() error {
		_, err := cli.Login(ctx, &mautrix.ReqLogin{Type: mautrix.AuthTypePassword,
			Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: c.UserID},
			Password:   c.Password, DeviceID: device, InitialDeviceDisplayName: "newsbot", StoreCredentials: true})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("matrix: log in as %s: %w", c.UserID, err)
	}
	if err := a.st.put(ctx, cli.UserID, "device_id", string(cli.DeviceID)); err != nil {
		return nil, err
	}
	return cli, nil
}

// pickleKey is the key the crypto store's secrets are encrypted with: the
// configured one, else one made on first use and kept in the state bucket.
func (a *Adapter) pickleKey(ctx context.Context) ([]byte, error) {
	if k := a.opt.Config.PickleKey; k != "" {
		return []byte(k), nil
	}
	k, err := a.st.get(ctx, a.cli.UserID, "pickle_key")
	if err != nil || k != "" {
		return []byte(k), err
	}
	buf := make([]byte, 32)
	rand.Read(buf)
	k = hex.EncodeToString(buf)
	a.log.Warn("matrix.pickle_key is not set: made one and keep it in the database, so the crypto store is only as safe as the database file")
	return []byte(k), a.st.put(ctx, a.cli.UserID, "pickle_key", k)
}

// identity is how users may address the bot.
func (a *Adapter) identity(ctx context.Context) botIdentity {
	b := botIdentity{UserID: string(a.cli.UserID), Localpart: a.cli.UserID.Localpart()}
	if resp, err := a.cli.GetOwnDisplayName(ctx); err == nil {
		b.DisplayName = resp.DisplayName
	}
	return b
}

func (a *Adapter) isAdmin(u id.UserID) bool { return a.admins[u] }

// allowed reports whether u may invite and command the bot: admins,
// matrix.allowed_users (user ids, or "*:server" for a whole server), users
// of matrix.allowed_servers; with neither list set, users of the bot's own
// server.
func (a *Adapter) allowed(u id.UserID) bool {
	c := a.opt.Config
	server := u.Homeserver()
	if a.isAdmin(u) || slices.Contains(c.AllowedUsers, string(u)) ||
		(server != "" && slices.Contains(c.AllowedUsers, "*:"+server)) {
		return true
	}
	if len(c.AllowedUsers) == 0 && len(c.AllowedServers) == 0 {
		return server != "" && server == a.cli.UserID.Homeserver()
	}
	return server != "" && slices.Contains(c.AllowedServers, server)
}

// onMember joins rooms the bot is invited to by someone allowed, and
// declines other invitations.
func (a *Adapter) onMember(ctx context.Context, evt *event.Event) {
	if ctx.Err() != nil {
		return
	}
	if evt.GetStateKey() != string(a.cli.UserID) || evt.Mautrix.EventSource&event.SourceInvite == 0 {
		return
	}
	if evt.Content.AsMember().Membership != event.MembershipInvite {
		return
	}
	room, inviter, isDM := evt.RoomID, evt.Sender, evt.Content.AsMember().IsDirect
	a.wg.Go(func() {
		if !a.allowed(inviter) {
			a.log.Warn("declining an invitation from a user not allowed to invite the bot", "room", room, "inviter", inviter)
			if _, err := a.cli.LeaveRoom(ctx, room); err != nil {
				a.log.Warn("declining the invitation failed", "room", room, "err", err)
			}
			return
		}
		err := a.retry(ctx, "join "+string(room), func() error {
			_, err := a.cli.JoinRoomByID(ctx, room)
			return err
		})
		if err != nil {
			a.log.Error("joining a room failed", "room", room, "inviter", inviter, "err", err)
			return
		}
		a.log.Info("joined a room", "room", room, "inviter", inviter, "direct", isDM)
		if isDM {
			if err := a.markDM(ctx, room); err != nil {
				a.log.Error("cannot record a direct chat", "room", room, "err", err)
			}
		}
	})
}

// onUndecryptable logs encrypted messages a build without encryption
// cannot read.
func (a *Adapter) onUndecryptable(ctx context.Context, evt *event.Event) {
	if evt.Sender == a.cli.UserID || time.UnixMilli(evt.Timestamp).Before(a.startedAt.Add(-startSkew)) {
		return
	}
	a.log.Warn("ignoring an encrypted message", "room", evt.RoomID, "sender", evt.Sender, "why", errNoCryptoBuild)
}

// onMessage turns a message into a command and answers it.
func (a *Adapter) onMessage(ctx context.Context, evt *event.Event) {
	if ctx.Err() != nil {
		return // a late decryption after Run ended
	}
	if evt.Sender == a.cli.UserID || time.UnixMilli(evt.Timestamp).Before(a.startedAt.Add(-startSkew)) ||
		!a.allowed(evt.Sender) {
		return
	}
	content := evt.Content.AsMessage()
	if content.RelatesTo.GetReplaceID() != "" {
		return // an edit: the original was answered
	}
	var req *commands.Request
	var file *event.MessageEventContent
	switch content.MsgType {
	case event.MsgText:
		line, ok := a.commandLine(ctx, evt.RoomID, content, content.Body)
		if !ok {
			return
		}
		req = a.request(evt, content, line)
	case event.MsgFile:
		if !a.isAdmin(evt.Sender) {
			return
		}
		line := "ingest"
		if caption := content.GetCaption(); caption != "" {
			l, ok := a.commandLine(ctx, evt.RoomID, content, caption)
			if !ok || firstWord(l) != "ingest" {
				return
			}
			line = l
		} else if !a.isDirect(ctx, evt.RoomID) {
			return // a file shared in a room, not sent to the bot
		}
		req, file = a.request(evt, content, line), content
	default:
		return
	}
	fresh, err := a.handled.claim(ctx, evt.ID)
	if err != nil {
		a.log.Error("cannot record a command as handled; not answering it", "event", evt.ID, "err", err)
		return
	}
	if !fresh {
		a.log.Debug("event already handled", "event", evt.ID)
		return
	}
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return
	}
	a.wg.Go(func() {
		defer func() { <-a.sem }()
		a.answer(ctx, evt, req, file)
	})
}

func (a *Adapter) request(evt *event.Event, content *event.MessageEventContent, line string) *commands.Request {
	return &commands.Request{Platform: "matrix", User: string(evt.Sender), Channel: string(evt.RoomID),
		Text: line, IsAdmin: a.isAdmin(evt.Sender), Thread: string(content.RelatesTo.GetThreadParent())}
}

// commandLine parses text as a command, looking up whether the room is a
// direct chat only when that decides it.
func (a *Adapter) commandLine(ctx context.Context, room id.RoomID, content *event.MessageEventContent, text string) (string, bool) {
	in := incoming{Body: text, IsReply: content.RelatesTo.GetReplyTo() != ""}
	if content.Format == event.FormatHTML {
		in.FormattedBody = event.TrimReplyFallbackHTML(content.FormattedBody)
	}
	if content.Mentions != nil {
		for _, u := range content.Mentions.UserIDs {
			in.Mentions = append(in.Mentions, string(u))
		}
	}
	if line, ok := a.parser.parse(in); ok {
		return line, true
	}
	in.Direct = a.isDirect(ctx, room)
	if !in.Direct {
		return "", false
	}
	return a.parser.parse(in)
}

// isDirect reports whether room is a direct chat: the bot was invited to
// it as one, and only the bot and one other user are in it.
func (a *Adapter) isDirect(ctx context.Context, room id.RoomID) bool {
	a.mu.Lock()
	dm := a.dms[room]
	d, ok := a.direct[room]
	a.mu.Unlock()
	if !dm {
		return false
	}
	if ok && a.opt.Now().Sub(d.at) < 5*time.Minute {
		return d.direct
	}
	resp, err := a.cli.JoinedMembers(ctx, room)
	if err != nil {
		a.log.Warn("cannot list room members", "room", room, "err", err)
		return false
	}
	d = directness{direct: len(resp.Joined) == 2, at: a.opt.Now()}
	a.mu.Lock()
	a.direct[room] = d
	a.mu.Unlock()
	return d.direct
}

// answer runs a command and sends the reply, in the command's thread if it
// has one, else as a reply to it.
func (a *Adapter) answer(ctx context.Context, evt *event.Event, req *commands.Request, file *event.MessageEventContent) {
	if file != nil {
		att, err := a.download(ctx, file)
		if err != nil {
			a.log.Warn("cannot read an uploaded file", "event", evt.ID, "err", err)
			a.reply(ctx, evt, &commands.Reply{Title: "Cannot read the file", Text: err.Error(), Error: true})
			return
		}
		if htmlFile(att.Name, att.ContentType) {
			// The ingest command reads text: give it the page's text, as if
			// pasted.
			text, err := htmlText(att.Data)
			if err != nil || text == "" {
				a.reply(ctx, evt, &commands.Reply{Title: "Cannot read the file", Error: true,
					Text: fmt.Sprintf("%s has no article text this bot can find.", att.Name)})
				return
			}
			req.Text += " " + commands.Quote(text)
		} else {
			req.Attachment = att
		}
	}
	a.log.Debug("command", "room", evt.RoomID, "user", evt.Sender, "text", req.Text)
	a.reply(ctx, evt, a.opt.Dispatcher.Dispatch(ctx, req))
}

func (a *Adapter) reply(ctx context.Context, evt *event.Event, rep *commands.Reply) {
	m := a.rd.reply(rep)
	content := &event.MessageEventContent{MsgType: event.MsgNotice, Body: m.Body, Format: event.FormatHTML,
		FormattedBody: m.HTML, Mentions: &event.Mentions{UserIDs: []id.UserID{evt.Sender}}}
	if root := evt.Content.AsMessage().RelatesTo.GetThreadParent(); root != "" {
		content.RelatesTo = (&event.RelatesTo{}).SetThread(root, evt.ID)
		content.RelatesTo.IsFallingBack = false
	} else {
		content.RelatesTo = (&event.RelatesTo{}).SetReplyTo(evt.ID)
	}
	if _, err := a.send(ctx, evt.RoomID, content, txnID("re", string(evt.ID))); err != nil {
		a.log.Error("sending a reply failed", "room", evt.RoomID, "event", evt.ID, "err", err)
	}
}

// Notifier queues alerts for the alert rooms. Alerts are stored before they
// are posted, so one the queue cannot take, or that fails to post, is
// posted later by the sweep over the alerts still owed to each room.
func (a *Adapter) Notifier() notify.Notifier {
	return notify.Func(func(ctx context.Context, al notify.Alert) error {
		select {
		case a.alerts <- al:
		default:
			a.log.Warn("alert queue full; the alert will be posted by the next sweep", "alert", al.ID)
		}
		return nil
	})
}
