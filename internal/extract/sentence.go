package extract

import "strings"

// sentence finds the attributions of the current sentence. It returns
// the attribution when the sentence ends with "S said:" and no content.
func (x *run) sentence() *attribution {
	x.sent[0] = x.skipDateline(x.sent[0], x.sent[1])
	// the people this sentence names become referents for the pronouns of
	// the sentences after it, not of its own
	defer x.noteSubject()
	a, b := x.sent[0], x.sent[1]
	var prev *attribution // the last attribution in this sentence
	consumed := a         // tokens before this are another statement's
	var colon *attribution
	for c := a; c < b; c++ {
		if !x.isWord(c) || c < consumed {
			continue
		}
		lw := x.lower(c)
		if lw == "according" && c+1 < b && x.lower(c+1) == "to" {
			if end, ok := x.accordingTo(c, prev); ok {
				consumed = end
			}
			continue
		}
		lemma, ok := x.l.verbs[lw]
		if !ok && (lw == "read" || lw == "reads") && x.isWord(c-1) && x.l.docHeads[x.lower(c-1)] {
			lemma, ok = "read", true // "the statement read: “Q”"
		}
		if !ok || !x.cueOK(c, lw, lemma) {
			continue
		}
		cueEnd := c + 1
		if lemma == "point" {
			if c+1 >= b || x.lower(c+1) != "out" {
				continue
			}
			cueEnd = c + 2
		}
		cue := strings.ToLower(x.text[x.toks[c].s:x.toks[cueEnd-1].e])
		ing := strings.HasSuffix(lw, "ing")
		j := x.skipLeft(c-1, a, false)
		gerund := ing && (x.punct(c-1, ",;—–") || x.commaClose(c-1) || x.docBefore(c) ||
			x.isWord(c-1) && !x.toks[c-1].upper && !x.isBe(c-1) && !x.l.pronouns[x.lower(c-1)] && !x.l.skipBefore[x.lower(c-1)])
		if ing && x.isWord(c-1) && x.toks[c-1].upper && c-1 > a {
			// "Ryan saying he was encouraged"
			if sub, ok := x.scanNP(c-1, max(a, consumed)); ok {
				att := x.attribute(sub, cue)
				consumed = x.forward(c, cueEnd, b, lemma, att)
				prev = &att
				continue
			}
		} // ", adding that ..."
		coord := !ing && j >= a && x.isWord(j) && (x.lower(j) == "and" || x.lower(j) == "but") // "S says X but argues that Y"
		if gerund || coord {
			// the speaker goes on: the sentence's last speaker, or its subject
			sp := prev
			if sp == nil {
				sp = x.sentenceSubject(a, c, cue)
			}
			if sp == nil {
				continue
			}
			att := *sp
			att.cue = cue
			consumed = x.forward(c, cueEnd, b, lemma, att)
			prev = &att
			continue
		}
		if strings.HasSuffix(lw, "ing") && !x.isBe(c-1) {
			continue // "saying" as a noun or an adjunct we do not parse
		}
		if sub, ok := x.leftSubject(c, a); ok && (sub.lo >= consumed || x.relativeBefore(c, consumed)) {
			att := x.attribute(sub, cue)
			left := x.leftContent(max(a, consumed), sub)
			bEnd := b
			relative := x.isWord(c-1) && x.lower(x.skipLeft(c-1, a, false)) == "who"
			if sub.lo-1 >= a && x.isWord(sub.lo-1) && x.lower(sub.lo-1) == "as" && x.punct(x.skipAdjuncts(cueEnd, b), ",") {
				// "As Michael Dell said last week, “Q”": the main clause is the content
				att := x.attribute(sub, cue)
				consumed = x.forward(c, x.skipAdjuncts(cueEnd, b)+1, b, lemma, att)
				prev = &att
				continue
			}
			if relative || sub.lo-1 >= a && x.isWord(sub.lo-1) && x.l.subordinators[x.lower(sub.lo-1)] {
				// "While Ramos said X, he ...", "Barkley, who said X, said Y":
				// the clause ends at the comma
				for k := cueEnd; k < b; k++ {
					if x.punct(k, ",") {
						bEnd = k
						break
					}
					if x.commaClose(k) {
						bEnd = k + 1
						break
					}
				}
			}
			end, col := x.afterCue(c, cueEnd, bEnd, lemma, att, left)
			if col {
				colon = &att
			}
			consumed = end
			prev = &att
			continue
		}
		// inverted: “Q,” said S / CLAUSE, said S.
		if x.punct(c-1, ",") || (c-1 >= a && x.toks[c-1].kind == tClose) || c == a {
			if sub, ok := x.rightSubject(cueEnd, b); ok {
				att := x.attribute(sub, cue)
				left := x.leftContentBefore(max(a, consumed), c)
				if left[1] > left[0] {
					x.emit(left, [2]int{}, att, false)
				}
				// “Q1,” said Sherman, speaking of politicians, “Q2.”
				x.quotesFrom(max(sub.hi, sub.roleHi), b, att)
				consumed = max(sub.hi, sub.roleHi)
				prev = &att
				continue
			}
		}
	}
	return colon
}

