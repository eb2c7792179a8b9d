package slack

import (
	"regexp"
	"strings"
	"unicode"

	"newsbot/internal/commands"
)

// slackMarkup matches Slack's <…> control sequences in incoming text:
// <https://x|label>, <@U123|name>, <#C123|name>, <!here>, <mailto:a@b|a@b>.
var slackMarkup = regexp.MustCompile(`<([^<>]*)>`)

// plainText turns the text of a Slack message or slash command into what
// the user typed: links become their URL, user and channel references their
// name or id, and the three HTML entities Slack escapes are decoded.
func plainText(s string) string {
	s = slackMarkup.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[1 : len(m)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"): // user
			if hasLabel {
				return "@" + label
			}
			return target
		case strings.HasPrefix(target, "#"): // channel
			if hasLabel {
				return "#" + label
			}
			return target
		case strings.HasPrefix(target, "!"): // special mention
			if hasLabel {
				return label
			}
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + name
		case strings.HasPrefix(target, "mailto:"):
			if hasLabel {
				return label
			}
			return strings.TrimPrefix(target, "mailto:")
		default: // a link: the URL is what was meant
			return target
		}
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// stripMention removes the leading mention of the bot (and a colon or
// comma after it) from a message's raw text.
func stripMention(raw, botID string) string {
	t := strings.TrimSpace(raw)
	if botID != "" {
		for _, p := range []string{"<@" + botID + ">", "<@" + botID + "|"} {
			if strings.HasPrefix(t, p) {
				if end := strings.IndexByte(t, '>'); end >= 0 {
					t = t[end+1:]
				}
				break
			}
		}
	}
	t = strings.TrimLeft(t, " \t:,")
	return t
}

// commandLine prepares what a user typed for the command layer: a leading
// / or ! is dropped (as people type them in DMs), and the article text of
// `ingest …` is quoted as one argument so that its quotation marks and
// line breaks reach the ingester untouched.
func commandLine(text string) string {
	t := strings.TrimSpace(text)
	t = strings.TrimLeft(t, "/!")
	name, rest := firstWord(t)
	if strings.EqualFold(name, "ingest") && rest != "" {
		return "ingest " + ingestArgs(rest)
	}
	return t
}

// firstWord splits off the first white-space separated word.
func firstWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeftFunc(s[i:], unicode.IsSpace)
}

// ingestArgs keeps the leading --outlet/--date options as typed and quotes
// the rest, unless it is a single URL or a single already-quoted argument.
func ingestArgs(s string) string {
	flags, rest := splitFlags(s)
	rest = strings.TrimSpace(rest)
	switch {
	case rest == "":
	case !strings.ContainsFunc(rest, unicode.IsSpace) && isURL(rest):
	default:
		rest = commands.Quote(rest)
	}
	return strings.TrimSpace(flags + " " + rest)
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// splitFlags splits "--outlet AFP --date 2018-07-20 text…" into the
// options and the raw text after them. An option's value may be quoted.
// "--" ends the options.
func splitFlags(s string) (flags, rest string) {
	var out []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if !strings.HasPrefix(s, "--") {
			return strings.Join(out, " "), s
		}
		word, after := firstWord(s)
		if word == "--" {
			return strings.Join(out, " "), after
		}
		out = append(out, word)
		s = after
		if strings.Contains(word, "=") || s == "" {
			continue
		}
		// The value: one word, or a quoted string.
		val, after := flagValue(s)
		out = append(out, val)
		s = after
	}
}

// flagValue splits an option's value off s: the shortest prefix, ending at
// a space, that the command layer's tokenizer reads as one argument (so
// "Le Monde" in quotes is one value), else the first word.
func flagValue(s string) (val, rest string) {
	for i, r := range s {
		if i > 300 {
			break
		}
		if !unicode.IsSpace(r) {
			continue
		}
		if toks, err := commands.Tokenize(s[:i]); err == nil && len(toks) == 1 {
			return s[:i], s[i:]
		}
	}
	if toks, err := commands.Tokenize(s); err == nil && len(toks) == 1 {
		return s, ""
	}
	return firstWord(s)
}

// commandName is the first word of a prepared command line, lower case.
func commandName(line string) string {
	w, _ := firstWord(line)
	return strings.ToLower(w)
}
