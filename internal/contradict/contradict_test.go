package contradict

import (
	"strings"
	"testing"
)

func scorer(t testing.TB) *Scorer {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// alertAt is the threshold the signal tests demand: the configuration's
// default expected precision.
const alertAt = 0.8

func TestSignals(t *testing.T) {
	s := scorer(t)
	cases := []struct {
		name, old, new, reason string
	}{
		{"negation flip", "The mayor has signed the building permit.", "The mayor has not signed the building permit.", "negated"},
		{"negation flip, never", "The club paid its players in March.", "The club never paid its players in March.", "negated"},
		{"negated quantifier over a near-synonym", "The proposals follow the agreements reached by the two ministers at their meeting.",
			"There were no commitments to take any concrete step, beyond continuing the talks.", "no \"commitments\""},
		{"negated quantifier, deal", "The two unions struck a deal with the rail operator.", "No agreement was reached between the unions and the operator.", "no \"agreement\""},
		{"antonym, WordNet", "The bridge toll will increase next year.", "The bridge toll will decrease next year.", "opposites"},
		{"antonym, newsroom", "The committee accepted the mayor's plan.", "The committee rejected the mayor's plan.", "opposites"},
		{"status flip", "Work on the new stadium has not started yet.", "Building the new stadium is already underway.", "under way"},
		{"status flip, halted", "Repairs on the tram line are underway.", "Repairs on the tram line have been halted.", "under way"},
		{"denial", "The minister accepted gifts from the builder.", "The minister denied that he accepted gifts from the builder.", "disputes"},
		{"denial, not accurate", "The agency kept files on the reporters.", "Reports that the agency kept files on reporters are not accurate.", "disputes"},
		{"numbers", "The flood destroyed 40 homes in the valley.", "The flood destroyed 300 homes in the valley.", "different figures"},
		{"numbers, bounds", "More than 1,000 nurses joined the strike.", "Fewer than 200 nurses joined the strike.", "different figures"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new})
			if !v.Alert(alertAt) {
				t.Errorf("no alert at %.2f: score %.3f (p %.3f), reasons %q, guards %q", alertAt, v.Score, v.Probability, v.Reasons, v.Guards)
			}
			if !strings.Contains(strings.Join(v.Reasons, " | "), c.reason) {
				t.Errorf("reasons %q lack %q", v.Reasons, c.reason)
			}
			// The verdict does not depend on which claim came first.
			w := s.Judge(Claim{Text: c.new}, Claim{Text: c.old})
			if w.Alert(alertAt) != v.Alert(alertAt) {
				t.Errorf("order matters: %.3f one way, %.3f the other", v.Score, w.Score)
			}
		})
	}
}

func TestGuards(t *testing.T) {
	s := scorer(t)
	cases := []struct {
		name, old, new string
	}{
		{"same words", "The talks were useful and will go on.", "The talks were useful and will go on."},
		{"part of", "The proposals are being studied by the other side.", "The ministry said the proposals are being studied by the other side, and it expects an answer soon."},
		{"paraphrase", "The two leaders agreed to meet again in the autumn.", "The leaders agreed that they would meet again in the autumn."},
		{"hedged", "The minister will resign this week.", "The minister may not resign this week."},
		{"conditional", "The factory will close in June.", "If orders pick up, the factory will not close in June."},
		{"opinion against fact", "The summit took place in Oslo.", "I do not think the summit was a good idea."},
		{"different places", "The strike in Leeds has ended.", "The strike in Bristol has not ended."},
		{"different dates", "The bank raised interest rates in January 2019.", "The bank did not raise interest rates in June 2021."},
		{"negation about another matter", "There was a discussion between the two ministers about the fishing quotas.",
			"There was no discussion of the election timetable at the dinner."},
		{"compatible figures", "About 500 workers lost their jobs.", "Roughly 520 workers lost their jobs."},
		{"compatible bound", "More than 300 people attended the rally.", "About 450 people attended the rally."},
		{"different slot", "The fire killed 3 people.", "The fire injured 30 people."},
		{"double negation agrees", "The plan did not fail.", "The plan succeeded."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new})
			if v.Alert(0.5) {
				t.Errorf("alert at 0.5: score %.3f, reasons %q, guards %q", v.Score, v.Reasons, v.Guards)
			}
		})
	}
}

