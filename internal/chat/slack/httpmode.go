package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// maxBody bounds a request from Slack (slash commands carry pasted
// articles).
const maxBody = 4 << 20

// HTTP mode paths, as the app manifest registers them.
const (
	PathCommands    = "/slack/commands"
	PathInteractive = "/slack/interactive"
	PathEvents      = "/slack/events"
)

// runHTTP serves the slash-command, interactivity and Events API
// endpoints on Options.Listen.
func (a *Adapter) runHTTP(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.o.Listen)
	if err != nil {
		return fmt.Errorf("slack http mode: %w", err)
	}
	a.addr <- ln.Addr().String()
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("slack http mode listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("slack http mode: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("slack http mode shutdown: %w", err)
	}
	return nil
}

// Handler serves Slack's signed requests. Every request's signature and
// timestamp are checked before anything else; unsigned, forged, stale and
// replayed requests get 401.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+PathCommands, a.verified(a.serveCommand))
	mux.Handle("POST "+PathInteractive, a.verified(a.serveInteractive))
	mux.Handle("POST "+PathEvents, a.verified(a.serveEvents))
	return mux
}

// verified checks X-Slack-Signature over the raw body with the signing
// secret (slack-go's SecretsVerifier, which also refuses timestamps more
// than five minutes off) and refuses a signature seen before.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read request", http.StatusBadRequest)
			return
		}
		sv, err := slackapi.NewSecretsVerifier(r.Header, a.o.SigningSecret)
		if err == nil {
			_, err = sv.Write(body)
		}
		if err == nil {
			err = sv.Ensure()
		}
		if err != nil {
			a.log.Warn("refused an unverified request", "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if !a.sigs.add(r.Header.Get("X-Slack-Signature"), a.o.Now()) {
			if r.Header.Get("X-Slack-Retry-Num") != "" {
				w.WriteHeader(http.StatusOK) // Slack retrying what we already took
				return
			}
			a.log.Warn("refused a replayed request", "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, "replayed request", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	})
}

func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, _ []byte) {
	sc, err := slackapi.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "bad slash command", http.StatusBadRequest)
		return
	}
	writeAck(w, a.slashCommand(r.Context(), sc))
}

func (a *Adapter) serveInteractive(w http.ResponseWriter, r *http.Request, _ []byte) {
	cb, err := slackapi.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "bad interaction payload", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.interaction(cb)
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, v.Challenge)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.event(ev)
}

func writeAck(w http.ResponseWriter, payload any) {
	if payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(payload)
}
