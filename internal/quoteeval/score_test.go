package quoteeval

import (
	"context"
	"strings"
	"testing"

	"newsbot/internal/extract"
)

// fixed returns the statements it was given, whatever the text.
type fixed []extract.Statement

func (fixed) Name() string                                   { return "fixed" }
func (f fixed) Extract(extract.Document) []extract.Statement { return f }

func span(text, s string) Span {
	i := strings.Index(text, s)
	i = len([]rune(text[:i]))
	return Span{Start: i, End: i + len([]rune(s)), Text: s}
}

func TestScoring(t *testing.T) {
	text := "Title.\n\nThe bridge will reopen in May, Mr. Berg said.\n\n“It is safe,” he added.\n\nThe mayor thinks rates will rise."
	gold := []GoldQuote{
		{ID: "a", HasSource: true, Kind: "indirect", Source: []Span{span(text, "Mr. Berg")}, Cue: []Span{span(text, "said")},
			Content: []Span{span(text, "The bridge will reopen in May")}},
		{ID: "b", HasSource: true, Kind: "direct", SourceIsPronoun: true, Source: []Span{span(text, "he")}, Cue: []Span{span(text, "added")},
			Content: []Span{span(text, "“It is safe,”")}},
		{ID: "c", HasSource: true, Kind: "indirect", Source: []Span{span(text, "The mayor")}, Cue: []Span{span(text, "thinks")},
			Content: []Span{span(text, "rates will rise")}},
	}
	at := func(s string) (int, int) { sp := span(text, s); return sp.Start, sp.End }
	s1, e1 := at("bridge will reopen") // 3 of 6 tokens: exactly half, a match
	s2, e2 := at("It is safe")
	s3, e3 := at("The mayor")
	m1, n1 := at("Mr. Berg")
	sts := fixed{
		{Text: "bridge will reopen", Kind: extract.Indirect, Start: s1, End: e1, MentionStart: m1, MentionEnd: n1,
			Speaker: extract.Speaker{Name: "Anna Berg"}},
		// the wrong speaker: gold "he" is not our mention and Smith is not its name
		{Text: "It is safe", Kind: extract.Direct, Start: s2, End: e2, Speaker: extract.Speaker{Name: "Tom Smith", Aliases: []string{"Smith"}}},
		{Text: "The mayor", Kind: extract.Indirect, Start: s3, End: e3, Speaker: extract.Speaker{Name: "x"}}, // matches nothing
	}
	rep, err := Evaluate(context.Background(), sts, []Article{{ID: "t", Text: text, Quotes: gold}}, Options{Examples: 5})
	if err != nil {
		t.Fatal(err)
	}
	all := rep.Get("speech", "all")
	if all.Gold != 2 || all.GoldFound != 2 || all.System != 3 || all.SystemOK != 2 {
		t.Fatalf("speech/all counts %+v", all.Counts)
	}
	if all.PairFound != 1 || all.PairOK != 1 || all.Matched != 2 || all.SpeakerOK != 1 {
		t.Fatalf("speech/all pairs %+v", all.Counts)
	}
	if got := rep.Get("all", "all"); got.Gold != 3 || got.GoldFound != 2 {
		t.Fatalf("all/all %+v", got.Counts)
	}
	if d := rep.Get("speech", "direct"); d.Gold != 1 || d.System != 1 || d.Precision != 1 {
		t.Fatalf("direct %+v", d)
	}
}

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{"Mr. Trump": "trump", "he": "", "Ronald R. Fieldstone, a Miami lawyer": "fieldstone",
		"House Speaker Paul Ryan, R-Wis.,": "ryan", "the aide": "", "Clinton’s": "clinton"} {
		if got := nameKey(in); got != want {
			t.Errorf("nameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