func TestDenialInTheCue(t *testing.T) {
	s := scorer(t)
	old := Claim{Text: "the company hid its losses from investors"}
	v := s.Judge(old, Claim{Text: "it hid its losses from investors", Context: "The company denied that it hid its losses from investors.", Cue: "denied"})
	if !v.Alert(alertAt) {
		t.Fatalf("a denial in the reporting cue is not alerted: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
}

func TestReasonsQuoteTheWords(t *testing.T) {
	s := scorer(t)
	v := s.Judge(Claim{Text: "The ministers reached an agreement on water."}, Claim{Text: "The ministers did not reach any agreement on water."})
	if len(v.Reasons) == 0 || !strings.Contains(v.Reasons[0], "agreement") {
		t.Fatalf("reasons %q should name the negated words", v.Reasons)
	}
}

func TestCalibrationIsMonotone(t *testing.T) {
	s := scorer(t)
	prev := -1.0
	for p := 0.0; p <= 1.0; p += 0.01 {
		c := Calibrated(s.model.Calibration, p)
		if c < prev-1e-12 {
			t.Fatalf("calibrated(%.2f) = %.4f < %.4f", p, c, prev)
		}
		prev = c
	}
}

func TestCalibrateKeepsPrecisionAboveThreshold(t *testing.T) {
	// Scores 0.9 (right), 0.8 (wrong), 0.7 (right), 0.6 (right), 0.1 (wrong)...
	rows := []Scored{{0.9, true, 1}, {0.8, false, 1}, {0.7, true, 1}, {0.6, true, 1}, {0.5, false, 1}, {0.4, false, 1}, {0.1, false, 1}}
	cal := Calibrate(rows, 0)
	for _, tc := range []float64{0.4, 0.5, 0.6} {
		var tp, n float64
		for _, r := range rows {
			if Calibrated(cal, r.P) >= tc {
				n++
				if r.Y {
					tp++
				}
			}
		}
		if n > 0 && (tp+1)/(n+2) < tc-1e-9 {
			t.Errorf("threshold %.2f: smoothed precision %.3f of %v alerts", tc, (tp+1)/(n+2), n)
		}
	}
}

func TestFitSeparates(t *testing.T) {
	var rows []Example
	for i := 0; i < 50; i++ {
		rows = append(rows, Example{X: []float64{1, 1}, Y: i%10 != 0, Weight: 1}, Example{X: []float64{1, 0}, Y: i%10 == 0, Weight: 1})
	}
	w := Fit(rows, 0.01, 50)
	if p := Logistic(w, []float64{1, 1}); p < 0.85 || p > 0.95 {
		t.Errorf("p(y|x=1) = %.3f, want about 0.9", p)
	}
	if p := Logistic(w, []float64{1, 0}); p < 0.05 || p > 0.15 {
		t.Errorf("p(y|x=0) = %.3f, want about 0.1", p)
	}
}

func TestEmbeddedWeightsMatchFeatures(t *testing.T) {
	s := scorer(t)
	if len(s.model.Calibration) < 2 {
		t.Fatalf("calibration has %d points", len(s.model.Calibration))
	}
}

func BenchmarkJudge(b *testing.B) {
	s := scorer(b)
	old := s.Analyse(Claim{Text: "Specific proposals on how the work could be organised have been sent to the other side, the ministry said in a statement on Friday."})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.JudgeAnalysed(old, s.Analyse(Claim{Text: "There were no commitments to undertake any concrete action, beyond agreement that both sides should continue discussions."}))
	}
}

func TestDenialOfTheAllegations(t *testing.T) {
	s := scorer(t)
	accusation := Claim{Text: "the senator took cash from the builder in a car park", Speaker: "Dana Roe",
		Context: "Dana Roe said Senator Kim Lark took cash from the builder in a car park."}
	denial := Claim{Text: "The senator denied the allegations.", Speaker: "Kim Lark"}
	v := s.Judge(accusation, denial)
	if !v.Alert(alertAt) || !strings.Contains(strings.Join(v.Reasons, " "), "allegations") {
		t.Errorf("denial of the allegations by the accused: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
	// The same words from someone the accusation does not name are aimed
	// at nothing in it.
	other := Claim{Text: "The senator denied the allegations.", Speaker: "Pat Moss"}
	if v := s.Judge(accusation, other); v.Alert(alertAt) {
		t.Errorf("denial by someone not named: %.3f %q", v.Score, v.Reasons)
	}
}

func TestNotDenials(t *testing.T) {
	s := scorer(t)
	cases := []struct{ name, old, new string }{
		{"neither confirm nor deny", "The ministry paid the settlement to the former aide.", "I can neither confirm nor deny that the ministry paid the settlement."},
		{"false as an attribute", "The committee published its report on the bank.", "The committee keeps spreading false information about the bank."},
		{"not A but B", "The strike is about pay.", "The strike is not about pay but about safety on the night shifts."},
		{"status words as nouns", "The new chief will take over starting March 1.", "The end date for my tenure is February 28."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new}); v.Alert(alertAt) {
				t.Errorf("alert %.3f %q %q", v.Score, v.Reasons, v.Guards)
			}
		})
	}
}

