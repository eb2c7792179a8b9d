package main

import (
	"context"
	"errors"
	"io"
	"os"

	"golang.org/x/term"

	"newsbot/internal/chat/console"
	"newsbot/internal/control"
)

// runBot runs the bot: the chat adapters the configuration enables, or the
// console when none is.
func runBot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("run", "[--config FILE] [--db PATH]", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("run takes no arguments, got %q", fs.Args())
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	if cfg.SlackEnabled() || cfg.MatrixEnabled() {
		return errors.New("Slack and Matrix are configured, but this build has no chat adapters yet: remove their tokens to use the console")
	}

	interactive := term.IsTerminal(int(os.Stdin.Fd()))
	// The console exists before the app so that alerts print there; the
	// dispatcher is set once the app is open.
	var d lateDispatcher
	con := console.New(os.Stdin, stdout, interactive, "operator", &d)
	a, err := open(cfg, log, con.Notifier())
	if err != nil {
		return err
	}
	defer a.Close()
	d.Dispatcher = a.commands
	log.Debug("database open", "path", cfg.Database.Path)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ctlDone := make(chan error, 1)
	go func() { ctlDone <- control.Serve(ctx, a.store, a.commands, log) }()
	err = con.Run(ctx)
	cancel()
	if cerr := <-ctlDone; cerr != nil {
		log.Warn("control socket", "err", cerr)
	}
	return err
}

// lateDispatcher forwards to a Dispatcher set after construction.
type lateDispatcher struct{ console.Dispatcher }
