package main

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// evalCommands are the `bot eval WHAT` scorers. Each lives in its own
// file (evalquotes.go, ...); add one line here per scorer.
func evalCommands() map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
		"quotes":  runEvalQuotes,
		"pairs":   runEvalPairs,
		"stories": runEvalStories,
	}
}

// runEval dispatches `bot eval quotes|pairs ...`.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := evalCommands()
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return usagef("eval needs one of %v", names)
	}
	run, ok := cmds[args[0]]
	if !ok {
		return usagef("unknown eval %q (have %v)", args[0], names)
	}
	if err := run(ctx, args[1:], stdout, stderr); err != nil {
		return fmt.Errorf("eval %s: %w", args[0], err)
	}
	return nil
}
