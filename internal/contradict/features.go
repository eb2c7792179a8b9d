package contradict

import (
	"fmt"
	"math"
	"strings"
)

// FeatureNames returns the names of the model's inputs, in order. Weights
// files list them so a file trained on another feature set is refused.
func FeatureNames() []string {
	return []string{
		"bias",
		"neg_flip",           // a predicate or thing asserted in one claim is negated in the other
		"neg_flip_x_cov",     // ... weighted by how much of the negated claim the other covers
		"neg_flip_scope",     // share of the negated phrase's words the other claim has
		"neg_quant",          // the negation is a quantifier ("no commitments") over an aligned noun
		"neg_unaligned",      // one claim negated, nothing aligned under the negation
		"cov_neg",            // coverage of the negated claim by the other
		"antonym",            // antonym pair with the same polarity
		"antonym_x_cov",      // ... weighted by coverage
		"antonym_negated",    // antonym pair with opposite polarity: "not lose" is "win"
		"status_flip",        // started against not started / halted
		"denial",             // one claim denies, disputes or calls false what the other says
		"num_mismatch",       // different figures for the same thing
		"date_mismatch",      // different years or months for aligned claims
		"swap",               // the claims differ in exactly one word each
		"swap_x_cov",         // ... weighted by coverage
		"cov_min",            // word coverage, lesser direction
		"cov_max",            // word coverage, greater direction
		"hedge",              // may, might, reportedly ...
		"conditional",        // if, unless ...
		"opinion",            // think, believe, good, should ...
		"entity_mismatch",    // both name things, none in common
		"scope_mismatch",     // negation aligned on a head whose complement differs (other matter)
		"both_negated",       // both claims negated
		"neg_flip_x_hedge",   // a flip inside a hedged claim
		"signal_x_low_cov",   // any signal with little else in common
		"neg_flip_x_entdiff", // a flip between claims about different names
		"neg_new_names",      // share of the negated claim's names the other lacks
		"antonym_slot",       // the opposites stand where everything else is the same
		"num_x_cov",          // different figures, weighted by coverage
		"neg_flip_head",      // the flipped word heads the negated phrase, or a quantifier governs it
		"neg_subject",        // with a flip: every word before the negation (its subject) has a partner
		"neg_compact",        // with a flip: the partners of the negated claim stand close together
		"antonym_loose",      // opposites not said of the same thing: a feature, never a reason
		"new_neg_only",       // the later claim negative, the earlier not, nothing aligned under the negation
		"new_neg_only_x_cov", // ... weighted by the later claim's coverage
		"new_neg_strong",     // ... and the negation is absolute: never, nobody, nothing, no
		"neg_head_aligned",   // with a flip: the first word under the negation has a partner
		"neg_subset",         // one claim negated, nearly all its words in the other, which is affirmative
		"neg_subset_x_cov",   // ... weighted by the negated claim's coverage
		"neg_subset_all",     // ... and every word of the negated claim has a partner
		"neg_subset_compact", // ... times how close together its partners stand in the other
		"neg_tight",          // a flip, every word of the negated claim aligned, partners close together
	}
}

const (
	fBias = iota
	fNegFlip
	fNegFlipCov
	fNegFlipScope
	fNegQuant
	fNegUnaligned
	fCovNeg
	fAntonym
	fAntonymCov
	fAntonymNegated
	fStatusFlip
	fDenial
	fNumMismatch
	fDateMismatch
	fSwap
	fSwapCov
	fCovMin
	fCovMax
	fHedge
	fConditional
	fOpinion
	fEntityMismatch
	fScopeMismatch
	fBothNegated
	fNegFlipHedge
	fSignalLowCov
	fNegFlipEntDiff
	fNegNewNames
	fAntonymSlot
	fNumCov
	fNegFlipHead
	fNegSubject
	fNegCompact
	fAntonymLoose
	fNewNegOnly
	fNewNegOnlyCov
	fNewNegStrong
	fNegHeadAligned
	fNegSubset
	fNegSubsetCov
	fNegSubsetAll
	fNegSubsetCompact
	fNegTight
	numFeatures
)

// evidence is what the features were computed from, for reasons.
type evidence struct {
	reasons []string
	guards  []string
	blocked bool // a hard guard holds: no alert
}

func disjointSets(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return false
		}
	}
	return true
}

// align finds, for each content token of a, the index of a matching token
// in b (-1 when none): the same stem, the same near-synonym group, or one
// stem the start of the other ("Russia", "Russian").
func align(a, b *doc) []int {
	out := make([]int, len(a.toks))
	for i := range a.toks {
		out[i] = -1
		ta := &a.toks[i]
		if !ta.content && !ta.isNum {
			continue
		}
		best, bestScore := -1, 0
		for j := range b.toks {
			tb := &b.toks[j]
			if !tb.content && !tb.isNum {
				continue
			}
			s := 0
			switch {
			case ta.isNum || tb.isNum:
				if ta.isNum && tb.isNum && ta.num == tb.num {
					s = 3
				}
			case ta.stem == tb.stem:
				s = 3
			case ta.group != "" && ta.group == tb.group:
				s = 2
			case related(ta.stem, tb.stem):
				s = 1
			}
			// Prefer a partner of the same polarity: "agreed ... no
			// commitments" against "agreement" aligns the positive one.
			if s > 0 && ta.neg == tb.neg {
				s += 4
			}
			if s > bestScore {
				best, bestScore = j, s
			}
		}
		out[i] = best
	}
	return out
}

