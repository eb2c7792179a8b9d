package contradict

import (
	"fmt"
	"strings"
)

// flipApart looks for signs that the flipped word is said of different
// roles or things in the two claims, though the words align: the same
// subject on either side of a verb in different voices ("X was never
// attacked by Y" against "X attacked Y"), a superlative the other claim
// narrows ("not the first man in orbit" against "the first American man to
// orbit"), or a modifier of the negated word that the other claim puts on
// something else ("no civilian policeman was killed" against "killed a
// policeman and a civilian"), or knowing said of someone else. It returns the guard in plain words, "" when
// none holds.
func (l *Lexicon) flipApart(neg, pos *doc, ni, pi int, al []int) string {
	if why := l.rolesReversed(neg, pos, ni, pi, al); why != "" {
		return why
	}
	if why := narrowedSuperlative(neg, pos, ni, pi, al); why != "" {
		return why
	}
	if why := otherKnower(neg, pos, ni, pi, al); why != "" {
		return why
	}
	return displacedModifier(neg, pos, ni, pi, al)
}

func beForm(w string) bool {
	switch w {
	case "is", "are", "was", "were", "be", "been", "being", "am":
		return true
	}
	return false
}

// passive reports a participle after a form of "be" ("was never
// attacked", "is not owned"): the subject undergoes what the verb says.
func (l *Lexicon) passive(d *doc, i int) bool {
	w := d.toks[i].word
	_, irregular := l.irregular[w]
	if !strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "en") && !irregular {
		return false
	}
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := d.toks[k]
		switch {
		case beForm(t.word):
			return true
		case t.punct, t.content && !strings.HasSuffix(t.word, "ly"):
			return false
		}
	}
	return false
}

// agentAfter reports "by" right after token i: a passive that names who
// did it ("was attacked by the rebels").
func agentAfter(d *doc, i int) bool {
	for k := i + 1; k < len(d.toks) && k <= i+2; k++ {
		if d.toks[k].word == "by" {
			return true
		}
		if d.toks[k].content || d.toks[k].punct {
			return false
		}
	}
	return false
}

// rolesReversed: the negated claim's subject stands right before the
// flipped verb's partner as its subject too, and one verb is passive, the
// other active: one claim says X did it, the other that it was done to X.
// The passive must name its agent with "by", the active must not be a
// passive without one: "is not based in" against "team based in" is
// no reversal.
func (l *Lexicon) rolesReversed(neg, pos *doc, ni, pi int, al []int) string {
	pn, pp := l.passive(neg, ni) && agentAfter(neg, ni), l.passive(pos, pi) && agentAfter(pos, pi)
	if pn == pp || pn && l.passive(pos, pi) || pp && l.passive(neg, ni) {
		return ""
	}
	c := neg.toks[ni].cue
	if c < 0 {
		return ""
	}
	for j := c - 1; j >= 0 && !neg.toks[j].punct; j-- {
		q := al[j]
		if !neg.toks[j].content || q < 0 || q >= pi || q < pi-4 || pos.toks[q].clause != pos.toks[pi].clause {
			continue
		}
		return fmt.Sprintf("the roles are reversed: %q does it in one claim and has it done to it in the other (%q, %q)",
			neg.toks[j].word, phrase(neg, ni), phrase(pos, pi))
	}
	return ""
}

// superlative reports words that pick out one thing of a kind: "first",
// "last", "only", "largest".
func superlative(w string) bool {
	switch w {
	case "first", "last", "only", "sole", "earliest", "latest", "largest", "biggest", "smallest", "oldest",
		"youngest", "highest", "lowest", "longest", "shortest", "fastest", "richest", "poorest":
		return true
	}
	return false
}

// narrowedSuperlative: the flipped word is a superlative whose noun the
// other claim narrows with a word of its own ("the first man" against "the
// first American man"): being first of the narrower kind is no claim to
// being first of all.
func narrowedSuperlative(neg, pos *doc, ni, pi int, al []int) string {
	if !superlative(neg.toks[ni].word) {
		return ""
	}
	for k := ni + 1; k < len(neg.toks) && k <= ni+2; k++ {
		if !neg.toks[k].content {
			continue
		}
		q := al[k]
		if q <= pi+1 || q > pi+4 {
			return ""
		}
		for m := pi + 1; m < q; m++ {
			if t := pos.toks[m]; t.content && !pos.toks[m].punct && !alignedTo(al, m) {
				return fmt.Sprintf("%q is narrowed in the other claim (%q against %q)", neg.toks[ni].word,
					phrase(neg, ni), phrase(pos, pi))
			}
		}
		return ""
	}
	return ""
}

// alignedTo reports whether some token of the negated claim has partner m.
func alignedTo(al []int, m int) bool {
	for _, j := range al {
		if j == m {
			return true
		}
	}
	return false
}

// displacedModifier: the word right before the flipped noun qualifies it
// ("no civilian policeman"), and the other claim has that word, but with
// something else, far from the noun's partner: the negation is of a
// narrower thing than the other claim asserts.
func displacedModifier(neg, pos *doc, ni, pi int, al []int) string {
	k := ni - 1
	if k < 0 || !neg.toks[k].content || neg.toks[k].name || neg.toks[k].cue != neg.toks[ni].cue || neg.toks[k].cue < 0 {
		return ""
	}
	q := al[k]
	if q < 0 {
		return ""
	}
	if pos.toks[q].clause == pos.toks[pi].clause && q >= pi-4 && q <= pi+4 {
		lo, hi := min(q, pi), max(q, pi)
		between := false // a word of another phrase between them
		for m := lo + 1; m < hi; m++ {
			if pos.toks[m].content && !alignedTo(al, m) {
				between = true
			}
		}
		if !between {
			return ""
		}
	}
	return fmt.Sprintf("%q qualifies %q in one claim and something else in the other (%q)",
		neg.toks[k].word, neg.toks[ni].word, phrase(pos, q))
}

// otherKnower: a verb of knowing ("know", "aware", "understand") is said
// of someone; without the same named knower on both sides ("I don't
// understand their position" against "the president realizes ..."), one
// person not knowing does not deny another knowing.
func otherKnower(neg, pos *doc, ni, pi int, al []int) string {
	if neg.toks[ni].group != "@know" {
		return ""
	}
	c := neg.toks[ni].cue
	for j := c - 1; j >= 0 && !neg.toks[j].punct; j-- {
		if q := al[j]; neg.toks[j].content && q >= 0 && q < pi && pos.toks[q].clause == pos.toks[pi].clause {
			return ""
		}
	}
	return fmt.Sprintf("%q is not said of the same person in the other claim (%q)", neg.toks[ni].word, phrase(pos, pi))
}