func TestModalAgainstFact(t *testing.T) {
	s := scorer(t)
	v := s.Judge(Claim{Text: "Work on the new line has not started yet."}, Claim{Text: "We hope to meet soon so that we can start work on the new line."})
	if v.Alert(alertAt) {
		t.Errorf("a possibility against a fact: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
	// The same modality on both sides is a real conflict.
	v = s.Judge(Claim{Text: "The council will approve the harbour budget."}, Claim{Text: "The council will not approve the harbour budget."})
	if !v.Alert(alertAt) {
		t.Errorf("will against will not: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
}

func TestAcronymsDoNotEndClauses(t *testing.T) {
	s := scorer(t)
	d := s.Analyse(Claim{Text: "No U.S. or European aid will go to the region."}).d
	for _, tk := range d.toks {
		if tk.word == "aid" && !tk.neg {
			t.Fatalf("\"aid\" is outside the negation: the acronym ended the clause")
		}
	}
}

func TestMoreGuards(t *testing.T) {
	s := scorer(t)
	cases := []struct{ name, old, new string }{
		{"no one is nobody", "The mayor is one of the most popular leaders the city has had.", "No one, including the mayor, is above the law."},
		{"beliefs are not flipped", "I think the plan is unfair to tenants.", "You might not think the plan is unfair to tenants, but it is."},
		{"the asserted side asserts", "The deal did not offer any lasting protection for tenants.", "This proposal does not include lasting protection for tenants."},
		{"a contrast after a comma", "The law serves the public interest of the region.", "The law serves the public interest, not the special interests of the region."},
		{"ranges are no figures", "Children between 12 and 16 years old cannot vote.", "A 14 years old boy voted in the town."},
		{"a name in an adjunct", "The talks in Geneva were about water rights.", "The ministers did not sign any water deal during the Geneva talks."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new}); v.Alert(alertAt) {
				t.Errorf("alert %.3f %q %q", v.Score, v.Reasons, v.Guards)
			}
		})
	}
}

func TestFramingAndDenialRegion(t *testing.T) {
	s := scorer(t)
	if v := s.Judge(Claim{Text: "The bill is a first step toward housing reform."}, Claim{Text: "This fight is not about housing, it is about trust."}); v.Alert(alertAt) {
		t.Errorf("\"not about\" frames, it does not deny: %.3f %q", v.Score, v.Reasons)
	}
	// The denial is aimed at the statistics, not at the call the other
	// claim reports.
	old := Claim{Text: "The mayor argued for the tunnel and called on Ann Price, the transport chief"}
	den := Claim{Text: "The treasurer spoke next, calling on the mayor, who disputed Ann Price's statistics"}
	if v := s.Judge(old, den); v.Alert(alertAt) {
		t.Errorf("a denial aimed at something else: %.3f %q", v.Score, v.Reasons)
	}
	// A denial whose sentence names what the other claim says is alerted.
	old = Claim{Text: "The club paid the referee before the final"}
	den = Claim{Text: "Reports that the club paid the referee before the final are not accurate"}
	if v := s.Judge(old, den); !v.Alert(alertAt) {
		t.Errorf("a denial of the claim itself: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
}

func TestFiguresThatName(t *testing.T) {
	s := scorer(t)
	if v := s.Judge(Claim{Text: "Bridge plan 3 will reach stage 1 before the vote in district 4."}, Claim{Text: "Bridge plan 7 will reach stage 2 before the vote in district 4."}); v.Alert(alertAt) {
		t.Errorf("numbers that name plans and stages are no figures: %.3f %q", v.Score, v.Reasons)
	}
	if v := s.Judge(Claim{Text: "The flood destroyed 40 old homes in the valley."}, Claim{Text: "The flood destroyed 300 old homes in the valley."}); !v.Alert(alertAt) {
		t.Errorf("figures of the same thing: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
}

func TestNegatedSubset(t *testing.T) {
	s := scorer(t)
	// The negated claim's words are the other's, but the negated verb
	// ("held") has no partner: no flip, yet the claim denies the other.
	old := Claim{Text: "The regional ministers gather in Lisbon for their yearly meeting."}
	v := s.Judge(old, Claim{Text: "The ministers' yearly meeting is not held in Lisbon."})
	if !strings.Contains(strings.Join(v.Reasons, " | "), "negates what the other says") {
		t.Fatalf("reasons %q guards %q lack the negated subset", v.Reasons, v.Guards)
	}
	for _, c := range []struct{ name, new string }{
		{"question", "Why is the ministers' yearly meeting not held in Lisbon?"},
		{"hedged", "The ministers' yearly meeting may not be held in Lisbon."},
		{"few words shared", "The ministers did not travel by train to the coast."},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := s.Judge(old, Claim{Text: c.new})
			if strings.Contains(strings.Join(v.Reasons, " | "), "negates what the other says") {
				t.Errorf("negated subset fired: %q", v.Reasons)
			}
		})
	}
}

func TestCapitalisedHedgeInAName(t *testing.T) {
	l, err := NewLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if d := l.analyse("The lawyer for Eliza May spoke.", ""); d.hedge != "" {
		t.Errorf("\"May\" in a name is read as a hedge: %q", d.hedge)
	}
	if d := l.analyse("The lawyer may speak.", ""); d.hedge != "may" {
		t.Errorf("\"may\" is no hedge: %q", d.hedge)
	}
}

func TestBestAtRecall(t *testing.T) {
	pairs := []Pair{{Source: "s", Label: "contradiction"}, {Source: "s", Label: "neutral"}, {Source: "s", Label: "contradiction"},
		{Source: "s", Label: "contradiction"}, {Source: "s", Label: "neutral"}}
	r := []string{"why"}
	vs := []Verdict{{Score: 0.9, Reasons: r}, {Score: 0.8, Reasons: r}, {Score: 0.7, Reasons: r}, {Score: 0.95}, {Score: 0.6, Reasons: r}}
	// Alertable, by score: 0.9 right, 0.8 wrong, 0.7 right, 0.6 wrong; the
	// pair without a reason never counts.
	got := BestAtRecall(pairs, vs, 0.6)
	if got[0].Source != "s" || !got[0].Reached || got[0].TP != 2 || got[0].Predicted != 3 || got[0].Threshold != 0.7 {
		t.Fatalf("R>=0.6: %+v", got[0])
	}
	got = BestAtRecall(pairs, vs, 0.3)
	if got[0].Precision != 1 || got[0].Threshold != 0.9 {
		t.Fatalf("R>=0.3: %+v", got[0])
	}
	if got = BestAtRecall(pairs, vs, 0.9); got[0].Reached || got[0].TP != 2 {
		t.Fatalf("R>=0.9 cannot be reached: %+v", got[0])
	}
}

func TestSubjectInAnotherClause(t *testing.T) {
	s := scorer(t)
	// The diplomats speak; nothing says Okafor is one. (Two words only:
	// with three, the negated subset would still fire on the words alone.)
	v := s.Judge(Claim{Text: "Mr. Lindqvist will travel to Lagos next month to meet Okafor, diplomats said."},
		Claim{Text: "Okafor is not a diplomat."})
	if v.Alert(0.5) {
		t.Fatalf("alert: %.3f %q %q", v.Score, v.Reasons, v.Guards)
	}
	// Said of the same person in one clause, it is a flip.
	v = s.Judge(Claim{Text: "The career diplomat Chidi Okafor met the minister."}, Claim{Text: "Chidi Okafor is not a diplomat."})
	if !strings.Contains(strings.Join(v.Reasons, " | "), "negated") {
		t.Fatalf("no flip: %q %q", v.Reasons, v.Guards)
	}
}

func TestCapitalisedCuesInNames(t *testing.T) {
	l, err := NewLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if d := l.analyse("Reporters Without Borders published its index.", ""); d.negated {
		t.Error("\"Without\" inside a name is read as a negation")
	}
	if d := l.analyse("He left without a word.", ""); !d.negated {
		t.Error("\"without\" is no negation")
	}
	d := l.analyse("The May 3 ferry sinking killed 40 people.", "")
	for i := range d.toks {
		if m := l.modalAt(d, i); m != "" {
			t.Fatalf("the month \"May\" is read as a modal (%q)", m)
		}
	}
}

func TestFlipSaidOfOtherRoles(t *testing.T) {
	s := scorer(t)
	cases := []struct{ name, old, new, guard string }{
		{"roles reversed", "The mayor criticised the council over the budget cuts.", "The mayor was never criticised by the council over the budget cuts.", "roles are reversed"},
		{"superlative narrowed", "Ana Ruiz became the first Spanish woman to climb the north face.", "Ana Ruiz was not the first woman to climb the north face.", "narrowed"},
		{"modifier on another noun", "The storm destroyed a bridge and flooded a coastal village.", "No coastal bridge was destroyed by the storm.", "qualifies"},
		{"the agent is the other's object", "At the hearing, Olsen attacked the union over the strike.", "Olson was never attacked by the union over the strike.", "roles are reversed"},
		{"the predicate noun is another subject", "Chidi Okafor said that the rebels are ready to return to the talks.", "Chidi Okafor was never a rebel.", "does not say the subject"},
		{"the predicate noun is a modifier", "The shop sells cheap furniture for your home office needs.", "The shop was never a home.", "does not say the subject"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new})
			if v.Alert(alertAt) || len(v.Reasons) > 0 {
				t.Errorf("alert %.3f, reasons %q", v.Score, v.Reasons)
			}
			if !strings.Contains(strings.Join(v.Guards, " | "), c.guard) {
				t.Errorf("guards %q lack %q", v.Guards, c.guard)
			}
		})
	}
	// The same words with the roles kept do contradict.
	for _, c := range [][2]string{
		{"The council criticised the mayor over the budget cuts.", "The mayor was never criticised by the council over the budget cuts."},
		{"Ana Ruiz became the first woman to climb the north face.", "Ana Ruiz was not the first woman to climb the north face."},
		{"The storm destroyed a coastal bridge near the village.", "No coastal bridge was destroyed by the storm."},
		{"Chidi Okafor was a rebel commander for ten years.", "Chidi Okafor was never a rebel."},
	} {
		if v := s.Judge(Claim{Text: c[0]}, Claim{Text: c[1]}); !v.Alert(alertAt) {
			t.Errorf("%q against %q: no alert (%.3f, reasons %q, guards %q)", c[0], c[1], v.Score, v.Reasons, v.Guards)
		}
	}
}

