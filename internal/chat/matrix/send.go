package matrix

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"newsbot/internal/commands"
)

// txnID is a transaction id derived from what is sent (a reply to an
// event, an alert to a room), so a retried send is one message: the
// homeserver de-duplicates by transaction id.
func txnID(kind string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "newsbot-" + kind + "-" + hex.EncodeToString(h[:12])
}

// errEncryptedRoom: the room is encrypted and this bot cannot encrypt.
var errEncryptedRoom = errors.New("the room is encrypted and end-to-end encryption is off; not sending plaintext")

// send sends content to room, encrypted when the room is, retrying
// transient failures with backoff under one transaction id. Whether the
// room is encrypted is asked of the homeserver when the local state does
// not say so: a message is never sent in plaintext to an encrypted room.
func (a *Adapter) send(ctx context.Context, room id.RoomID, content *event.MessageEventContent, txn string) (id.EventID, error) {
	var evtID id.EventID
	err := a.retry(ctx, "send to "+string(room), func() error {
		enc, err := a.roomEncrypted(ctx, room)
		if err != nil {
			return err
		}
		evtType, payload := event.EventMessage, any(content)
		if enc {
			if a.cli.Crypto == nil {
				return permanent{errEncryptedRoom}
			}
			encrypted, err := a.cli.Crypto.Encrypt(ctx, room, event.EventMessage, content)
			if err != nil {
				return fmt.Errorf("encrypt: %w", err)
			}
			evtType, payload = event.EventEncrypted, encrypted
		}
		resp, err := a.cli.SendMessageEvent(ctx, room, evtType, payload,
			mautrix.ReqSendEvent{TransactionID: txn, DontEncrypt: true})
		if err != nil {
			return err
		}
		evtID = resp.EventID
		return nil
	})
	return evtID, err
}

// roomEncrypted reports whether room is encrypted, from the crypto state
// store or a room known to be, else from the room's state on the server.
func (a *Adapter) roomEncrypted(ctx context.Context, room id.RoomID) (bool, error) {
	if ss := a.cli.StateStore; ss != nil {
		if enc, err := ss.IsEncrypted(ctx, room); err == nil && enc {
			return true, nil
		}
	}
	a.mu.Lock()
	known := a.encrypted[room]
	a.mu.Unlock()
	if known {
		return true, nil
	}
	var c event.EncryptionEventContent
	err := a.cli.StateEvent(ctx, room, event.StateEncryption, "", &c)
	if errors.Is(err, mautrix.MNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check whether %s is encrypted: %w", room, err)
	}
	if c.Algorithm == "" {
		// The event exists but names no algorithm: still an encrypted room
		// as far as sending plaintext is concerned.
		c.Algorithm = id.AlgorithmMegolmV1
	}
	a.mu.Lock()
	a.encrypted[room] = true
	a.mu.Unlock()
	if ss := a.cli.StateStore; ss != nil {
		if err := ss.SetEncryptionEvent(ctx, room, &c); err != nil {
			a.log.Warn("cannot record a room's encryption", "room", room, "err", err)
		}
	}
	return true, nil
}

// permanent marks an error retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// transient reports whether err may go away by itself: the homeserver is
// unreachable, overloaded or restarting, or rate-limits us.
func transient(err error) bool {
	var p permanent
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var he mautrix.HTTPError
	if errors.As(err, &he) {
		if he.Response == nil {
			return true // no answer at all: network
		}
		c := he.Response.StatusCode
		return c == http.StatusTooManyRequests || c >= 500
	}
	var re mautrix.RespError
	if errors.As(err, &re) {
		return re.StatusCode == http.StatusTooManyRequests || re.StatusCode >= 500
	}
	return true // network and other local failures
}

// giveUpAfter bounds how long one message is retried; the homeserver
// restarting takes seconds, not this long.
const giveUpAfter = 10 * time.Minute