// commaClose: a closing mark after a comma, “…,” as a clause boundary.
func (x *run) commaClose(k int) bool {
	return k > x.p.lo && k < x.p.hi && x.toks[k].kind == tClose && x.toks[k-1].inQ && isPunct(x.text, x.toks[k-1], ",")
}

// relativeBefore: the tokens between the last statement's end and the
// cue at c close a relative clause ("Barkley, who said X, said Y").
func (x *run) relativeBefore(c, consumed int) bool {
	return consumed < c && x.punct(consumed, ",") || consumed-1 >= 0 && consumed < c && x.commaClose(consumed-1)
}

// cueWithin reports a speech verb in [lo, hi) outside quotations.
func (x *run) cueWithin(lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if !x.isWord(k) {
			if x.punct(k, ",;") {
				return false
			}
			continue
		}
		lw := x.lower(k)
		if lemma, ok := x.l.verbs[lw]; ok && !strings.HasSuffix(lw, "ing") && x.cueOK(k, lw, lemma) {
			return true
		}
	}
	return false
}

func (x *run) isBe(k int) bool {
	if !x.isWord(k) {
		return false
	}
	switch x.lower(k) {
	case "is", "was", "are", "were", "been", "be", "being", "am":
		return true
	}
	return false
}

// skipDateline steps over "MOSCOW:", "WASHINGTON —", "LONDON (Reuters) -"
// opening a sentence.
func (x *run) skipDateline(a, b int) int {
	k := a
	for k < b && x.isWord(k) && x.toks[k].upper && strings.ToUpper(x.word(k)) == x.word(k) && k-a < 4 {
		k++
	}
	if k == a || k >= b {
		return a
	}
	if x.punct(k, "(") {
		for k < b && !x.punct(k, ")") && k-a < 10 {
			k++
		}
		k++
	}
	if k < b && x.punct(k, ":—–-") {
		return k + 1
	}
	return a
}

// wentOnTo: the "to" at k ends "went on to" (say).
func (x *run) wentOnTo(k int) bool {
	if k-2 < x.p.lo || !x.isWord(k-1) || !x.isWord(k-2) || x.lower(k-1) != "on" {
		return false
	}
	switch x.lower(k - 2) {
	case "went", "goes", "go", "going", "gone":
		return true
	}
	return false
}

// docBefore: "a statement saying", "a tweet noting".
func (x *run) docBefore(c int) bool {
	return x.isWord(c-1) && x.l.docHeads[x.lower(c-1)]
}

// cueOK filters speech verb forms used otherwise: infinitives, passives,
// nouns, proper names.
func (x *run) cueOK(c int, lw, lemma string) bool {
	t := x.toks[c]
	if t.upper && c != x.sent[0] && !(x.toks[c-1].kind == tClose || x.punct(c-1, ",")) {
		return false
	}
	if x.isWord(c - 1) {
		pw := x.lower(c - 1)
		if pw == "to" && !x.wentOnTo(c-1) || x.l.determiners[pw] && pw != "that" && !x.l.groupNouns[pw] || strings.HasSuffix(pw, "’s") || strings.HasSuffix(pw, "'s") {
			return false
		}
		if x.isBe(c-1) && !strings.HasSuffix(lw, "ing") {
			return false // passive: "was told", "is said"
		}
		if x.l.nounForms[lw] && !(x.l.pronouns[pw] || x.toks[c-1].upper || x.l.groupNouns[pw] ||
			x.l.skipBefore[pw] || x.l.docHeads[pw] || x.l.lowerTitles[pw] || pw == "and" || pw == "but") {
			return false
		}
	}
	if c+1 < x.sent[1] && x.isWord(c+1) {
		nw := x.lower(c + 1)
		switch lemma {
		case "continue", "add":
			if nw == "to" || nw == "up" {
				return false
			}
		case "charge":
			if nw == "with" || nw == "for" {
				return false
			}
		case "state":
			if lw == "state" || lw == "states" {
				return x.isWord(c-1) && x.l.pronouns[x.lower(c-1)]
			}
		}
	}
	return true
}
