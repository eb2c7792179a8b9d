package extract

import (
	"strings"
	"unicode"
)

// leftContent is the stretch of the sentence before a subject that ends
// with a comma or a quotation ("CLAUSE, S said" / “Q,” S said).
func (x *run) leftContent(a int, s np) [2]int {
	j := s.lo - 1
	if s.roleHi > s.roleLo && s.roleLo < s.lo {
		j = s.roleLo - 1 // "“Q,” senior official, General X, said"
	}
	if j < a {
		return [2]int{}
	}
	if x.punct(j, ",—–") || x.toks[j].kind == tClose {
		return trimRange(x, a, j+1)
	}
	return [2]int{}
}

// leftContentBefore is the content before an inverted cue at c.
func (x *run) leftContentBefore(a, c int) [2]int {
	if c-1 < a {
		return [2]int{}
	}
	return trimRange(x, a, c)
}

// trimRange drops punctuation and "that" at the ends of [lo, hi).
func trimRange(x *run, lo, hi int) [2]int {
	for lo < hi {
		t := x.toks[lo]
		if t.kind == tPunct && !t.inQ || t.kind == tWord && !t.inQ && (x.lower(lo) == "that" || x.l.leading[x.lower(lo)] && hi-lo > 3) {
			lo++
			continue
		}
		break
	}
	for hi > lo && x.toks[hi-1].kind == tPunct && !x.toks[hi-1].inQ {
		hi--
	}
	n := 0
	for k := lo; k < hi; k++ {
		if x.toks[k].kind == tWord {
			n++
		}
	}
	if n == 0 {
		return [2]int{}
	}
	return [2]int{lo, hi}
}

// skipObject steps over the hearer of "told", "warned", ...: reporters,
// The Associated Press, him.
func (x *run) skipObject(p, b int) int {
	if p >= b || !x.isWord(p) {
		return p
	}
	w := x.lower(p)
	if w == "that" {
		return p
	}
	// up to "that" or punctuation within a few words
	for q := p; q < b && q-p < 8; q++ {
		if !x.isWord(q) || x.lower(q) == "that" {
			return q
		}
		if q > p && x.l.verbish[x.lower(q)] {
			break
		}
	}
	switch {
	case x.toks[p].upper:
		q := p
		for q < b && x.isWord(q) && (x.toks[q].upper || x.lower(q) == "of") {
			q++
		}
		return q
	case x.l.pronouns[w] || w == "me" || w == "him" || w == "her" || w == "us" || w == "them" || x.l.groupNouns[w]:
		return p + 1
	case x.l.determiners[w]:
		q := p + 1
		for q < b && q-p < 4 && x.isWord(q) && !x.l.verbish[x.lower(q)] && !x.l.boundary[x.lower(q)] {
			q++
			if q-1 > p && (x.l.groupNouns[x.lower(q-1)] || strings.HasSuffix(x.lower(q-1), "s")) {
				break
			}
		}
		return q
	}
	return p
}

// skipAdjuncts steps over time and place phrases after the verb ("said
// on Tuesday in a statement that") when they lead to a clear start of
// the content: "that", a comma, a colon, a quotation or the end.
func (x *run) skipAdjuncts(p, b int) int {
	for p < b && x.isWord(p) {
		w := x.lower(p)
		if (w == "this" || w == "last" || w == "next") && !(p+1 < b && x.isWord(p+1) && x.l.timeWords[x.lower(p+1)]) {
			return p // "confirmed this had been discussed"
		}
		if x.l.timeWords[w] || (strings.HasSuffix(w, "ly") && len(w) > 4 && !x.toks[p].upper) {
			p++
			continue
		}
		if !x.l.preps[w] || w == "that" {
			return p
		}
		q := p + 1
		for q < b && q-p < 12 && (x.isWord(q) && x.lower(q) != "that" && !x.l.verbish[x.lower(q)] || x.quoted(q) && x.sameQuoteShort(q)) {
			q++
		}
		if q >= b || !x.isWord(q) || x.lower(q) == "that" {
			if q < b && x.toks[q].kind == tPunct && !x.punct(q, ",:.;!?—–") {
				return p
			}
			p = q
			continue
		}
		return p
	}
	return p
}

// quoted: a quotation mark or a word inside a quotation.
func (x *run) quoted(k int) bool {
	t := x.toks[k]
	return t.inQ || t.kind == tOpen || t.kind == tClose
}

