package commands

import (
	"context"
	"log/slog"
	"os"
	"time"

	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// Fetcher turns a URL into an article to ingest.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (ingest.Input, error)
}

// Deps is what the newsbot commands work on.
type Deps struct {
	Store    *store.Store
	Ingester *ingest.Ingester
	// Fetcher fetches URLs for `ingest URL`; nil refuses URLs.
	Fetcher Fetcher
	// Feeds follows RSS/Atom feeds for `feeds add|remove`; nil refuses them.
	Feeds FeedManager
	// ReadFile reads a local file for `ingest FILE`. It is used only for
	// requests from the console and the command line: a chat user must
	// never make the bot read files on its host. Default os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// MaxStatements caps the statements one reply lists (default 20).
	MaxStatements int
	Now           func() time.Time
	Logger        *slog.Logger
}

// LocalPlatform reports whether a request comes from the bot's own host
// (console or command line), where local files may be named.
func LocalPlatform(p string) bool { return p == "console" || p == "cli" }

// New returns the registry of every newsbot command.
func New(d Deps) (*Registry, error) {
	if d.ReadFile == nil {
		d.ReadFile = os.ReadFile
	}
	if d.MaxStatements <= 0 {
		d.MaxStatements = 20
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	h := &handlers{Deps: d}
	reg, err := NewRegistry(h.commands()...)
	if err != nil {
		return nil, err
	}
	reg.SetLogger(d.Logger)
	return reg, nil
}

type handlers struct{ Deps }

func (h *handlers) commands() []Command {
	return append([]Command{
		{Name: "who-said", Aliases: []string{"whosaid", "who"}, Args: "TOPIC", MinArgs: 1, Run: h.whoSaid,
			Summary: "who said what about a topic, grouped by speaker, with every source",
			Help: "Finds statements holding every word of TOPIC (in the words or the sentence around them), " +
				"best match first, then newest. Hyphens and spaces are the same: `washington-summit` = " +
				"`washington summit`. A tracked story's name searches with the story's query.\n" +
				"Example: who-said refugees"},
		{Name: "status", Aliases: []string{"story"}, Args: "STORY", MinArgs: 1, Run: h.status,
			Summary: "the state of a story: latest claims by party, timeline, open contradictions",
			Help:    "STORY is a tracked story's name (see `stories`) or search words.\nExample: status washington-summit"},
		{Name: "speaker", Aliases: []string{"who-is"}, Args: "NAME", MinArgs: 1, Run: h.speaker,
			Summary: "a speaker's role, affiliation, aliases and latest statements",
			Help:    "Example: speaker Mizintsev"},
		{Name: "sources", Aliases: []string{"articles"}, Args: "[N]", Run: h.sources,
			Summary: "the N articles ingested most recently (default 10)",
			Help:    "Example: sources 5"},
		{Name: "stats", Run: h.stats, Summary: "what the bot has on record"},
		{Name: "alerts", Args: "[open|all]", Run: h.alerts,
			Summary: "contradiction alerts, open ones unless `all`",
			Help:    "Example: alerts all"},
		{Name: "alert", Args: "confirm|dismiss|reopen ID", MinArgs: 2, Run: h.alert,
			Summary: "confirm or dismiss a contradiction alert",
			Help:    "Example: alert confirm A3"},
		{Name: "stories", Run: h.stories, Summary: "tracked stories and their queries"},
		{Name: "track", Args: "NAME QUERY", MinArgs: 2, Admin: true, Run: h.track,
			Summary: "track a story under a name, found by a query",
			Help:    "Example: track washington-summit \"Trump Putin summit\""},
		{Name: "untrack", Args: "NAME", MinArgs: 1, Admin: true, Run: h.untrack,
			Summary: "stop tracking a story"},
		{Name: "ingest", Args: "[--outlet NAME] [--date YYYY-MM-DD] FILE|URL|TEXT", Admin: true,
			Run: h.ingest, Summary: "read an article: a URL, pasted text or an uploaded file",
			Help: "Pasted text: the first line is the headline when there are several lines. " +
				"Local files can be named from the console only.\n" +
				"Example: ingest --outlet AFP --date 2018-07-20 https://example.org/story.html"},
		{Name: "forget", Args: "ARTICLE", MinArgs: 1, Admin: true, Run: h.forget,
			Summary: "remove an article and the statements only it carried",
			Help:    "ARTICLE is an article id (or its first characters, as `sources` shows), a URL or a file name."},
	}, h.feedCommands()...)
}
