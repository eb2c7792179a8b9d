// Package hostiletest is the one corpus of hostile text every renderer is
// tested against: what an article or a chat user might carry to notify
// people (Slack mentions and broadcasts, Matrix @room and pills), to smuggle
// markup or links (Slack link syntax, HTML, javascript: URLs), or to take
// over a terminal (colour, cursor movement, screen clearing, OSC 8
// hyperlinks and window titles, BEL, C1 controls, bidi overrides).
package hostiletest

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"newsbot/internal/commands"
	"newsbot/internal/notify"
)

// Corpus returns the hostile strings, each short and written for these
// tests.
func Corpus() []string {
	return []string{
		// Slack
		"<!channel> everyone look", "<!here|here>", "<!everyone>", "<@U012ABC> ping", "<#C0123|general>",
		"<!subteam^S123>", "@here @channel @everyone", "<https://evil.example|click me>", "*bold* _it_ ~strike~ `code`",
		"&lt;!channel&gt; pre-escaped",
		// Matrix and HTML
		"@room wake up", "@ROOM", `<a href="https://matrix.to/#/@room">pill</a>`, `<a href="https://matrix.to/#/@eve:evil.example">Eve</a>`,
		"<script>alert(1)</script>", `<img src=x onerror="alert(1)">`, "<b>bold</b> &amp; <mx-reply>", "javascript:alert(1)",
		// Terminals
		"\x1b[31mred\x1b[0m text", "\x1b[2J\x1b[Hscreen cleared", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
		"\x1b]0;window title\x07", "bell\x07\x07", "\x1b[1A\x1b[2Kline rewritten", "\u009b31mC1 CSI", "\x1bcreset",
		// Spoofing
		"abc\u202edcba\u202c", "zero\u200bwidth", "nul\x00byte",
	}
}

// Joined is the corpus in one string.
func Joined() string { return strings.Join(Corpus(), " | ") }

// Reply puts the corpus into every text field of a reply.
func Reply() *commands.Reply {
	all := Joined()
	c := Corpus()
	var stmts []commands.Statement
	for i, h := range c {
		stmts = append(stmts, commands.Statement{ID: fmt.Sprintf("S%d", i+1), Speaker: "Speaker " + h, SpeakerRole: h, Text: h,
			Kind: "direct", Cue: h, Sources: []commands.Source{{Outlet: h, Title: h, URL: "https://example.org/x?q=" + h,
				Published: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}, {File: h}, {URL: h}}})
	}
	return &commands.Reply{Title: all, Text: all, Sections: []commands.Section{{
		Heading: all, Subheading: all, Lines: c, Statements: stmts,
		Fields:  []commands.Field{{Name: c[0], Value: c[18]}},
		Actions: []commands.Action{{ID: "x", Label: c[10], Value: "who-said " + c[0], Command: "who-said " + c[18]}},
	}}}
}

// Alert puts the corpus into every text field of an alert.
func Alert() notify.Alert {
	c := Corpus()
	claim := func(i int) notify.Claim {
		return notify.Claim{StatementID: "S1", Speaker: c[i], SpeakerRole: c[i+1], Text: c[i+2], Kind: "direct",
			Article: c[i+3], ArticleID: "a1", Outlet: c[i+4], Title: c[i+5], Published: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	}
	return notify.Alert{ID: "A1", Score: 0.9, Reasons: c, New: claim(0), Old: claim(18)}
}

// Unsafe reports the first character in s that a terminal would act
// on (a control other than newline and tab, or a format character such as
// a bidi override), or -1.
func Unsafe(s string) rune {
	for _, r := range s {
		if (unicode.IsControl(r) && r != '\n' && r != '\t') || (unicode.Is(unicode.Cf, r) && r != '\u2060' && r != '\u200d') {
			return r
		}
	}
	return -1
}