// sameQuoteShort: the quotation holding token k is a title of a few words
// ("This Week"), closed within the sentence.
func (x *run) sameQuoteShort(k int) bool {
	for _, q := range x.p.quotes {
		if k >= q.open && k <= q.close {
			return !q.unclosed && q.close-q.open <= 8 && q.close < x.sent[1]
		}
	}
	return false
}

// afterCue reads what follows "S cue": quotations, a clause, or nothing
// (the content was before the subject). It returns the token where the
// statement ends and whether the sentence ends on "said:".
func (x *run) afterCue(c, cueEnd, b int, lemma string, att attribution, left [2]int) (int, bool) {
	p := cueEnd
	if x.l.objectVerbs[lemma] {
		p = x.skipObject(p, b)
	}
	p = x.skipAdjuncts(p, b)
	leftIsQuote := left[1] > left[0] && x.toks[left[1]-1].kind == tClose
	rest := trimRange(x, p, b)
	switch {
	case p < b && (x.punct(p, ":") || x.punct(p, ",") && (leftIsQuote || left[1] == 0 || x.quoteEndsSentence(p+1, b)) || x.toks[p].kind == tOpen && x.quoteEndsSentence(p, b)) && x.quoteAt(p, b):
		if leftIsQuote {
			// “Q1,” he said, “Q2.” (a clause before "S said: “Q”" is an
			// opening phrase: "Asked about the claims, a spokesman said:")
			x.emit(left, [2]int{}, att, false)
		}
		x.quotesFrom(p, b, att)
		return b, false
	case x.punct(p, ":") && rest[1] == 0:
		if left[1] > left[0] {
			x.emit(left, [2]int{}, att, false)
			return b, false
		}
		return b, true
	case rest[1] == 0 || leftIsQuote && !x.punct(p, ":"):
		if left[1] > left[0] {
			x.emit(left, [2]int{}, att, false)
		} else {
			x.bare(att)
		}
		return p, false // a continuation may follow: “Q,” she said, adding that ...
	case x.punct(p, ",") && left[1] > left[0]:
		// "The plan, S said, is sound": a short left part is continued on
		// the right; after a whole clause the rest is an adjunct
		// ("X, the ministry said Friday, days after the summit").
		if nw := x.lower(p + 1); x.isWord(p+1) && (x.l.timeWords[nw] && nw != "this" && nw != "last" && nw != "next" || x.l.durations[nw]) {
			x.emit(left, [2]int{}, att, false)
			return b, false
		}
		end, _ := x.contentEnd(p+1, b)
		right := trimRange(x, p+1, end)
		x.emit(left, right, att, false)
		return end, false
	}
	if leftIsQuote {
		x.emit(left, [2]int{}, att, false) // “Q,” Rubio said: CLAUSE
	}
	return x.forward(c, p, b, lemma, att), false
}

