// Command bot is newsbot: a chat bot that tells newsrooms who said what,
// and warns when a new article contradicts an earlier claim.
//
// Run with no arguments it starts the console on ./newsbot.db (or the chat
// platforms the configuration names). Subcommands follow the command-line
// contract in DESIGN.md: JSON goes to stdout one object per line, human
// messages to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

type subcommand struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func subcommands() []subcommand {
	return []subcommand{
		{"run", "[--config FILE] [--db PATH]", "run the bot (console, or the chats configured)", runBot},
		{"ask", "[--db PATH] [--json] 'COMMAND'", "run one chat command and print the reply", runAsk},
		{"ingest", "[--db PATH] [--json] [--outlet NAME] [--date YYYY-MM-DD] FILE|DIR|URL...", "ingest articles", runIngest},
		{"extract", "[--json] FILE...", "print the statements found in articles (no store)", runExtract},
		{"eval", "quotes|pairs --gold FILE [--json], stories --dir DIR", "score extraction, the contradiction scorer, or alerts on labelled stories", runEval},
		{"backup", "[--db PATH] OUT", "write a consistent copy of the database, also while the bot runs", runBackup},
		{"restore", "[--db PATH] BACKUP", "replace the database with a checked backup, keeping the replaced file", runRestore},
		{"export", "[--db PATH] [--format jsonl|csv] [--out FILE]", "dump statements with speakers and sources", runExport},
		{"check", "[--db PATH] [--repair] [--json]", "verify the database's invariants; --repair rebuilds indexes", runCheck},
		{"bench", "[--json] [--quick] [--statements N] [--articles N]", "measure ingest, queries and memory at newsroom scale, against bleve", runBench},
		{"version", "", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		var ue usageError
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bot:", err)
		}
		if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runBot(ctx, args, stdout, stderr)
	}
	cmds := subcommands()
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout, cmds)
		return nil
	}
	i := slices.IndexFunc(cmds, func(c subcommand) bool { return c.name == args[0] })
	if i < 0 {
		printUsage(stderr, cmds)
		return usagef("unknown subcommand %q", args[0])
	}
	return cmds[i].run(ctx, args[1:], stdout, stderr)
}

func printUsage(w io.Writer, cmds []subcommand) {
	fmt.Fprintln(w, "usage: bot [SUBCOMMAND] [FLAGS]\n\nWith no subcommand, bot runs the bot (see `bot run -h`).\n\nSubcommands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.summary)
	}
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, "newsbot", version)
	return nil
}
