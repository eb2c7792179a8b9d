package matrix

import (
	"regexp"
	"strings"

	"newsbot/internal/commands"
)

// botIdentity is what a message may call the bot by.
type botIdentity struct {
	UserID      string // "@newsbot:example.org"
	Localpart   string // "newsbot"
	DisplayName string // "Newsbot", may be empty
}

// incoming is the part of a message event command parsing looks at.
type incoming struct {
	Body          string
	FormattedBody string // HTML, may be empty
	// Mentions are the user ids in m.mentions.
	Mentions []string
	// IsReply: the message is a reply, whose m.mentions name the replied-to
	// author (perhaps the bot) without the author typing it.
	IsReply bool
	// Direct: a room with only the bot and the author, where any text is a
	// command.
	Direct bool
}

// parser turns message text into a command line for the dispatcher.
type parser struct {
	bot    botIdentity
	prefix string // "!"
	// known reports whether a word names a command; nil: any word does.
	known func(name string) bool
}

// namespace is the word that introduces any command: `!newsbot status x`.
const namespace = "newsbot"

// parse returns the command line a message carries ("who-said refugees"),
// and whether it carries one. Forms: `!who-said refugees` (the configured
// prefix and a known command), `!newsbot status x`, `/who-said refugees`
// (clients that send unknown slash commands as text), a mention of the bot
// followed by a command, and any text in a direct chat with the bot.
func (p parser) parse(m incoming) (string, bool) {
	body := strings.TrimSpace(stripReplyFallback(m.Body))
	if body == "" {
		return "", false
	}
	if line, ok := p.prefixed(body); ok {
		return fixIngest(line), true
	}
	if rest, ok := p.afterMention(body, m); ok {
		if l, ok := p.prefixed(rest); ok {
			rest = l
		} else if ns, ok := cutWord(rest, namespace); ok {
			rest = ns
		}
		return fixIngest(strings.TrimSpace(rest)), true
	}
	if m.Direct {
		line := strings.TrimLeft(body, "!/")
		if ns, ok := cutWord(line, namespace); ok {
			line = ns
		}
		return fixIngest(strings.TrimSpace(line)), true
	}
	return "", false
}

// prefixed handles `!cmd ...`, `!newsbot cmd ...` and `/cmd ...`.
func (p parser) prefixed(body string) (string, bool) {
	for _, pre := range []string{p.prefix, "/"} {
		if pre == "" || !strings.HasPrefix(body, pre) {
			continue
		}
		rest := body[len(pre):]
		if ns, ok := cutWord(rest, namespace); ok {
			return strings.TrimSpace(ns), true
		}
		if p.isKnown(firstWord(rest)) {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

func (p parser) isKnown(word string) bool {
	if word == "" {
		return false
	}
	if p.known == nil {
		return true
	}
	return p.known(strings.ToLower(word))
}

// afterMention returns the text after a mention of the bot at the start of
// the message ("newsbot: who-said x", "@newsbot:example.org who-said x", a
// pill), or the text around the mention when a pill or m.mentions names the
// bot elsewhere (m.mentions only when the message is not a reply).
func (p parser) afterMention(body string, m incoming) (string, bool) {
	names := []string{p.bot.UserID, p.bot.Localpart, "@" + p.bot.Localpart}
	if p.bot.DisplayName != "" {
		names = append(names, p.bot.DisplayName, "@"+p.bot.DisplayName)
	}
	for _, n := range names {
		if n == "" || len(body) < len(n) || !strings.EqualFold(body[:len(n)], n) {
			continue
		}
		rest := body[len(n):]
		if rest == "" {
			return "", true
		}
		switch rest[0] {
		case ':', ',', ' ', '\t', '\n':
			return strings.TrimLeft(rest, ":, \t\n"), true
		}
	}
	if m.FormattedBody != "" && pillTo(m.FormattedBody, p.bot.UserID) {
		// A pill elsewhere: the text is the command around it.
		return strings.TrimSpace(removeName(body, names)), true
	}
	if !m.IsReply {
		for _, u := range m.Mentions {
			if u == p.bot.UserID {
				return strings.TrimSpace(removeName(body, names)), true
			}
		}
	}
	return "", false
}

// pillTo reports whether HTML links to the user through matrix.to.
func pillTo(html, userID string) bool {
	return userID != "" && (strings.Contains(html, "https://matrix.to/#/"+userID) ||
		strings.Contains(html, "matrix:u/"+strings.TrimPrefix(userID, "@")))
}

// removeName removes the first whole-word occurrence of one of names.
func removeName(body string, names []string) string {
	lower := strings.ToLower(body)
	for _, n := range names {
		if n == "" {
			continue
		}
		if i := strings.Index(lower, strings.ToLower(n)); i >= 0 {
			return strings.TrimLeft(body[:i]+body[i+len(n):], ":, \t\n")
		}
	}
	return body
}

// cutWord removes word (case-insensitive) from the start of s when it is a
// whole word.
func cutWord(s, word string) (string, bool) {
	if len(s) < len(word) || !strings.EqualFold(s[:len(word)], word) {
		return "", false
	}
	rest := s[len(word):]
	if rest != "" && !strings.ContainsAny(rest[:1], " \t\n:,") {
		return "", false
	}
	return strings.TrimLeft(rest, ":, \t\n"), true
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// stripReplyFallback removes the "> <@user> quoted" lines a reply starts
// with in clients that still send reply fallbacks.
func stripReplyFallback(body string) string {
	if !strings.HasPrefix(body, "> ") {
		return body
	}
	lines := strings.Split(body, "\n")
	i := 0
	for i < len(lines) && strings.HasPrefix(lines[i], ">") {
		i++
	}
	return strings.Join(lines[i:], "\n")
}

// ingestFlag matches one leading option of the ingest command.
var ingestFlag = regexp.MustCompile(`^\s*--(?:outlet|date)(?:=|\s+)(?:"[^"\n]*"|'[^'\n]*'|\S+)`)

// fixIngest makes pasted article text one argument of `ingest`. Articles
// are full of apostrophes and quotation marks that the command tokenizer
// would read as quoting, so everything after the options is quoted as it
// was typed; a single URL is left alone.
func fixIngest(line string) string {
	rest, ok := cutWord(line, "ingest")
	if !ok {
		return line
	}
	var flags []string
	for {
		loc := ingestFlag.FindStringIndex(rest)
		if loc == nil {
			break
		}
		flags = append(flags, strings.TrimSpace(rest[:loc[1]]))
		rest = rest[loc[1]:]
	}
	text := strings.TrimSpace(rest)
	out := "ingest"
	for _, f := range flags {
		out += " " + f
	}
	switch {
	case text == "":
	case !strings.ContainsAny(text, " \t\n") && isURL(text):
		out += " " + text
	default:
		out += " " + commands.Quote(text)
	}
	return out
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
