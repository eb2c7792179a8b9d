package quoteeval

import (
	"context"
	"strings"
	"unicode"

	"newsbot/internal/extract"
	"newsbot/internal/extract/lexicon"
)

// kindNames are the kinds scored, in report order. "direct+mixed" and
// "all" pool the others.
func kindNames() []string { return []string{"direct", "mixed", "indirect", "direct+mixed", "all"} }

// Counts are the raw numbers behind one row of the report.
type Counts struct {
	System     int `json:"system"`      // statements found (precision denominator)
	SystemOK   int `json:"system_ok"`   // of them, matching a found gold attribution
	Gold       int `json:"gold"`        // gold attributions (recall denominator)
	GoldFound  int `json:"gold_found"`  // of them, found
	PairSystem int `json:"pair_system"` // statements attached to gold with a source
	PairOK     int `json:"pair_ok"`     // of them, right content and right speaker
	PairGold   int `json:"pair_gold"`   // gold attributions with a source
	PairFound  int `json:"pair_found"`  // of them, found with the right speaker
	Matched    int `json:"matched"`     // SystemOK statements whose gold has a source
	SpeakerOK  int `json:"speaker_ok"`  // of them, with the right speaker
	// Pronoun resolution, estimated: correct statements whose gold source
	// is a pronoun we attached to, with a named gold source before it.
	PronounChecked int `json:"pronoun_checked"`
	PronounAgree   int `json:"pronoun_agree"` // of them, resolved to that name
}

// Row is one line of the report: a subset and a kind.
type Row struct {
	Subset string `json:"subset"` // speech or all
	Kind   string `json:"kind"`
	Counts
	Precision     float64 `json:"precision"`
	Recall        float64 `json:"recall"`
	F1            float64 `json:"f1"`
	PairPrecision float64 `json:"pair_precision"`
	PairRecall    float64 `json:"pair_recall"`
	PairF1        float64 `json:"pair_f1"`
	SpeakerAcc    float64 `json:"speaker_accuracy"`
	PronounAgree  float64 `json:"pronoun_agreement"`
}

// Report is the evaluation of one extractor on one gold file.
type Report struct {
	Extractor string `json:"extractor"`
	Articles  int    `json:"articles"`
	Rows      []Row  `json:"rows"`
	// Examples of errors, filled when Options.Examples > 0.
	Errors []Example `json:"errors,omitempty"`
}

// Get returns the row for a subset and kind.
func (r Report) Get(subset, kind string) Row {
	for _, row := range r.Rows {
		if row.Subset == subset && row.Kind == kind {
			return row
		}
	}
	return Row{}
}

