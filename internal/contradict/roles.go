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
	if why := predicateApart(neg, pos, ni, pi, al); why != "" {
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

// agentIndex is the first content word after the "by" that follows token
// i, -1 when none.
func agentIndex(d *doc, i int) int {
	for k := i + 1; k < len(d.toks) && k <= i+2; k++ {
		if d.toks[k].word != "by" {
			continue
		}
		for m := k + 1; m < len(d.toks) && m <= k+3 && !d.toks[m].punct; m++ {
			if d.toks[m].content {
				return m
			}
		}
	}
	return -1
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
	// "X was never attacked by Y" against "... attacked Y": who did it in
	// the one is what was done to in the other.
	if pn {
		if g := agentIndex(neg, ni); g >= 0 && al[g] > pi && pos.toks[al[g]].sent == pos.toks[pi].sent {
			return fmt.Sprintf("the roles are reversed: %q does it in one claim and has it done to it in the other (%q, %q)",
				neg.toks[g].word, phrase(neg, ni), phrase(pos, pi))
		}
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

// predicateApart: the negated claim says what its subject is not ("X was
// never a rebel", "X is not the governor"); the other claim must say the
// subject is that: the flipped word's partner next to a partner of the
// subject ("Field Marshal Pibul", "Paul Watson, the founder"), or after a
// form of "be" that follows it in the same sentence ("Sabena was the
// national airline", "Watson, who is the founder"). Otherwise the other
// claim says the word of something else, as the subject of its own verb
// or a modifier ("the rebels are running out of patience", "your home
// furnishing needs").
func predicateApart(neg, pos *doc, ni, pi int, al []int) string {
	c := neg.toks[ni].cue
	if c < 0 || !copular(neg, c) {
		return ""
	}
	// The flipped word stands in the predicate: within the few words
	// after the cue and its "be".
	n := 0
	for k := c + 1; k < ni; k++ {
		if neg.toks[k].content {
			n++
		}
	}
	if n > 1 {
		return ""
	}
	subject := false
	for j := c - 1; j >= 0 && !neg.toks[j].punct; j-- {
		q := al[j]
		if !neg.toks[j].content || q < 0 {
			continue
		}
		subject = true
		if linked(pos, q, pi) {
			return ""
		}
	}
	if !subject || !otherRole(pos, pi, al) {
		return ""
	}
	return fmt.Sprintf("the other claim does not say the subject is %q (%q)", neg.toks[ni].word, phrase(pos, pi))
}

// copular reports a form of "be" right before or after the cue at c: "is
// not", "was never", "has never been".
func copular(d *doc, c int) bool {
	if c > 0 && beForm(d.toks[c-1].word) {
		return true
	}
	return c+1 < len(d.toks) && beForm(d.toks[c+1].word)
}

// linked reports whether tokens q and p of d stand together as a name and
// what it is: side by side with only names, titles and small words between
// ("Milan magistrates Antonio", "Greenpeace founder Don White"), in
// apposition ("Watson, the founder"), or p after a form of "be" that
// follows q in its sentence ("Sabena was the former national airline",
// "Barbalho, who was the governor").
func linked(d *doc, q, p int) bool {
	lo, hi := min(q, p), max(q, p)
	if d.toks[lo].sent != d.toks[hi].sent {
		return false
	}
	if hi-lo <= 3 {
		ok := true
		for m := lo + 1; m < hi; m++ {
			t := d.toks[m]
			if t.punct && !(t.word == "," && m+1 < len(d.toks) && determiner(d.toks[m+1].word)) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	if q < p && p-q <= 10 {
		for m := q + 1; m < p; m++ {
			if beForm(d.toks[m].word) {
				return true
			}
			if t := d.toks[m]; t.punct && t.word != "," {
				return false
			}
		}
	}
	return false
}

// otherRole reports a word that plays another part in its claim: the
// subject of a verb of its own ("the rebels are running out"), or a
// modifier after a possessive ("your home furnishing needs").
func otherRole(d *doc, p int, al []int) bool {
	if p+1 < len(d.toks) {
		switch d.toks[p+1].word {
		case "is", "are", "was", "were", "have", "has", "had", "will":
			return true
		}
	}
	if p > 0 && p+1 < len(d.toks) && d.toks[p+1].content && !alignedTo(al, p+1) {
		switch d.toks[p-1].word {
		case "your", "his", "her", "their", "our", "my", "its":
			return true
		}
	}
	return false
}