// related: one stem extends the other by a few letters ("russia",
// "russian"; "salvador", "salvadoran").
func related(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 5 || len(b)-len(a) > 3 {
		return false
	}
	// A shorter stem that begins the longer: "russia", "russian".
	return strings.HasPrefix(b, a)
}

func coverage(a *doc, al []int) float64 {
	n, m := 0, 0
	for i, t := range a.toks {
		if t.content {
			n++
			if al[i] >= 0 {
				m++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(m) / float64(n)
}

// flip is a token negated in one claim, aligned with an asserted one.
type flip struct {
	neg, pos   *doc
	ni, pi     int
	scope      float64 // share of the negated phrase the positive claim has
	quantifier bool
}

// scopeCoverage is the share of content words under the cue scoping token
// i that are aligned in the other claim. Words after "any" are generic ("no
// commitments to undertake any action" denies every commitment) and left
// out.
func scopeCoverage(d *doc, i int, al []int) float64 {
	cue := d.toks[i].cue
	if cue < 0 {
		return 0
	}
	// "not A or B" denies A and B each: alternatives are counted apart,
	// and the flipped word's own one counts when it is covered better.
	n, m := 0, 0
	seg, segN, segM, mine := 0, 0, 0, false
	best := -1.0
	endSeg := func() {
		if mine && segN > 0 {
			best = float64(segM) / float64(segN)
		}
		seg, segN, segM, mine = seg+1, 0, 0, false
	}
	generic := false
	for j := cue + 1; j < len(d.toks) && d.toks[j].cue == cue; j++ {
		t := d.toks[j]
		if t.word == "or" || t.word == "nor" {
			endSeg()
			generic = false
			continue
		}
		if j == i {
			mine = true
		}
		if t.word == "to" || t.word == "of" || t.word == "about" || t.word == "on" {
			generic = false
			// "to undertake any action": the infinitive is generic when it
			// ends in "any".
			for k := j + 1; k < len(d.toks) && d.toks[k].cue == cue && k <= j+4; k++ {
				if d.toks[k].word == "any" || d.toks[k].word == "anything" {
					generic = true
					break
				}
				if d.toks[k].word == "to" || d.toks[k].word == "of" {
					break
				}
			}
		}
		if t.word == "any" {
			generic = true
		}
		if !t.content || generic && j != i || lightVerb(t.stem) && j != i {
			continue
		}
		n++
		segN++
		if al[j] >= 0 {
			m++
			segM++
		}
	}
	if seg > 0 {
		endSeg()
	}
	if n == 0 {
		return 0
	}
	return math.Max(best, float64(m)/float64(n))
}

// lightVerb reports verbs (and a few nouns) that carry little meaning of
// their own in "come to an agreement", "make a commitment", "reach a deal",
// "file charges", "no intention of resigning". Stems.
func lightVerb(stem string) bool {
	switch stem {
	case "come", "make", "reach", "have", "take", "give", "get", "do", "go", "hold", "be",
		"file", "bring", "lodg", // charges are filed, brought, lodged
		"intent", "intend", "plan": // "no intention of resigning", "no plans to close"
		return true
	}
	return false
}

func (l *Lexicon) findFlips(a, b *doc, ab []int) []flip {
	var out []flip
	for i, j := range ab {
		if j < 0 {
			continue
		}
		ta, tb := &a.toks[i], &b.toks[j]
		if ta.neg == tb.neg || !ta.content || lightVerb(ta.stem) || lightVerb(tb.stem) || l.belief[ta.stem] {
			continue
		}
		f := flip{neg: a, pos: b, ni: i, pi: j}
		if tb.neg {
			f = flip{neg: b, pos: a, ni: j, pi: i}
		}
		// The asserted side must assert: a word in a negated clause ("this
		// proposal does not include ...") is no assertion of it.
		if negatedClause(f.pos, f.pi) {
			continue
		}
		f.quantifier = f.neg.toks[f.ni].quant
		out = append(out, f)
	}
	return out
}

// features computes the feature vector of a pair and the evidence behind
// it. a is the earlier claim, b the new one; the features are symmetric.
func (l *Lexicon) features(a, b *doc) ([]float64, evidence) {
	x := make([]float64, numFeatures)
	x[fBias] = 1
	var ev evidence
	ab, ba := align(a, b), align(b, a)
	covA, covB := coverage(a, ab), coverage(b, ba)
	x[fCovMin], x[fCovMax] = math.Min(covA, covB), math.Max(covA, covB)

	// Negation flips on aligned words.
	flips := append(l.findFlips(a, b, ab), l.findFlips(b, a, ba)...)
	var best *flip
	for k := range flips {
		f := &flips[k]
		al := ab
		if f.neg == b {
			al = ba
		}
		f.scope = scopeCoverage(f.neg, f.ni, al)
		if best == nil || f.quantifier && !best.quantifier || f.quantifier == best.quantifier && (f.scope > best.scope ||
			f.scope == best.scope && f.ni-f.neg.toks[f.ni].cue < best.ni-best.neg.toks[best.ni].cue) {
			best = f
		}
	}
	aNeg, bNeg := a.negated, b.negated
	switch {
	case aNeg && bNeg:
		x[fBothNegated] = 1
	case aNeg:
		x[fCovNeg] = covA
		x[fNegNewNames] = newNames(a, ab)
	case bNeg:
		x[fCovNeg] = covB
		x[fNegNewNames] = newNames(b, ba)
	}
	entDiff := entityMismatch(a, b, ab, ba)
	if entDiff {
		x[fEntityMismatch] = 1
		ev.guards = append(ev.guards, "the claims name different people or places")
	}
	signal := false
	flipHedge := "" // a hedge or condition on the flipped words
	apart := ""     // the flipped word is said of other roles or things
	if best != nil {
		covNeg := covA
		if best.neg == b {
			covNeg = covB
		}
		x[fNegFlipScope] = best.scope
		head := best.quantifier || headOf(best.neg, best.ni)
		// The flipped word must head the negated phrase (a quantified noun,
		// the first word after the cue), or the phrase be covered nearly
		// whole; a name in an adjunct ("during the Helsinki summit") is
		// never the negated thing.
		nameOnly := best.neg.toks[best.ni].name && !head
		negAl := ab
		if best.neg == b {
			negAl = ba
		}
		if best.quantifier && !complementAligned(best.neg, best.ni, negAl) {
			best.scope = math.Min(best.scope, 0.4) // "no discussion of [future contacts]": another matter
		}
		x[fNegFlipScope] = best.scope
		subjectElsewhere := !best.quantifier && subjectApart(best.neg, best.pos, best.ni, best.pi, negAl)
		apart = l.flipApart(best.neg, best.pos, best.ni, best.pi, negAl)
		if best.scope >= 0.6 && (head || best.scope >= 0.75) && !nameOnly && (best.quantifier || alignedPairs(a, ab) >= 2) && !subjectElsewhere && apart == "" {
			signal = true
			x[fNegFlip] = 1
			x[fNegFlipCov] = covNeg
			if head {
				x[fNegFlipHead] = 1
			}
			if m, ok := hedgedAt(best.neg, best.ni); ok {
				flipHedge = m
			} else if m, ok := hedgedAt(best.pos, best.pi); ok {
				flipHedge = m
			} else if m := l.modalAt(best.neg, best.ni); m != l.modalAt(best.pos, best.pi) {
				flipHedge = firstNonEmpty(m, l.modalAt(best.pos, best.pi)) // "can start" against "has not started"
			}
			al := ab
			if best.neg == b {
				al = ba
			}
			x[fNegSubject] = subjectAligned(best.neg, best.ni, al)
			if h := headIndex(best.neg, best.neg.toks[best.ni].cue); h >= 0 && al[h] >= 0 {
				x[fNegHeadAligned] = 1
			}
			x[fNegCompact] = compactness(best.neg, al)
			if entDiff {
				x[fNegFlipEntDiff] = 1
			}
			nw, pw := phrase(best.neg, best.ni), phrase(best.pos, best.pi)
			if best.quantifier {
				x[fNegQuant] = 1
				ev.reasons = append(ev.reasons, fmt.Sprintf("one claim says there were none, no %q (%q); the other speaks of %q (%q)",
					best.neg.toks[best.ni].word, nw, best.pos.toks[best.pi].word, pw))
			} else {
				ev.reasons = append(ev.reasons, fmt.Sprintf("%q is negated in one claim (%q) and asserted in the other (%q)",
					best.pos.toks[best.pi].word, nw, pw))
			}
		} else if apart != "" {
			x[fScopeMismatch] = 1
			ev.guards = append(ev.guards, apart)
		} else if subjectElsewhere {
			x[fScopeMismatch] = 1
			ev.guards = append(ev.guards, fmt.Sprintf("the other claim says %q of something else (%q)",
				best.pos.toks[best.pi].word, phrase(best.pos, best.pi)))
		} else {
			x[fScopeMismatch] = 1
			ev.guards = append(ev.guards, fmt.Sprintf("the negated %q is about something else (%q)",
				best.neg.toks[best.ni].word, phrase(best.neg, best.ni)))
		}
	} else if aNeg != bNeg {
		x[fNegUnaligned] = 1
		// A later claim that is negative where the earlier one was not,
		// on the same matter but without a word to pin the negation on: a
		// weak sign, which the model scores low unless more agrees.
		if bNeg && covB >= 0.1 && alignedInNegClause(b, ba) {
			x[fNewNegOnly] = 1
			x[fNewNegOnlyCov] = covB
			if strongNegation(b) {
				x[fNewNegStrong] = 1
			}
			// A feature only: on newsroom pairs it alerted on claims that
			// merely shared a name, so it never makes a reason by itself.
		}
	}

	// The negated claim repeats the other nearly word for word: "the
	// meeting is not held in Laos" against "the ministers gather in Laos
	// for their meeting". Its words, negation aside, are the other's.
	// A hedge or a condition in the negated claim or in the clauses of
	// its partners, or a question ("why would he not do it?"), leaves
	// nothing asserted to negate.
	subsetDone := false
	for _, c := range []struct {
		n, p *doc
		nal  []int
	}{{a, b, ab}, {b, a, ba}} {
		n, p, nal := c.n, c.p, c.nal
		if subsetDone || !n.negated || n.hedge != "" || n.conditional != "" || strings.Contains(n.text, "?") || strings.Contains(p.text, "?") ||
			markedClause(p, p.hedges, nal) || markedClause(p, p.conds, nal) {
			continue
		}
		if m, k, ok := negSubset(n, p, nal); ok {
			subsetDone = true
			x[fNegSubset] = 1
			x[fNegSubsetCov] = float64(m) / float64(k)
			if m == k {
				x[fNegSubsetAll] = 1
			}
			x[fNegSubsetCompact] = compactness(n, nal)
			if x[fNegFlip] > 0 && m == k {
				x[fNegTight] = x[fNegCompact]
			}
			if x[fNegFlip] == 0 && apart == "" {
				signal = true
				ev.reasons = append(ev.reasons, fmt.Sprintf("one claim negates what the other says: %d of its %d words are in the other, which says it without a negation (%q)",
					m, k, negPhrase(n)))
			}
		}
	}

	// Antonyms.
	if ta, tb, src, same, anchored, ok := l.findAntonyms(a, b, ab); ok {
		if !anchored {
			x[fAntonymLoose] = 1
		} else if same {
			signal = true
			x[fAntonym] = 1
			x[fAntonymCov] = x[fCovMax]
			// Everything but the opposites aligned: "the toll will rise"
			// against "the toll will fall".
			if unalignedShare(a, ab) <= 0.34 && unalignedShare(b, ba) <= 0.34 {
				x[fAntonymSlot] = 1
			}
			ev.reasons = append(ev.reasons, fmt.Sprintf("%q against %q (opposites, %s list)", ta.word, tb.word, src))
		} else {
			x[fAntonymNegated] = 1
		}
	}

	// Status: begun against not begun or halted.
	if sa, wa := l.statusOf(a); sa != 0 {
		if sb, wb := l.statusOf(b); sb != 0 && sb != sa && l.modalStatus(a) == l.modalStatus(b) {
			signal = true
			x[fStatusFlip] = 1
			ev.reasons = append(ev.reasons, fmt.Sprintf("one claim says it is under way (%q), the other that it has not started or has stopped (%q)",
				pick(sa > 0, wa, wb), pick(sa > 0, wb, wa)))
		}
	}

	// Denials aimed at the other claim.
	if (a.denial != "") != (b.denial != "") {
		den, other, cov := a, b, covB
		if b.denial != "" {
			den, other, cov = b, a, covA
		}
		// A denial names what it denies in its sentence as much as in its
		// words ("BuzzFeed's description of ... is not accurate").
		if len(den.ctx) > 0 {
			cov = max(cov, coveredBy(other, den))
		}
		// "X denied the allegations": aimed at the earlier claims about X.
		if den.target != "" && aimedAt(den, other) {
			x[fDenial] = 1
			signal = true
			ev.reasons = append(ev.reasons, fmt.Sprintf("%s %s the %s the other claim makes about them (%q)",
				strings.Join(den.speaker, " "), den.denial, den.target, phrase(den, indexOf(den, den.target))))
		} else if cov > 0 {
			x[fDenial] = cov
			// A denial disputes an assertion, not another denial.
			if cov >= 0.4 && l.denialClauseAligned(den, align(den, other)) >= 2 && !other.negated && other.denial == "" {
				signal = true
				ev.reasons = append(ev.reasons, fmt.Sprintf("one claim disputes the other (%q)", den.denial))
			}
		}
	}

	// Figures and dates.
	if r, ok := numberMismatch(a, b, x[fCovMin]); ok {
		signal = true
		x[fNumMismatch] = 1
		x[fNumCov] = x[fCovMin]
		ev.reasons = append(ev.reasons, r)
	}
	if r, ok := dateMismatch(a, b); ok {
		x[fDateMismatch] = 1
		if x[fCovMin] >= 0.5 && best == nil {
			signal = true
			ev.reasons = append(ev.reasons, r)
		} else {
			ev.guards = append(ev.guards, "different dates: "+r)
		}
	}

	// One word swapped.
	if wa, wb, ok := swapped(a, b, ab, ba); ok {
		x[fSwap] = 1
		x[fSwapCov] = x[fCovMin]
		_, _ = wa, wb // a swapped word alone is a weak sign: a feature, never a reason
	}

	// Guards.
	// Hard guards: a hedged or conditional claim, an opinion against a
	// fact, or claims set in different places or at different dates are
	// never alerted, whatever the signals; the model still sees them.
	block := func(why string) {
		ev.guards = append(ev.guards, why)
		ev.blocked = true
	}
	// A flip is blocked by a hedge in the clause of the flipped words, or a
	// condition in their sentence; the other signals by one anywhere.
	onlyFlip := x[fNegFlip] > 0 && x[fAntonym] == 0 && x[fStatusFlip] == 0 && x[fDenial] < 0.3 && x[fNumMismatch] == 0
	if h := firstNonEmpty(a.hedge, b.hedge); h != "" {
		x[fHedge] = 1
		if x[fNegFlip] > 0 && flipHedge != "" {
			x[fNegFlipHedge] = 1
		}
		if !onlyFlip || flipHedge != "" {
			block(fmt.Sprintf("hedged (%q)", firstNonEmpty(flipHedge, h)))
		} else {
			ev.guards = append(ev.guards, fmt.Sprintf("hedged elsewhere (%q)", h))
		}
	}
	if flipHedge != "" && onlyFlip && x[fHedge] == 0 {
		block(fmt.Sprintf("modal (%q): a possibility, not a fact", flipHedge))
	}
	if c := firstNonEmpty(a.conditional, b.conditional); c != "" {
		x[fConditional] = 1
		if !onlyFlip || flipHedge != "" {
			block(fmt.Sprintf("conditional (%q)", c))
		}
	}
	if o := firstNonEmpty(a.opinion, b.opinion); o != "" {
		x[fOpinion] = 1
		if l.belief[l.stem(o)] && (a.opinion == "") != (b.opinion == "") {
			block(fmt.Sprintf("an opinion (%q) against a statement of fact", o))
		} else {
			ev.guards = append(ev.guards, fmt.Sprintf("opinion (%q)", o))
		}
	}
	if len(a.locs) > 0 && len(b.locs) > 0 && disjointSets(a.locs, b.locs) {
		block(fmt.Sprintf("different places (%s, %s): other events", anyKey(a.locs), anyKey(b.locs)))
	}
	if x[fDateMismatch] > 0 && len(ev.reasons) > 1 {
		block("different dates: other events")
	}
	if signal && x[fCovMax] < 0.3 {
		x[fSignalLowCov] = 1
	}
	if !signal && x[fCovMin] > 0.8 {
		ev.guards = append(ev.guards, "the claims say the same thing")
	}
	return x, ev
}

// subjectAligned is the share of content words before the negation cue
// scoping token i that have a partner: who or what the claim is about.
func subjectAligned(d *doc, i int, al []int) float64 {
	c := d.toks[i].cue
	n, m := 0, 0
	for j := c - 1; j >= 0 && !d.toks[j].punct; j-- {
		if d.toks[j].content {
			n++
			if al[j] >= 0 {
				m++
			}
		}
	}
	if n == 0 {
		return 1
	}
	return float64(m) / float64(n)
}

// compactness is how closely the partners of d's words stand in the other
// claim: aligned words over the span they cover there (1: side by side).
func compactness(d *doc, al []int) float64 {
	lo, hi, n := -1, -1, 0
	for i, j := range al {
		if j < 0 || !d.toks[i].content {
			continue
		}
		n++
		if lo < 0 || j < lo {
			lo = j
		}
		if j > hi {
			hi = j
		}
	}
	if n < 2 {
		return 0
	}
	return math.Min(1, 2*float64(n)/float64(hi-lo+1))
}

// strongNegation reports an absolute negation: never, nobody, nothing, no.
func strongNegation(d *doc) bool {
	for _, t := range d.toks {
		if t.negCue && t.word != "not" && t.word != "without" && t.word != "nor" {
			return true
		}
	}
	return false
}

// negPhrase quotes the first negation of d with a few words after it.
func negPhrase(d *doc) string {
	for i, t := range d.toks {
		if t.negCue {
			var ws []string
			for k := max(0, i-2); k < len(d.toks) && k <= i+3; k++ {
				if !d.toks[k].punct {
					ws = append(ws, d.toks[k].word)
				}
			}
			return strings.Join(ws, " ")
		}
	}
	return ""
}

// aimedAt reports a denier named in the other claim or its sentence.
func aimedAt(den, other *doc) bool {
	if strings.Join(den.speaker, " ") == strings.Join(other.speaker, " ") {
		return false // a speaker's denial is not aimed at their own claims
	}
	for _, w := range den.speaker {
		if other.mentioned(w) {
			return true
		}
	}
	return false
}

func indexOf(d *doc, word string) int {
	for i, t := range d.toks {
		if t.word == word {
			return i
		}
	}
	return 0
}

// coveredBy is the share of d's content words found in den's words or
// the sentence around them.
func coveredBy(d, den *doc) float64 {
	n, m := 0, 0
	for _, t := range d.toks {
		if !t.content {
			continue
		}
		n++
		if den.ctx[t.stem] || t.group != "" && den.ctx[t.group] || den.hasStem(t.stem) {
			m++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(m) / float64(n)
}

// complementAligned reports whether the complement that restricts a
// quantified noun ("no discussion [of future contacts]") names something
// the other claim has: the head of the complement has a partner. A noun
// with no such complement, or a generic one ("of any kind"), passes.
func complementAligned(d *doc, i int, al []int) bool {
	j := i + 1
	if j >= len(d.toks) {
		return true
	}
	switch d.toks[j].word {
	case "of", "about", "on", "over", "regarding", "concerning":
	default:
		return true
	}
	last := -1
	for k := j + 1; k < len(d.toks) && k <= j+5; k++ {
		t := d.toks[k]
		if t.word == "any" || t.word == "anything" {
			return true
		}
		if t.content {
			last = k
			continue
		}
		if last >= 0 || t.punct {
			break
		}
	}
	return last < 0 || al[last] >= 0
}

// denialClauseAligned counts the words with a partner in the region of
// den's denial word: what is denied ("who disputed Ms. Nielsen's
// statistics" denies statistics, not everything the sentence names).
func (l *Lexicon) denialClauseAligned(den *doc, al []int) int {
	first := strings.Fields(den.denial)[0]
	at := -1
	for i, t := range den.toks {
		if t.word == first {
			at = i
			break
		}
	}
	if at < 0 {
		return alignedPairs(den, al) // the denial is in the cue: the whole claim is denied
	}
	// The region: the denial's sentence, between the clause-opening words
	// ("who", "which", "but") around it; commas do not end it.
	from, to := at, at
	for from > 0 && den.toks[from-1].sent == den.toks[at].sent && !l.clauseBreak[den.toks[from-1].word] {
		from--
	}
	for to+1 < len(den.toks) && den.toks[to+1].sent == den.toks[at].sent && !l.clauseBreak[den.toks[to+1].word] {
		to++
	}
	n, common := 0, 0
	for i := from; i <= to; i++ {
		if den.toks[i].content && al[i] >= 0 {
			n++
			if !den.toks[i].name {
				common++
			}
		}
	}
	if common == 0 {
		return 0 // only names in common: "disputed Ann Price's statistics" is not about what Ann Price did
	}
	return n
}

// negatedClause reports a negation cue in token i's clause.
func negatedClause(d *doc, i int) bool {
	for _, t := range d.toks {
		if t.negCue && t.clause == d.toks[i].clause {
			return true
		}
	}
	return false
}

// alignedInNegClause reports a word with a partner in the clause of one
// of d's negation cues: the negation is said of the matter the claims
// share, not in an aside ("..., but did not provide details").
func alignedInNegClause(d *doc, al []int) bool {
	for c, t := range d.toks {
		if !t.negCue {
			continue
		}
		for i, u := range d.toks {
			if u.clause == d.toks[c].clause && u.content && al[i] >= 0 {
				return true
			}
		}
	}
	return false
}

// alignedPairs counts a's content words with a partner in the other claim.
func alignedPairs(a *doc, ab []int) int {
	n := 0
	for i, j := range ab {
		if j >= 0 && a.toks[i].content {
			n++
		}
	}
	return n
}

// hedgedAt reports a hedge in the clause of token i, or a condition in its
// sentence.
func hedgedAt(d *doc, i int) (string, bool) {
	for _, h := range d.hedges {
		if d.toks[h].clause == d.toks[i].clause {
			return d.toks[h].word, true
		}
	}
	for _, c := range d.conds {
		if d.toks[c].sent == d.toks[i].sent {
			return d.toks[c].word, true
		}
	}
	return "", false
}

// headIndex is the first content word after the cue at c, -1 when none.
func headIndex(d *doc, c int) int {
	for j := c + 1; j < len(d.toks) && d.toks[j].cue == c; j++ {
		if d.toks[j].content {
			return j
		}
	}
	return -1
}

// headOf reports whether token i is the first content word its negation
// cue governs ("not [signed] the treaty").
func headOf(d *doc, i int) bool {
	c := d.toks[i].cue
	if c >= 0 {
		switch d.toks[c].word {
		case "no", "none", "nothing", "nobody":
			return d.toks[i].quant // "no formal [work]": the noun heads
		}
	}
	for j := c + 1; j < i; j++ {
		if d.toks[j].content {
			return false
		}
	}
	return c >= 0
}

// unalignedShare is the share of d's content words with no partner.
func unalignedShare(d *doc, al []int) float64 {
	n, m := 0, 0
	for i, t := range d.toks {
		if t.content {
			n++
			if al[i] < 0 {
				m++
			}
		}
	}
	if n == 0 {
		return 1
	}
	return float64(m) / float64(n)
}

// newNames is the share of d's name words with no partner in the other claim.
func newNames(d *doc, al []int) float64 {
	n, m := 0, 0
	for i, t := range d.toks {
		if t.name && t.content {
			n++
			if al[i] < 0 {
				m++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(m) / float64(n)
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// phrase quotes a few words around token i, from its negation cue when it
// has one.
func phrase(d *doc, i int) string {
	from := i
	if c := d.toks[i].cue; c >= 0 && i-c <= 6 {
		from = c
	}
	for from > 0 && i-from < 2 && !d.toks[from-1].punct {
		from--
	}
	to := min(len(d.toks), i+3)
	var ws []string
	for k := from; k < to; k++ {
		if d.toks[k].punct {
			if k > i {
				break
			}
			continue
		}
		ws = append(ws, d.toks[k].word)
	}
	return strings.Join(ws, " ")
}

// findAntonyms finds a pair of opposites, one word in each claim. It
// prefers a pair of the same polarity that is anchored: a neighbouring
// content word of one has its partner next to the other ("the toll will
// [rise] next year", "the toll will [fall] next year"), so the opposites
// are said of the same thing.
func (l *Lexicon) findAntonyms(a, b *doc, ab []int) (ta, tb *token, src string, samePolarity, anchored, ok bool) {
	at := map[string][]int{}
	for j := range b.toks {
		if y := &b.toks[j]; y.content {
			at[y.stem] = append(at[y.stem], j)
			if y.group != "" {
				at[y.group] = append(at[y.group], j)
			}
		}
	}
	rank := func(same, anch bool) int {
		r := 1
		if same {
			r += 2
		}
		if anch {
			r++
		}
		return r
	}
	best := 0
	for i := range a.toks {
		x := &a.toks[i]
		if !x.content {
			continue
		}
		for _, k := range []string{x.stem, x.group} {
			if k == "" {
				continue
			}
			for _, anto := range l.antonymOf[k] {
				for _, j := range at[anto] {
					y := &b.toks[j]
					if x.stem == y.stem {
						continue
					}
					s, _ := l.antonyms(x, y)
					same := x.neg == y.neg
					anch := anchoredPair(a, b, ab, i, j)
					if r := rank(same, anch); r > best {
						best = r
						ta, tb, src, samePolarity, anchored, ok = x, y, s, same, anch, true
					}
				}
			}
		}
	}
	return
}

// anchoredPair reports whether a content word next to a's token i is
// aligned with a content word next to b's token j.
func anchoredPair(a, b *doc, ab []int, i, j int) bool {
	near := func(d *doc, k int) []int {
		var out []int
		for p := k - 1; p >= 0 && p >= k-3; p-- {
			if d.toks[p].content {
				out = append(out, p)
				break
			}
		}
		for n := k + 1; n < len(d.toks) && n <= k+3; n++ {
			if d.toks[n].content {
				out = append(out, n)
				break
			}
		}
		return out
	}
	nb := near(b, j)
	for _, p := range near(a, i) {
		for _, q := range nb {
			if ab[p] == q {
				return true
			}
		}
	}
	return false
}

// statusOf says whether a claim has something begun (+1) or not begun or
// stopped (-1), with the words that say so.
func (l *Lexicon) statusOf(d *doc) (int, string) {
	v, at := 0, -1
	for i, t := range d.toks {
		s := l.status[t.group]
		if s == 0 || nominal(d, i) || temporal(l, d, i) {
			continue
		}
		if t.neg {
			s = -s
		}
		if v != 0 && s != v {
			return 0, "" // begun and stopped in one claim: no clear status
		}
		if v == 0 {
			v, at = s, i
		}
	}
	if v == 0 {
		return 0, ""
	}
	return v, phrase(d, at)
}

// modalStatus is the modal in the clause of a claim's status word ("we
// can start", "will begin"), "" when none: a possibility or a plan is not a
// state of things.
func (l *Lexicon) modalStatus(d *doc) string {
	for i, t := range d.toks {
		if l.status[t.group] == 0 || nominal(d, i) || temporal(l, d, i) {
			continue
		}
		return l.modalAt(d, i)
	}
	return ""
}

// modalAt is the modal verb in token i's clause, "" when none.
func (l *Lexicon) modalAt(d *doc, i int) string {
	for _, u := range d.toks {
		if u.clause == d.toks[i].clause && l.modal[u.word] && !u.name {
			return u.word
		}
	}
	return ""
}

// nominal: a status word used as a noun or modifier ("the end date", "an
// end", "their ongoing attacks"), not said of the matter.
func nominal(d *doc, i int) bool {
	if i+1 < len(d.toks) && d.toks[i+1].content && !d.toks[i+1].neg && d.toks[i].word == "ongoing" {
		return true
	}
	if i == 0 {
		return false
	}
	switch d.toks[i-1].word {
	case "a", "an", "the", "its", "their", "his", "her", "this", "that", "our", "my", "your", "ongoing":
		return true
	}
	return false
}

// temporal: "starting January 1", "beginning in 2019": a date, not a status.
func temporal(l *Lexicon, d *doc, i int) bool {
	for k := i + 1; k < len(d.toks) && k <= i+2; k++ {
		t := d.toks[k]
		if t.isNum || l.months[t.word] || t.word == "next" || t.word == "tomorrow" || t.word == "today" {
			return true
		}
	}
	return false
}

// entityMismatch reports two claims that both name people or places, no
// name of either having a partner anywhere in the other.
func entityMismatch(a, b *doc, ab, ba []int) bool {
	names := func(d *doc, al []int) (n, aligned int) {
		for i, t := range d.toks {
			if t.name && t.content {
				n++
				if al[i] >= 0 {
					aligned++
				}
			}
		}
		return
	}
	na, ma := names(a, ab)
	nb, mb := names(b, ba)
	return na > 0 && nb > 0 && ma == 0 && mb == 0
}

func numberMismatch(a, b *doc, covMin float64) (string, bool) {
	for _, x := range a.nums {
		if x.year || x.slot == "" || x.rng {
			continue
		}
		for _, y := range b.nums {
			if y.year || y.rng || y.slot != x.slot || x.verb != "" && y.verb != "" && x.verb != y.verb {
				continue
			}
			// Without a verb on both sides, the claims must share more than
			// the counted thing.
			if (x.verb == "" || y.verb == "") && covMin < 0.4 {
				continue
			}
			if conflict(x, y) {
				return fmt.Sprintf("different figures for %q: %s against %s", x.slot, figure(x), figure(y)), true
			}
		}
	}
	return "", false
}

func figure(n number) string {
	v := fmt.Sprintf("%g", n.value)
	switch n.approx {
	case "about":
		return "about " + v
	case "more":
		return "more than " + v
	case "less":
		return "less than " + v
	}
	return v
}

// conflict reports whether two figures for the same slot cannot both hold.
func conflict(x, y number) bool {
	if x.approx == "more" || x.approx == "less" {
		x, y = y, x
	}
	lo := func(n number) (float64, float64) {
		switch n.approx {
		case "about":
			return n.value * 0.85, n.value * 1.15
		case "more":
			return n.value, math.Inf(1)
		case "less":
			return math.Inf(-1), n.value
		}
		return n.value * 0.99, n.value * 1.01
	}
	xl, xh := lo(x)
	yl, yh := lo(y)
	return xh < yl || yh < xl
}

func dateMismatch(a, b *doc) (string, bool) {
	var ya, yb []float64
	for _, n := range a.nums {
		if n.year {
			ya = append(ya, n.value)
		}
	}
	for _, n := range b.nums {
		if n.year {
			yb = append(yb, n.value)
		}
	}
	if len(ya) > 0 && len(yb) > 0 && disjoint(ya, yb) {
		return fmt.Sprintf("%g against %g", ya[0], yb[0]), true
	}
	if len(a.months) > 0 && len(b.months) > 0 {
		for m := range a.months {
			if b.months[m] {
				return "", false
			}
		}
		return fmt.Sprintf("%s against %s", anyKey(a.months), anyKey(b.months)), true
	}
	return "", false
}

func anyKey(m map[string]bool) string {
	best := ""
	for k := range m {
		if best == "" || k < best {
			best = k
		}
	}
	return best
}

func disjoint(a, b []float64) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return false
			}
		}
	}
	return true
}

// swapped reports two claims that differ in exactly one content word each.
func swapped(a, b *doc, ab, ba []int) (string, string, bool) {
	one := func(d *doc, al []int) (string, int, bool) {
		w, n, total := "", 0, 0
		for i, t := range d.toks {
			if !t.content {
				continue
			}
			total++
			if al[i] < 0 {
				n++
				w = t.word
			}
		}
		return w, total, n == 1
	}
	wa, na, oka := one(a, ab)
	wb, nb, okb := one(b, ba)
	if oka && okb && na >= 3 && nb >= 3 && a.negated == b.negated {
		return wa, wb, true
	}
	return "", "", false
}

// negSubset reports whether the negated claim n says what p says, but for
// its negation: at least three content words, three in four of them (and
// every one after the negation cue but one) with a partner in p, and p
// asserting them (no partner in a negated clause). It returns the aligned
// and total content words.
func negSubset(n, p *doc, nal []int) (int, int, bool) {
	m, k, scopeMiss := 0, 0, 0
	for i, t := range n.toks {
		if !t.content || lightVerb(t.stem) {
			continue
		}
		k++
		j := nal[i]
		if j >= 0 && !negatedClause(p, j) {
			m++
		} else if t.neg {
			scopeMiss++
		}
	}
	if k < 3 || m < 3 || 4*m < 3*k || scopeMiss > 1 {
		return m, k, false
	}
	return m, k, true
}

// markedClause reports whether a marker (hedge, condition) of d, at the
// given token indices, shares a clause with a partner of the other claim's
// words (nal, indices into d).
func markedClause(d *doc, marks, nal []int) bool {
	for _, m := range marks {
		for _, j := range nal {
			if j >= 0 && d.toks[j].clause == d.toks[m].clause {
				return true
			}
		}
	}
	return false
}

// subjectApart reports whether the negated claim's subject (the content
// words before its negation cue) has partners in the other claim, none of
// them in the clause of the flipped word's partner: "Prabhakaran is not a
// diplomat" against "... Prabhakaran, diplomats said" says nothing of
// Prabhakaran being one.
func subjectApart(neg, pos *doc, ni, pi int, al []int) bool {
	c := neg.toks[ni].cue
	if c < 0 {
		return false
	}
	seen := false
	for j := c - 1; j >= 0 && !neg.toks[j].punct; j-- {
		if !neg.toks[j].content || al[j] < 0 {
			continue
		}
		seen = true
		if pos.toks[al[j]].clause == pos.toks[pi].clause {
			return false
		}
	}
	return seen
}
