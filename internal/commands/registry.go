package commands

import "context"

// Handler runs one command. args are the tokens after the command name.
// A returned error is an internal failure; a user mistake is a Reply with
// Error set.
type Handler func(ctx context.Context, req *Request, args []string) (*Reply, error)

// Command describes one chat command. Help text is generated from these.
type Command struct {
	Name    string
	Aliases []string
	// Args is the argument synopsis ("TOPIC", "[open|all]").
	Args string
	// Summary is one line for the command list.
	Summary string
	// Help is the longer text shown by "help NAME", with examples.
	Help string
	// Admin commands are refused for users who are not admins.
	Admin bool
	// MinArgs is the number of arguments below which usage is shown.
	MinArgs int
	Run     Handler
}