func TestNegationOverAlternativesAndNearSynonyms(t *testing.T) {
	s := scorer(t)
	cases := []struct{ name, old, new, reason string }{
		// "not A or B" denies A on its own: B does not dilute the flip.
		{"alternatives", "The council approved the budget for the new library.",
			"The council did not approve the budget or the parking charges.", `"approved" is negated`},
		{"near-synonym, aware", "The minister knew about the leak at the plant in March.",
			"The minister was not aware of the leak at the plant in March.", `"knew" is negated`},
		{"near-synonym, necessary", "Longer closures of the bridge are needed this winter.",
			"Closures of the bridge are not necessary this winter.", `"needed" is negated`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := s.Judge(Claim{Text: c.old}, Claim{Text: c.new})
			if !v.Alert(alertAt) || !strings.Contains(strings.Join(v.Reasons, " | "), c.reason) {
				t.Errorf("alert %.3f, reasons %q, guards %q", v.Score, v.Reasons, v.Guards)
			}
		})
	}
}

func TestKnowingIsSaidOfSomeone(t *testing.T) {
	s := scorer(t)
	v := s.Judge(Claim{Text: "The mayor knows that the tram contract is a bad deal for the city."},
		Claim{Text: "I do not understand the tram contract at all."})
	if len(v.Reasons) > 0 || !strings.Contains(strings.Join(v.Guards, " | "), "not said of the same person") {
		t.Errorf("alert %.3f, reasons %q, guards %q", v.Score, v.Reasons, v.Guards)
	}
	if v := s.Judge(Claim{Text: "The minister knew about the leak at the plant in March."},
		Claim{Text: "The minister was not aware of the leak at the plant in March."}); !v.Alert(alertAt) {
		t.Errorf("same knower: alert %.3f, reasons %q, guards %q", v.Score, v.Reasons, v.Guards)
	}
}

