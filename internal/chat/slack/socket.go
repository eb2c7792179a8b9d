package slack

import (
	"context"
	"fmt"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocket serves Socket Mode: slack-go keeps the WebSocket (and
// reconnects); every envelope is acknowledged here.
func (a *Adapter) runSocket(ctx context.Context) error {
	c := socketmode.New(a.api, socketmode.OptionLog(slogLogger{a.log}))
	errc := make(chan error, 1)
	go func() { errc <- c.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			<-errc
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-c.Events:
			a.socketEvent(ctx, c, evt)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, c *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.log.Debug("socket mode connecting")
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError:
		a.log.Warn("socket mode connection failed; retrying", "err", evt.Data)
	case socketmode.EventTypeInvalidAuth:
		a.log.Error("socket mode: invalid app token")
	case socketmode.EventTypeHello, socketmode.EventTypeDisconnect:
		a.log.Debug("socket mode", "type", evt.Type)
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("socket mode message problem", "type", evt.Type, "detail", evt.Data)
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(slackapi.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		req := *evt.Request
		// Each command waits up to AckWait for its answer: in its own
		// goroutine, so that one slow command never delays another's ack.
		a.bg.Go(func() {
			payload := a.slashCommand(ctx, sc)
			err := c.AckCtx(ctx, req.EnvelopeID, payload)
			if m, ok := payload.(message); ok && err != nil {
				// Refused (too large?): acknowledge empty, answer apart.
				a.log.Warn("acknowledgement with an answer refused; answering through response_url", "err", err)
				if err = c.AckCtx(ctx, req.EnvelopeID, nil); err == nil {
					a.spawn(func(ctx context.Context) { a.respond(ctx, sc.ResponseURL, sc.ChannelID, m) })
				}
			}
			if err != nil {
				a.log.Error("acknowledging a slash command failed", "command", sc.Command, "err", err)
			}
		})
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(slackapi.InteractionCallback)
		a.ackEnvelope(ctx, c, evt)
		if ok {
			a.interaction(cb)
		}
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		a.ackEnvelope(ctx, c, evt)
		if ok {
			a.event(ev)
		}
	default:
		a.log.Debug("socket mode event ignored", "type", evt.Type)
	}
}

// ackEnvelope acknowledges an envelope with an empty payload.
func (a *Adapter) ackEnvelope(ctx context.Context, c *socketmode.Client, evt socketmode.Event) {
	if evt.Request == nil {
		return
	}
	if err := c.AckCtx(ctx, evt.Request.EnvelopeID, nil); err != nil {
		a.log.Error("acknowledging an envelope failed", "type", evt.Type, "err", err)
	}
}
