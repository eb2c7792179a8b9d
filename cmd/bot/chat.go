package main

import (
	"context"
	"log/slog"
	"sync/atomic"

	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/notify"
	"newsbot/internal/store"
)

// chatDeps is what a chat adapter is built from.
type chatDeps struct {
	Config     config.Config
	Store      *store.Store
	Dispatcher commands.Dispatcher
	Log        *slog.Logger
}

// chatAdapter is one chat platform the bot serves.
type chatAdapter interface {
	// Name is the platform ("slack", "matrix"), for logs.
	Name() string
	// Run serves the platform until ctx is done.
	Run(ctx context.Context) error
	// Notifier posts contradiction alerts to the platform's alert channels.
	Notifier() notify.Notifier
}

// chatAdapters builds the adapters the configuration enables. Each
// platform's file adds its constructor here.
func chatAdapters(d chatDeps) ([]chatAdapter, error) {
	var out []chatAdapter
	out = append(out, slackAdapters(d)...)
	if err := addMatrix(d, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// lateNotifier forwards alerts to a notifier set after the ingester was
// built: the adapters that post alerts need the ingester's commands first.
type lateNotifier struct {
	n atomic.Pointer[notify.Notifier]
}

func (l *lateNotifier) set(n notify.Notifier) { l.n.Store(&n) }

// Post hands the alert to the notifier set, if any.
func (l *lateNotifier) Post(ctx context.Context, a notify.Alert) error {
	if n := l.n.Load(); n != nil && *n != nil {
		return (*n).Post(ctx, a)
	}
	return nil
}
