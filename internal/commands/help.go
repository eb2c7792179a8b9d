package commands

import (
	"context"
	"fmt"
	"strings"
)

// help lists the commands a user may run, or explains one.
func (r *Registry) help(ctx context.Context, req *Request, args []string) (*Reply, error) {
	if len(args) > 0 {
		cmd, ok := r.Lookup(args[0])
		if !ok {
			rep := r.unknown(args[0])
			return rep, nil
		}
		var b strings.Builder
		b.WriteString(Usage(cmd))
		if len(cmd.Aliases) > 0 {
			fmt.Fprintf(&b, "\nalso: %s", strings.Join(cmd.Aliases, ", "))
		}
		if cmd.Admin {
			b.WriteString("\nadmins only")
		}
		b.WriteString("\n\n" + cmd.Summary)
		if cmd.Help != "" {
			b.WriteString("\n" + cmd.Help)
		}
		return &Reply{Title: cmd.Name, Text: b.String(), Ephemeral: true}, nil
	}
	var everyone, admin Section
	everyone.Heading = "Commands"
	admin.Heading = "Admin commands"
	for _, c := range r.cmds {
		line := strings.TrimSpace(c.Name+" "+c.Args) + " — " + c.Summary
		if c.Admin {
			admin.Lines = append(admin.Lines, line)
		} else {
			everyone.Lines = append(everyone.Lines, line)
		}
	}
	rep := &Reply{Title: "newsbot", Text: "`help COMMAND` explains one. Quote arguments with spaces: who-said \"Helsinki summit\".",
		Sections: []Section{everyone}, Ephemeral: true}
	if req.IsAdmin && len(admin.Lines) > 0 {
		rep.Sections = append(rep.Sections, admin)
	}
	return rep, nil
}