func TestAcronymsAreNames(t *testing.T) {
	l, err := NewLexicon()
	if err != nil {
		t.Fatal(err)
	}
	a := l.analyse("Talks between the US and NATO stalled.", "")
	b := l.analyse("The U.S. left the talks.", "")
	find := func(d *doc, w string) *token {
		for i := range d.toks {
			if d.toks[i].word == w {
				return &d.toks[i]
			}
		}
		t.Fatalf("no %q in %q", w, d.text)
		return nil
	}
	us, nato, dotted := find(a, "us"), find(a, "nato"), find(b, "u.s.")
	if !us.content || !us.name || !nato.name || !dotted.name {
		t.Errorf("acronyms are not content names: US %+v, NATO %+v, U.S. %+v", *us, *nato, *dotted)
	}
	if us.stem != dotted.stem {
		t.Errorf("US and U.S. do not align: stems %q, %q", us.stem, dotted.stem)
	}
	// A small word in capitals at the start of a sentence is no acronym,
	// nor is a shouted negation.
	c := l.analyse("We said NO to the plan.", "")
	if w := find(c, "we"); w.content || w.name {
		t.Errorf("\"We\" read as a name: %+v", *w)
	}
	if !c.negated {
		t.Error("\"NO\" in capitals is still a negation")
	}
}