// retry calls fn until it succeeds, fails permanently, has been failing for
// giveUpAfter, or ctx ends, waiting with exponential backoff and jitter
// between attempts.
func (a *Adapter) retry(ctx context.Context, what string, fn func() error) error {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !transient(err) || time.Since(start) > giveUpAfter {
			return err
		}
		d := a.backoff(attempt)
		a.log.Warn("homeserver request failed; retrying", "what", what, "attempt", attempt, "in", d.Round(time.Millisecond), "err", err)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// backoff is the wait after the n-th consecutive failure: doubling from
// MinBackoff up to MaxBackoff, with ±20% jitter.
func (a *Adapter) backoff(n int) time.Duration {
	d := a.opt.MinBackoff
	for i := 1; i < n && d < a.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, a.opt.MaxBackoff)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// download fetches an uploaded file (decrypting it in encrypted rooms),
// refusing files over MaxFileBytes.
func (a *Adapter) download(ctx context.Context, c *event.MessageEventContent) (*commands.Attachment, error) {
	name := path.Base(strings.ReplaceAll(c.GetFileName(), "\\", "/"))
	mime := ""
	if c.Info != nil {
		mime = c.Info.MimeType
		if c.Info.Size > 0 && int64(c.Info.Size) > a.opt.MaxFileBytes {
			return nil, fmt.Errorf("%s is %d bytes; the limit is %d", name, c.Info.Size, a.opt.MaxFileBytes)
		}
	}
	raw := c.URL
	if c.File != nil {
		raw = c.File.URL
	}
	mxc, err := raw.Parse()
	if err != nil || mxc.IsEmpty() {
		return nil, fmt.Errorf("the message names no file to download")
	}
	var data []byte
	err = a.retry(ctx, "download "+mxc.String(), func() error {
		resp, err := a.cli.Download(ctx, mxc)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err = io.ReadAll(io.LimitReader(resp.Body, a.opt.MaxFileBytes+1))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", name, err)
	}
	if int64(len(data)) > a.opt.MaxFileBytes {
		return nil, fmt.Errorf("%s is over the limit of %d bytes", name, a.opt.MaxFileBytes)
	}
	if c.File != nil {
		if err := c.File.PrepareForDecryption(); err != nil {
			return nil, fmt.Errorf("decrypt %s: %w", name, err)
		}
		if err := c.File.DecryptInPlace(data); err != nil {
			return nil, fmt.Errorf("decrypt %s: %w", name, err)
		}
	}
	return &commands.Attachment{Name: name, ContentType: mime, Data: data}, nil
}

// syncer is mautrix's default syncer with our backoff between failed
// syncs, and a hook that notices when syncing works again.
type syncer struct {
	*mautrix.DefaultSyncer
	a     *Adapter
	fails int // consecutive failed syncs; the sync loop's goroutine only
}

func newSyncer(a *Adapter) *syncer {
	s := &syncer{DefaultSyncer: mautrix.NewDefaultSyncer(), a: a}
	s.OnSync(func(ctx context.Context, resp *mautrix.RespSync, since string) bool {
		if s.fails > 0 {
			a.log.Info("syncing with the homeserver again", "after_failures", s.fails)
			s.fails = 0
			a.kickSweep()
		}
		a.once.Do(func() {
			close(a.ready)
			a.kickSweep()
		})
		return true
	})
	return s
}

// OnFailedSync waits longer after each failure; a refused access token
// ends the sync.
func (s *syncer) OnFailedSync(_ *mautrix.RespSync, err error) (time.Duration, error) {
	if errors.Is(err, mautrix.MUnknownToken) {
		return 0, fmt.Errorf("the homeserver no longer accepts the access token: %w", err)
	}
	s.fails++
	d := s.a.backoff(s.fails)
	s.a.log.Warn("sync failed; retrying", "failures", s.fails, "in", d.Round(time.Millisecond), "err", err)
	return d, nil
}

// zerologTo sends mautrix's warnings and errors to slog.
func zerologTo(log *slog.Logger) zerolog.Logger {
	return zerolog.New(zerologWriter{log}).Level(zerolog.WarnLevel).With().Timestamp().Logger()
}

type zerologWriter struct{ log *slog.Logger }

func (w zerologWriter) Write(p []byte) (int, error) {
	var rec map[string]any
	if err := json.Unmarshal(p, &rec); err != nil {
		w.log.Warn("mautrix", "raw", strings.TrimSpace(string(p)))
		return len(p), nil
	}
	msg, _ := rec["message"].(string)
	level := slog.LevelWarn
	if l, _ := rec["level"].(string); l == "error" || l == "fatal" || l == "panic" {
		level = slog.LevelError
	}
	if msg == "Request canceled" {
		level = slog.LevelDebug // shutting down
	}
	attrs := []any{"component", "mautrix"}
	for k, v := range rec {
		switch k {
		case "message", "level", "time", "req_body", "resp_body":
			// Request and response bodies carry keys and tokens.
		default:
			attrs = append(attrs, k, v)
		}
	}
	w.log.Log(context.Background(), level, msg, attrs...)
	return len(p), nil
}