// quoteEndsSentence: the quotation opening at p is all that is left of
// the sentence (bar closing punctuation), or other quotations follow it.
func (x *run) quoteEndsSentence(p, b int) bool {
	for _, q := range x.p.quotes {
		if q.open == p {
			if q.unclosed {
				return true
			}
			for k := q.close + 1; k < b; k++ {
				if x.toks[k].kind == tOpen {
					return true
				}
				if x.isWord(k) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// quoteAt reports a quotation starting at p (after an optional : or ,).
func (x *run) quoteAt(p, b int) bool {
	if x.toks[p].kind != tOpen {
		p++
	}
	return p < b && x.toks[p].kind == tOpen
}

// quotesFrom attributes every quotation starting in [p, b).
func (x *run) quotesFrom(p, b int, att attribution) {
	for qi, q := range x.p.quotes {
		if q.open >= p && q.open < b && !x.used[qi] {
			x.direct(q, att)
			x.used[qi] = true
		}
	}
	x.lastQ = &att
}

// forward emits the clause from p to the sentence end or to a
// continuation (", adding that"), and returns where it stopped.
func (x *run) forward(c, p, b int, lemma string, att attribution) int {
	if x.toks[p-1].kind == tWord && x.l.objectVerbs[lemma] && p == c+1 {
		p = x.skipObject(p, b)
	}
	if p < b && x.punct(p, ":,") && x.quoteAt(p, b) {
		x.quotesFrom(p, b, att)
		return b
	}
	end, trailing := x.contentEnd(p, b)
	if trailing {
		// "Russia has suggested X, he added.": the trailing speaker
		// reports the whole clause
		return x.sent[0]
	}
	r := trimRange(x, p, end)
	if r[1] > r[0] && !(x.l.bareSpeech[lemma] && x.adjunct(p, r)) {
		x.emit(r, [2]int{}, att, false)
	}
	if x.punct(end, ":") && end+1 < b && x.toks[end+1].kind == tOpen {
		// "he said he was too busy: “I have a lot going on.”"
		x.quotesFrom(end+1, b, att)
		return b
	}
	return end
}

// adjunct: a short stretch after the verb that is not what was said
// ("said into the phone", "said as he launched the process").
func (x *run) adjunct(p int, r [2]int) bool {
	for p < r[0] && !x.isWord(p) {
		p++
	}
	if !x.isWord(p) || r[1]-r[0] > 8 {
		return false
	}
	switch x.lower(p) {
	case "into", "at", "to", "by", "from", "during", "with", "upon", "toward", "towards", "over", "under", "as", "while":
		return true
	}
	return false
}

// contentEnd finds where a clause starting at p ends: the sentence end,
// a semicolon, or a continuation (", adding", "and argues", ", though S
// said"). trailing reports a ", S said." closing the sentence.
func (x *run) contentEnd(p, b int) (end int, trailing bool) {
	end = b
	for k := p + 1; k < b; k++ {
		if x.punct(k, ";") || x.punct(k, ":") && k+1 < b && x.toks[k+1].kind == tOpen {
			end = k
			break
		}
		if (x.punct(k, ",—–") || x.punct(k, "-") && x.toks[k-1].e < x.toks[k].s || x.commaClose(k)) && k+1 < b && x.isWord(k+1) {
			if nw := x.lower(k + 1); nw == "but" && k+2 < b && x.isWord(k+2) && strings.HasSuffix(x.lower(k+2), "ed") {
				end = k // "X, but lamented that Y": another verb of the speaker
				break
			}
			if _, ok := x.l.verbs[x.lower(k+1)]; ok && strings.HasSuffix(x.lower(k+1), "ing") {
				end = k
				if x.commaClose(k) {
					end = k + 1
				}
				break
			}
			if x.lower(k+1) == "according" {
				end = k
				break
			}
		}
		if x.punct(k, ",") && x.trailingAttribution(k+1, b) {
			return k, true
		}
		if (x.punct(k, ",") || x.commaClose(k)) && k+1 < b && x.isWord(k+1) && (x.l.subordinators[x.lower(k+1)] || x.lower(k+1) == "but" || x.lower(k+1) == "and") && x.cueWithin(k+2, min(b, k+16)) {
			end = k
			if x.commaClose(k) {
				end = k + 1
			}
			break
		}
		if w := x.lower(k); (w == "and" || w == "but") && x.isWord(k) && k+1 < b && x.isWord(k+1) {
			n := k + 1
			for n < b && x.isWord(n) && x.l.skipBefore[x.lower(n)] {
				n++
			}
			if n < b && x.isWord(n) {
				if _, ok := x.l.verbs[x.lower(n)]; ok && !strings.HasSuffix(x.lower(n), "ing") && x.cueOK(n, x.lower(n), x.l.verbs[x.lower(n)]) {
					end = k
					break
				}
			}
		}
	}
	return end, false
}

// trailingAttribution: tokens [k, b) are "S said" plus adjuncts, the
// end of the sentence.
func (x *run) trailingAttribution(k, b int) bool {
	for n := k + 1; n < b && n-k < 10; n++ {
		if !x.isWord(n) {
			return false
		}
		lw := x.lower(n)
		lemma, ok := x.l.verbs[lw]
		if !ok || strings.HasSuffix(lw, "ing") || !x.cueOK(n, lw, lemma) {
			continue
		}
		j := x.skipLeft(n-1, k, false)
		if j < k || !x.validNP(k, j+1) {
			return false
		}
		rest := 0
		for m := n + 1; m < b; m++ {
			if x.punct(m, ",;:") || x.toks[m].kind == tOpen {
				return false
			}
			if x.isWord(m) {
				rest++
			}
		}
		return rest <= 6
	}
	return false
}

// accordingTo handles "According to S, CLAUSE" and "CLAUSE, according to S".
func (x *run) accordingTo(c int, prev *attribution) (int, bool) {
	a, b := x.sent[0], x.sent[1]
	p := c + 2
	q := p
	for q < b && x.isWord(q) && q-p < 12 {
		w := x.lower(q)
		if q > p && (x.l.boundary[w] || w == "who") {
			break
		}
		q++
	}
	if q == p {
		return 0, false
	}
	sub := np{lo: p, hi: q}
	if x.punct(q, ",") && q+1 < b && x.isWord(q+1) {
		if fw := x.lower(q + 1); x.l.determiners[fw] || fw == "who" {
			r := q + 1
			for r < b && !x.punct(r, ",;.:!?") && x.toks[r].kind == tWord {
				r++
			}
			if x.punct(r, ",") {
				sub.roleLo, sub.roleHi = q+1, r
				q = r
			}
		}
	}
	att := x.attribute(sub, "according to")
	lead := a
	for lead < c && x.isWord(lead) && x.l.leading[x.lower(lead)] {
		lead++
	}
	left := [2]int{}
	if c > lead {
		left = trimRange(x, a, c)
	}
	right := [2]int{}
	end := b
	if x.punct(q, ",") || left[1] == 0 {
		for k := q + 1; k < b; k++ {
			if x.punct(k, ";") {
				end = k
				break
			}
		}
		right = trimRange(x, q, end)
	}
	if left[1] == 0 && right[1] == 0 {
		return 0, false
	}
	if left[1] == 0 {
		left, right = right, [2]int{}
	}
	x.emit(left, right, att, true)
	return end, true
}

// bare handles "Smith said." after a sentence that is only a quotation.
func (x *run) bare(att attribution) {
	a := x.sent[0]
	for qi := len(x.p.quotes) - 1; qi >= 0; qi-- {
		q := x.p.quotes[qi]
		if q.close < a && !x.used[qi] && q.close >= a-2 {
			x.direct(q, att)
			x.used[qi] = true
			x.lastQ = &att
			return
		}
	}
}

// emit adds a statement over one or two token ranges (the second after
// the attribution, "The plan, he said, is sound").
func (x *run) emit(r1, r2 [2]int, att attribution, according bool) {
	if r1[1] <= r1[0] {
		return
	}
	hi := r1[1]
	if r2[1] > r2[0] {
		hi = r2[1]
	}
	// one quotation and nothing else: a direct statement
	if r2[1] <= r2[0] {
		for qi, q := range x.p.quotes {
			if q.open == r1[0] && (q.close == r1[1]-1 || q.unclosed && q.close == r1[1]) {
				x.direct(q, att)
				x.used[qi] = true
				x.lastQ = &att
				return
			}
		}
	}
	quoted := false
	for qi, q := range x.p.quotes {
		if q.open >= r1[0] && q.open < hi {
			quoted = quoted || words(x, q) > 0
			x.used[qi] = true
		}
	}
	kind := Indirect
	if quoted {
		kind = Mixed
		x.lastQ = &att
	}
	if according {
		kind = AccordingTo
	}
	s0, e0 := x.toks[r1[0]].s, x.toks[r1[1]-1].e
	textOut := x.text[s0:e0]
	end := e0
	if r2[1] > r2[0] {
		s1, e1 := x.toks[r2[0]].s, x.toks[r2[1]-1].e
		textOut += " " + x.text[s1:e1]
		end = e1
	}
	x.add(Statement{Text: textOut, Kind: kind, Cue: att.cue, Start: x.cp(s0), End: x.cp(end)}, att)
}

// direct adds a quotation as a direct statement.
func (x *run) direct(q qspan, att attribution) {
	x.directRef(qref{x.p, q}, att)
}

func (x *run) directRef(r qref, att attribution) {
	s := x.toks[r.q.open].e
	var e int
	if r.q.unclosed {
		e = x.toks[r.q.close-1].e
	} else {
		e = x.toks[r.q.close].s
	}
	w := x.text[s:e]
	t := strings.TrimLeftFunc(w, unicode.IsSpace)
	s += len(w) - len(t)
	t = strings.TrimRightFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if t == "" {
		return
	}
	x.add(Statement{Text: t, Kind: Direct, Cue: att.cue, Start: x.cp(s), End: x.cp(s + len(t))}, att)
}

func (x *run) add(st Statement, att attribution) {
	st.Speaker = x.speaker(att.who)
	if att.mHi > att.mLo {
		st.MentionStart, st.MentionEnd = x.cp(att.mLo), x.cp(att.mHi)
	}
	if x.sent[1] > x.sent[0] {
		st.Sentence = x.text[x.toks[x.sent[0]].s:x.toks[x.sent[1]-1].e]
	}
	x.out = append(x.out, st)
}
