package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"

	"newsbot/internal/chat/console"
	"newsbot/internal/commands"
	"newsbot/internal/control"
)

// runAsk runs one chat command as the operator would type it and prints the
// reply: plain text, or the structured reply as one JSON line. When the bot
// is running on the database, the running bot answers.
func runAsk(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("ask", "[--db PATH] [--json] 'COMMAND'", stderr)
	c.register(fs)
	asJSON := fs.Bool("json", false, "print the structured reply as one JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("ask needs a command, like: bot ask 'who-said refugees'")
	}
	line := strings.Join(fs.Args(), " ")
	cfg, err := c.load()
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	var reply *commands.Reply
	a, err := open(cfg, log, nil)
	switch {
	case lockedErr(err):
		resp, cerr := control.Call(ctx, cfg.Database.Path, control.Request{Op: "ask", Text: line})
		if cerr != nil {
			return err // the lock is the better explanation
		}
		reply = resp.Reply
	case err != nil:
		return err
	default:
		defer a.Close()
		reply = a.commands.Dispatch(ctx, &commands.Request{Platform: "cli", User: "cli", Channel: "cli",
			Text: line, IsAdmin: true})
	}
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(reply); err != nil {
			return err
		}
	} else if err := console.Render(stdout, reply); err != nil {
		return err
	}
	if reply.Error {
		return errReplied
	}
	return nil
}

// errReplied marks a command whose reply was an error: the reply says why,
// the exit status says it failed.
var errReplied = replyError{}

type replyError struct{}

func (replyError) Error() string { return "the command failed (see its reply)" }
