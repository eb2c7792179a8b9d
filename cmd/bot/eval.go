package main

import (
	"context"
	"io"
)

// runEval dispatches `bot eval KIND`: scorers measured against gold files.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	kinds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"pairs":   runEvalPairs,
		"stories": runEvalStories,
	}
	if len(args) == 0 || kinds[args[0]] == nil {
		return usagef("usage: bot eval pairs --gold FILE [--json] | bot eval stories --dir DIR [--json]")
	}
	return kinds[args[0]](ctx, args[1:], stdout, stderr)
}