// Example is one error, for tuning: a missed gold attribution (fn), a
// statement matching nothing (fp) or a wrong speaker (speaker).
type Example struct {
	Article string `json:"article"`
	What    string `json:"what"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Gold    string `json:"gold,omitempty"`   // gold source mention
	System  string `json:"system,omitempty"` // our speaker (mention)
	Cue     string `json:"cue,omitempty"`
}

// Options tune an evaluation run.
type Options struct {
	Examples int // how many error examples of each sort to keep
}

type tokRange struct{ lo, hi int } // token indexes [lo, hi)

type goldQ struct {
	q      GoldQuote
	toks   []tokRange
	n      int
	speech bool
}

type sysS struct {
	st   extract.Statement
	toks tokRange
	kind string
	gold int // attached gold index, -1 if none
	spk  bool
}

// Evaluate runs ex over every article and scores the statements.
func Evaluate(ctx context.Context, ex extract.Extractor, arts []Article, opt Options) (Report, error) {
	verbs := lexicon.SpeechVerbs()
	rep := Report{Extractor: ex.Name(), Articles: len(arts)}
	counts := map[[2]string]*Counts{}
	for _, s := range []string{"speech", "all"} {
		for _, k := range kindNames() {
			counts[[2]string{s, k}] = &Counts{}
		}
	}
	kept := map[string]int{}
	keep := func(e Example) {
		if kept[e.What] < opt.Examples {
			kept[e.What]++
			rep.Errors = append(rep.Errors, e)
		}
	}
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		scoreArticle(ex, a, verbs, counts, keep)
	}
	for _, s := range []string{"speech", "all"} {
		for _, k := range kindNames() {
			c := *counts[[2]string{s, k}]
			row := Row{Subset: s, Kind: k, Counts: c}
			row.Precision = ratio(c.SystemOK, c.System)
			row.Recall = ratio(c.GoldFound, c.Gold)
			row.F1 = f1(row.Precision, row.Recall)
			row.PairPrecision = ratio(c.PairOK, c.PairSystem)
			row.PairRecall = ratio(c.PairFound, c.PairGold)
			row.PairF1 = f1(row.PairPrecision, row.PairRecall)
			row.SpeakerAcc = ratio(c.SpeakerOK, c.Matched)
			row.PronounAgree = ratio(c.PronounAgree, c.PronounChecked)
			rep.Rows = append(rep.Rows, row)
		}
	}
	return rep, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// kindsOf lists the report kinds a statement or gold kind counts under.
func kindsOf(k string) []string {
	switch k {
	case "direct", "mixed":
		return []string{k, "direct+mixed", "all"}
	case "indirect":
		return []string{k, "all"}
	}
	return []string{"all"}
}

func scoreArticle(ex extract.Extractor, a Article, verbs map[string]string, counts map[[2]string]*Counts, keep func(Example)) {
	runes := []rune(a.Text)
	toks := tokenize(runes)
	var gold []goldQ
	for _, q := range a.Quotes {
		if q.Kind == "none" || len(q.Content) == 0 {
			continue
		}
		g := goldQ{q: q}
		cue := ""
		for _, c := range q.Cue {
			cue += " " + c.Text
		}
		g.speech = lexicon.SpeechCue(verbs, cue)
		for _, c := range q.Content {
			r := toks.cover(c.Start, c.End)
			if r.hi > r.lo {
				g.toks = append(g.toks, r)
				g.n += r.hi - r.lo
			}
		}
		if g.n > 0 {
			gold = append(gold, g)
		}
	}
	found := ex.Extract(extract.Document{Text: a.Text, Headline: true})
	sys := make([]sysS, 0, len(found))
	for _, st := range found {
		s := sysS{st: st, toks: toks.cover(st.Start, st.End), kind: evalKind(st), gold: -1}
		best := 0
		for gi, g := range gold {
			if ov := overlap(s.toks, g.toks); ov > best {
				best, s.gold = ov, gi
			}
		}
		if s.gold >= 0 {
			s.spk = speakerMatches(st, gold[s.gold].q, runes)
		}
		sys = append(sys, s)
	}
	// A gold attribution is found when the statements attached to it
	// cover at least half its tokens; found with its speaker when the
	// statements with the right speaker do.
	isFound := make([]bool, len(gold))
	isPair := make([]bool, len(gold))
	for gi, g := range gold {
		var all, right []tokRange
		for _, s := range sys {
			if s.gold == gi {
				all = append(all, s.toks)
				if s.spk {
					right = append(right, s.toks)
				}
			}
		}
		isFound[gi] = 2*coverage(g.toks, all) >= g.n
		isPair[gi] = g.q.HasSource && len(g.q.Source) > 0 && 2*coverage(g.toks, right) >= g.n
	}
	for _, subset := range []string{"speech", "all"} {
		for gi, g := range gold {
			if subset == "speech" && !g.speech {
				continue
			}
			hasSrc := g.q.HasSource && len(g.q.Source) > 0
			for _, k := range kindsOf(g.q.Kind) {
				c := counts[[2]string{subset, k}]
				c.Gold++
				if isFound[gi] {
					c.GoldFound++
				}
				if hasSrc {
					c.PairGold++
					if isPair[gi] {
						c.PairFound++
					}
				}
			}
			if subset == "speech" && !isFound[gi] {
				keep(Example{Article: a.ID, What: "fn", Kind: g.q.Kind, Text: spansText(g.q.Content), Gold: spansText(g.q.Source), Cue: spansText(g.q.Cue)})
			}
		}
		for _, s := range sys {
			if s.gold >= 0 && subset == "speech" && !gold[s.gold].speech {
				continue // matches an attribution outside the subset: not counted
			}
			ok := s.gold >= 0 && isFound[s.gold]
			hasSrc := s.gold >= 0 && gold[s.gold].q.HasSource && len(gold[s.gold].q.Source) > 0
			for _, k := range kindsOf(s.kind) {
				c := counts[[2]string{subset, k}]
				c.System++
				if ok {
					c.SystemOK++
				}
				if hasSrc {
					c.PairSystem++
					if ok && s.spk && isPair[s.gold] {
						c.PairOK++
					}
					if ok {
						c.Matched++
						if s.spk {
							c.SpeakerOK++
						}
						if checked, agree, ref := pronounAgrees(s.st, gold[s.gold].q, a.Quotes); checked {
							c.PronounChecked++
							if agree {
								c.PronounAgree++
							} else if subset == "speech" && k == "all" {
								keep(Example{Article: a.ID, What: "pronoun", Kind: s.kind, Text: s.st.Text,
									System: s.st.Speaker.Name + " (" + s.st.Speaker.Mention + ")", Gold: ref, Cue: s.st.Cue})
							}
						}
					}
				}
			}
			if subset != "speech" {
				continue
			}
			who := s.st.Speaker.Name + " (" + s.st.Speaker.Mention + ")"
			switch {
			case !ok:
				keep(Example{Article: a.ID, What: "fp", Kind: s.kind, Text: s.st.Text, System: who, Cue: s.st.Cue})
			case hasSrc && !s.spk:
				keep(Example{Article: a.ID, What: "speaker", Kind: s.kind, Text: s.st.Text, System: who, Gold: spansText(gold[s.gold].q.Source), Cue: s.st.Cue})
			}
		}
	}
}

func spansText(ss []Span) string {
	var parts []string
	for _, s := range ss {
		parts = append(parts, s.Text)
	}
	return strings.Join(parts, " … ")
}

// evalKind maps our kinds onto the gold's three: a statement introduced
// by "according to" is mixed when it holds a quotation, else indirect.
func evalKind(st extract.Statement) string {
	switch st.Kind {
	case extract.Direct:
		return "direct"
	case extract.Mixed:
		return "mixed"
	case extract.AccordingTo:
		if strings.ContainsAny(st.Text, "“”\"") {
			return "mixed"
		}
	}
	return "indirect"
}

// tokens are the word tokens of an article: runs of letters and digits,
// as code-point ranges.
type tokens [][2]int

func tokenize(rs []rune) tokens {
	var out tokens
	start := -1
	for i, r := range rs {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case w && start < 0:
			start = i
		case !w && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(rs)})
	}
	return out
}

// cover returns the tokens overlapping [start, end).
func (t tokens) cover(start, end int) tokRange {
	lo := searchTok(t, func(tk [2]int) bool { return tk[1] > start })
	hi := searchTok(t, func(tk [2]int) bool { return tk[0] >= end })
	if hi < lo {
		hi = lo
	}
	return tokRange{lo, hi}
}

func searchTok(t tokens, f func([2]int) bool) int {
	lo, hi := 0, len(t)
	for lo < hi {
		m := (lo + hi) / 2
		if f(t[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func overlap(a tokRange, bs []tokRange) int {
	n := 0
	for _, b := range bs {
		lo, hi := max(a.lo, b.lo), min(a.hi, b.hi)
		if hi > lo {
			n += hi - lo
		}
	}
	return n
}

// coverage counts the tokens of g covered by the union of rs.
func coverage(g []tokRange, rs []tokRange) int {
	n := 0
	for _, gr := range g {
		for i := gr.lo; i < gr.hi; i++ {
			for _, r := range rs {
				if i >= r.lo && i < r.hi {
					n++
					break
				}
			}
		}
	}
	return n
}
