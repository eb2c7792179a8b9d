package commands

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Dispatcher runs one command line and always returns a reply. *Registry
// is one; chat adapters and the control socket depend on this interface
// only.
type Dispatcher interface {
	Dispatch(ctx context.Context, req *Request) *Reply
}

// Registry holds the commands and runs them.
type Registry struct {
	cmds    []Command          // sorted by name, help included
	byName  map[string]Command // names and aliases, lower case
	log     *slog.Logger
	limiter *rateLimiter // nil: no limit
	observe Observer
}

// Observer learns how each dispatched command went: its name ("" for a line
// that named no command), how long it took, and whether the reply was an
// error. Metrics hang here.
type Observer func(command string, took time.Duration, failed bool)

// SetObserver sets the function told about every dispatched command.
func (r *Registry) SetObserver(o Observer) { r.observe = o }

// LimitRate allows each chat user at most perMinute commands a minute
// (0: no limit). Requests from the bot's own host (console, command line)
// are never limited.
func (r *Registry) LimitRate(perMinute int, now func() time.Time) {
	if perMinute <= 0 {
		r.limiter = nil
		return
	}
	r.limiter = newRateLimiter(perMinute, now)
}

// NewRegistry builds a registry of cmds plus the built-in `help`. Names and
// aliases must be unique.
func NewRegistry(cmds ...Command) (*Registry, error) {
	r := &Registry{byName: map[string]Command{}, log: slog.Default()}
	all := append(slices.Clone(cmds), Command{Name: "help", Aliases: []string{"?"}, Args: "[COMMAND]",
		Summary: "list the commands, or explain one", Help: "Example: help who-said", Run: r.help})
	for _, c := range all {
		if c.Name == "" || c.Run == nil {
			return nil, fmt.Errorf("command %q needs a name and a handler", c.Name)
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			key := strings.ToLower(n)
			if prev, dup := r.byName[key]; dup {
				return nil, fmt.Errorf("command name %q used by both %s and %s", n, prev.Name, c.Name)
			}
			r.byName[key] = c
		}
		r.cmds = append(r.cmds, c)
	}
	slices.SortFunc(r.cmds, func(a, b Command) int { return strings.Compare(a.Name, b.Name) })
	return r, nil
}

// SetLogger sets where handler failures are logged.
func (r *Registry) SetLogger(l *slog.Logger) { r.log = l }

// Lookup finds a command by name or alias, ignoring case.
func (r *Registry) Lookup(name string) (Command, bool) {
	c, ok := r.byName[strings.ToLower(name)]
	return c, ok
}

// Commands returns every command, sorted by name.
func (r *Registry) Commands() []Command { return slices.Clone(r.cmds) }

// Usage is a command's synopsis line.
func Usage(c Command) string {
	return strings.TrimSpace("usage: " + c.Name + " " + c.Args)
}

// Dispatch parses and runs one command line. It never returns nil: user
// mistakes and failures come back as replies with Error set.
func (r *Registry) Dispatch(ctx context.Context, req *Request) (reply *Reply) {
	start := time.Now()
	name := ""
	defer func() {
		if r.observe != nil {
			r.observe(name, time.Since(start), reply.Error)
		}
	}()
	if r.limiter != nil && !LocalPlatform(req.Platform) {
		if ok, wait := r.limiter.allow(req.Platform + ":" + req.User); !ok {
			rep := errorReply("Too many commands: the limit is %d a minute. Try again in %s.",
				r.limiter.perMinute, wait.Round(time.Second))
			rep.Title = "Slow down"
			return rep
		}
	}
	args, err := Tokenize(req.Text)
	if err != nil {
		return errorReply("%v.", err)
	}
	if len(args) == 0 {
		args = []string{"help"}
	}
	cmd, ok := r.Lookup(args[0])
	if !ok {
		return r.unknown(args[0])
	}
	name = cmd.Name
	if cmd.Admin && !req.IsAdmin {
		return errorReply("`%s` is for admins only.", cmd.Name)
	}
	args = args[1:]
	if len(args) < cmd.MinArgs {
		rep := errorReply("%s\n%s", Usage(cmd), cmd.Summary)
		rep.Title = "Missing arguments"
		return rep
	}
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("command panicked", "command", cmd.Name, "user", req.Platform+":"+req.User,
				"panic", p, "stack", string(debug.Stack()))
			reply = errorReply("Internal error while running %s (logged).", cmd.Name)
		}
	}()
	reply, err = cmd.Run(ctx, req, args)
	if err != nil {
		if ctx.Err() != nil {
			return errorReply("%s was cancelled.", cmd.Name)
		}
		r.log.Error("command failed", "command", cmd.Name, "user", req.Platform+":"+req.User, "err", err)
		return errorReply("Internal error while running %s (logged).", cmd.Name)
	}
	if reply == nil {
		reply = &Reply{}
	}
	return reply
}

func (r *Registry) unknown(name string) *Reply {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	near := suggest(strings.ToLower(name), names)
	for i, n := range near {
		near[i] = `"` + r.byName[n].Name + `"`
	}
	near = slices.Compact(near)
	rep := errorReply("Unknown command %q. `help` lists the commands.", name)
	rep.Title = "Unknown command"
	switch len(near) {
	case 0:
	case 1:
		rep.Text = fmt.Sprintf("Unknown command %q. Did you mean %s?", name, near[0])
	default:
		rep.Text = fmt.Sprintf("Unknown command %q. Did you mean one of %s?", name, strings.Join(near, ", "))
	}
	return rep
}
