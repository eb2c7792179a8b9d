package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/internal/extract/lexicon"
)

// ruleExtractor finds attributed statements with rules over tokens:
// quotations paired per paragraph (curly, straight and single marks,
// paragraphs continued by an unclosed mark), sentences cut outside
// quotations, then speech verbs (../lexicon) with their subject on either
// side, "according to", continuations ("adding that"), and quotations
// that inherit the speaker of the quotation before them.
type ruleExtractor struct{ l *lists }

// New returns the default extractor.
func New() Extractor { return ruleExtractor{l: newLists(lexicon.SpeechVerbs())} }

func (ruleExtractor) Name() string { return "rules/2" }

// np is a speaker mention: tokens [lo, hi), with an appositive role
// [roleLo, roleHi) when there is one.
type np struct{ lo, hi, roleLo, roleHi int }

// attribution is one cue with its speaker. The speaker is resolved when
// the first statement is made with it, so a subject that ends up
// attributing nothing ("Russia has suggested X, he added") does not move
// the resolver.
type attribution struct {
	cue string
	who *mention
	mLo int // mention byte range (0, 0 when inherited)
	mHi int
}

// mention is a subject waiting to be resolved, shared by the copies of
// its attribution.
type mention struct {
	text, role string
	at         int
	done       bool
	speaker    Speaker
}

func (x *run) speaker(m *mention) Speaker {
	if !m.done {
		m.speaker = x.res.resolve(m.text, m.role, m.at)
		m.done = true
	}
	return m.speaker
}

type run struct {
	l     *lists
	text  string
	toks  []token
	cp    func(int) int
	res   *resolver
	out   []Statement
	sent  [2]int // current sentence
	p     *para
	used  []bool // per quote of the current paragraph: attributed
	lastQ *attribution
}

// Extract finds the attributed statements in doc.
func (e ruleExtractor) Extract(doc Document) []Statement {
	text := doc.Text
	start := 0
	if doc.Headline {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return nil
		}
		start = i + 1
	}
	toks, paras := tokenize(text, start)
	x := &run{l: e.l, text: text, toks: toks, cp: runeIndex(text), res: newResolver(e.l)}
	var colon *attribution // "S said:" ending the previous paragraph
	var prevQ *attribution // the speaker of the previous paragraph's quotation
	var pending []qref     // unattributed quotations continuing into this paragraph
	inList := false        // inside a list of related stories
	for pi := range paras {
		p := &paras[pi]
		indented := toks[p.lo].s > 0 && (text[toks[p.lo].s-1] == ' ' || text[toks[p.lo].s-1] == '\t')
		if boilerplate(text, toks, p) || inList && indented {
			inList = inList || strings.HasPrefix(text[toks[p.lo].s:], "•")
			colon, prevQ, pending = nil, nil, nil
			continue
		}
		inList = false
		x.p = p
		x.used = make([]bool, len(p.quotes))
		x.lastQ = nil
		n0 := len(x.out)
		startsQuoted := len(p.quotes) > 0 && p.quotes[0].open == p.lo
		var paraColon *attribution
		for _, s := range p.sents {
			x.sent = s
			if a := x.sentence(); a != nil {
				paraColon = a
			}
		}
		attributed := len(x.out) > n0
		// Quotations left without a speaker.
		for qi, q := range p.quotes {
			if x.used[qi] || words(x, q) < 1 {
				continue
			}
			var from *attribution
			switch {
			case qi == 0 && startsQuoted && colon != nil:
				from = colon
			case qi == 0 && startsQuoted && prevQ != nil && !attributed:
				from = prevQ
			case x.lastQ != nil && x.quoteStartsSentence(q):
				from = x.lastQ
			case x.lastQ != nil && qi > 0 && x.used[qi-1] && p.quotes[qi-1].unclosed && p.quotes[qi-1].close == q.open:
				from = x.lastQ // “A. “B.” — the same speaker goes on
			}
			if from != nil {
				x.direct(q, *from, true)
				x.used[qi] = true
				x.lastQ = from
			}
		}
		// A quotation continued from the previous paragraph takes the
		// speaker found for its continuation here.
		if len(pending) > 0 && startsQuoted && x.used[0] && x.firstQSpeaker(n0) != nil {
			a := x.firstQSpeaker(n0)
			for _, pq := range pending {
				x.directRef(pq, *a)
			}
		}
		if len(p.quotes) > 0 && startsQuoted && !x.used[0] && len(pending) > 0 {
			// still unattributed: the chain goes on
		} else {
			pending = nil
		}
		if k := len(p.quotes) - 1; k >= 0 && p.quotes[k].unclosed && !x.used[k] && words(x, p.quotes[k]) > 0 {
			pending = append(pending, qref{p, p.quotes[k]})
		}
		colon = paraColon
		if x.lastQ != nil && k0(p) {
			prevQ = x.lastQ
		} else if attributed || len(p.quotes) == 0 {
			prevQ = x.lastQ
		}
	}
	sort.SliceStable(x.out, func(i, j int) bool { return x.out[i].Start < x.out[j].Start })
	return x.out
}

func k0(p *para) bool { return len(p.quotes) > 0 }

type qref struct {
	p *para
	q qspan
}

// firstQSpeaker is the attribution of the first direct statement made
// from index n0 on that came from the paragraph's first quotation.
func (x *run) firstQSpeaker(n0 int) *attribution {
	q := x.p.quotes[0]
	for i := n0; i < len(x.out); i++ {
		st := x.out[i]
		if st.Start >= x.cp(x.toks[q.open].e) && st.Start <= x.cp(x.qEnd(q)) {
			return &attribution{cue: st.Cue, who: &mention{done: true, speaker: st.Speaker}}
		}
	}
	return nil
}

// boilerplate reports paragraphs that are never statements: one-line
// links and calls to action.
func boilerplate(text string, toks []token, p *para) bool {
	s := strings.ToLower(strings.TrimSpace(text[toks[p.lo].s:toks[p.hi-1].e]))
	if strings.HasPrefix(s, "•") || strings.HasPrefix(s, "►") || strings.HasPrefix(s, "▶") {
		return true // a list of related stories
	}
	if p.hi-p.lo <= 4 {
		return true // "Advertisement", "Read more", a byline
	}
	for _, pre := range []string{"read more", "read the rest", "related:", "see also", "click here", "sign up",
		"advertisement", "follow us", "share this", "subscribe", "comments", "watch:", "video:", "photo:",
		"image:", "(photo", "(image", "copyright", "©"} {
		if strings.HasPrefix(s, pre) {
			return true
		}
	}
	return false
}

func words(x *run, q qspan) int {
	n := 0
	for k := q.open + 1; k < q.close; k++ {
		if x.toks[k].kind == tWord {
			n++
		}
	}
	return n
}

func (x *run) quoteStartsSentence(q qspan) bool {
	for _, s := range x.p.sents {
		if s[0] == q.open {
			return !x.hasCue(s)
		}
	}
	return false
}

func (x *run) hasCue(s [2]int) bool {
	for k := s[0]; k < s[1]; k++ {
		t := x.toks[k]
		if t.kind == tWord && !t.inQ {
			if _, ok := x.l.verbs[x.lower(k)]; ok {
				return true
			}
			if x.lower(k) == "according" {
				return true
			}
		}
	}
	return false
}

// lower is the lower-case word at token k.
func (x *run) lower(k int) string {
	w := x.text[x.toks[k].s:x.toks[k].e]
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(w)
		}
	}
	return w
}

func (x *run) word(k int) string { return x.text[x.toks[k].s:x.toks[k].e] }

func (x *run) isWord(k int) bool {
	return k >= x.p.lo && k < x.p.hi && x.toks[k].kind == tWord && !x.toks[k].inQ
}

func (x *run) punct(k int, set string) bool {
	return k >= x.p.lo && k < x.p.hi && !x.toks[k].inQ && isPunct(x.text, x.toks[k], set)
}

// qEnd is the byte offset where a quotation's words end.
func (x *run) qEnd(q qspan) int {
	if q.unclosed {
		return x.toks[q.close-1].e
	}
	return x.toks[q.close].s
}

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
				consumed = x.forward(c, cueEnd, b, lemma, att, nil)
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
			consumed = x.forward(c, cueEnd, b, lemma, att, nil)
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
				consumed = x.forward(c, x.skipAdjuncts(cueEnd, b)+1, b, lemma, att, nil)
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

// skipLeft steps back over auxiliaries, adverbs and time phrases between a
// subject and its verb.
func (x *run) skipLeft(j, a int, ing bool) int {
	for j >= a && x.isWord(j) {
		w := x.lower(j)
		switch {
		case w == "to" && j-3 >= a && x.wentOnTo(j):
			j -= 3
		case ing && x.isBe(j), w == "’s" && ing:
			j--
		case x.l.skipBefore[w], !x.toks[j].upper && strings.HasSuffix(w, "ly") && len(w) > 4 && !x.l.groupNouns[w]:
			j--
		case x.l.timeWords[w] && w != "this" && w != "last":
			j--
			if j >= a && x.isWord(j) {
				if pw := x.lower(j); pw == "on" || pw == "last" || pw == "this" || pw == "early" || pw == "late" {
					j--
				}
			}
		default:
			return j
		}
	}
	return j
}

// leftSubject finds the speaker before a cue: S said, S, ROLE, said,
// S, who said.
func (x *run) leftSubject(c, a int) (np, bool) {
	j := x.skipLeft(c-1, a, strings.HasSuffix(x.lower(c), "ing"))
	if j < a {
		return np{}, false
	}
	role := [2]int{}
	if x.punct(j, ")") {
		// Sen. Ann Lowe (D-Ore.) said
		k := j - 1
		for k >= a && j-k < 10 && !x.punct(k, "(") {
			k--
		}
		if k < a || k-1 < a {
			return np{}, false
		}
		j = x.skipLeft(k-1, a, false)
		if j < a {
			return np{}, false
		}
	}
	if x.dash(j) {
		// "A former candidate -- John McCain, who lost in 2008 -- said"
		k := j - 1
		if x.punct(j-1, "-") {
			k--
		}
		for k >= a && !x.dash(k) && j-k < 45 {
			k--
		}
		if k < a {
			return np{}, false
		}
		role = [2]int{k + 1, j}
		if x.punct(j-1, "-") {
			role[1] = j - 1
		}
		j = k - 1
		if x.punct(j, "-") && x.punct(k, "-") {
			j--
		}
		if x.isWord(role[0]) && x.toks[role[0]].upper && x.roleBefore(j+1, a) {
			// "A former mayor -- Tom Berg, who lost -- said": the name inside
			e := role[0]
			for e < role[1] && x.isWord(e) && x.toks[e].upper {
				e++
			}
			if x.validNP(role[0], e) {
				r, _ := x.scanNP(j, a)
				return np{lo: role[0], hi: e, roleLo: r.lo, roleHi: r.hi}, true
			}
		}
		if s, ok := x.scanNP(j, a); ok {
			s.roleLo, s.roleHi = role[0], role[1]
			return s, true
		}
		return np{}, false
	}
	for nest := 0; nest < 2 && x.punct(j, ","); nest++ {
		// NAME, ROLE, said / NAME, in a statement, said
		k := j - 1
		for k >= a && (x.toks[k].inQ || !x.punct(k, ",;:()—–")) && j-k < 45 {
			k--
		}
		if k < a || !x.punct(k, ",") || k+1 >= j {
			return np{}, false
		}
		fw := x.lower(k + 1)
		switch {
		case x.l.preps[fw] || fw == "speaking" || fw == "asked" || fw == "however" || fw == "too" || fw == "though" || fw == "meanwhile" || fw == "for" || fw == "in":
		case fw == "who":
			// "Tom Baker, who opposed the plan, said": not a role
		case x.l.determiners[fw] || !x.toks[k+1].upper || startsDigit(x.word(k+1)):
			role = [2]int{k + 1, j}
		case j-k <= 6 && x.allUpper(k+1, j) && x.roleBefore(k, a):
			// "senior ministry official, General Mikhail Mizintsev, said"
			if !x.validNP(k+1, j) {
				return np{}, false
			}
			r, _ := x.scanNP(k-1, a)
			return np{lo: k + 1, hi: j, roleLo: r.lo, roleHi: r.hi}, true
		case j-k <= 4 && x.allUpper(k+1, j):
			// "Stacy Baker of Columbia, South Carolina, says": a place
		case x.roleLike(k+1, j):
			// "Jeff Weaver, Sanders’ campaign manager, said"
			role = [2]int{k + 1, j}
		default:
			return np{}, false
		}
		if role[1] > 0 && role[0] > k+1 {
			role[0] = k + 1 // a nested apposition widens the role
		}
		j = k - 1
		if j < a {
			return np{}, false
		}
		if x.punct(j, ")") {
			// "Sen. Claire McCaskill (D-Mo.), who has endorsed Clinton, said"
			m := j - 1
			for m >= a && j-m < 10 && !x.punct(m, "(") {
				m--
			}
			if m-1 < a {
				return np{}, false
			}
			j = m - 1
		}
		if _, ok := x.scanNP(j, a); !ok && nest == 0 && role[1] > 0 {
			j = k // "Geoff Garin, a pollster who works with X, a PAC, said": one more apposition
			continue
		}
		break
	}
	if x.isWord(j) && x.lower(j) == "who" {
		ante := j - 1 // "voters who said"
		if x.punct(j-1, ",") {
			ante = j - 2 // "Barkley, who said"
		}
		s, ok := x.scanNP(ante, a)
		if !ok {
			return np{}, false
		}
		return np{lo: s.lo, hi: s.hi, roleLo: role[0], roleHi: role[1]}, true
	}
	s, ok := x.scanNP(j, a)
	if !ok {
		// "Supporters who have heard from the campaign say"
		for w := j; w >= a && j-w < 14; w-- {
			if !x.isWord(w) {
				break
			}
			if x.lower(w) == "who" && !x.punct(w-1, ",") {
				if r, ok := x.scanNP(w-1, a); ok {
					return np{lo: r.lo, hi: r.hi, roleLo: role[0], roleHi: role[1]}, true
				}
				break
			}
		}
		return np{}, false
	}
	s.roleLo, s.roleHi = role[0], role[1]
	return s, true
}

// dash: an em or en dash, or the second hyphen of "--".
func (x *run) dash(k int) bool {
	return x.punct(k, "—–") || x.punct(k, "-") && (x.punct(k-1, "-") || k > x.p.lo && x.toks[k-1].e < x.toks[k].s)
}

// roleBefore: the noun phrase ending before the comma at k is a
// description ("senior ministry official"), not a name.
func (x *run) roleBefore(k, a int) bool {
	r, ok := x.scanNP(k-1, a)
	if !ok || r.hi-r.lo < 1 {
		return false
	}
	for i := r.lo; i < r.hi; i++ {
		if i == r.lo && x.l.determiners[x.lower(i)] {
			continue
		}
		if x.toks[i].upper && !x.l.titles[x.word(i)] {
			// capitalised words other than titles: a name or an organisation
			if i > r.lo || !x.l.lowerTitles[x.lower(i)] {
				return false
			}
		}
	}
	return x.l.lowerTitles[x.lower(r.hi-1)] || x.l.roleNouns[x.lower(r.hi-1)]
}

// roleLike: an apposition holding a lower-case word and no verb.
func (x *run) roleLike(lo, hi int) bool {
	lowerWord := false
	for k := lo; k < hi; k++ {
		if x.punct(k, "’'") {
			continue
		}
		if !x.isWord(k) {
			return false
		}
		w := x.lower(k)
		if x.l.verbish[w] || x.l.boundary[w] || x.l.pronouns[w] {
			return false
		}
		if _, ok := x.l.verbs[w]; ok {
			return false
		}
		lowerWord = lowerWord || !x.toks[k].upper
	}
	return lowerWord
}

func (x *run) allUpper(lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if !x.isWord(k) || !x.toks[k].upper {
			return false
		}
	}
	return true
}

// scanNP reads a noun phrase ending at token j, not before a.
func (x *run) scanNP(j, a int) (np, bool) {
	if j < a || !x.isWord(j) {
		return np{}, false
	}
	if x.l.pronouns[x.lower(j)] && x.lower(j) != "who" {
		return np{lo: j, hi: j + 1}, true // "(On Monday he said"
	}
	lo := j
	for lo-1 >= a && x.isWord(lo-1) && j-lo < 11 {
		w := x.lower(lo - 1)
		joined := w == "and" && lo-2 >= a && x.isWord(lo-2) && (x.toks[lo-2].upper && x.toks[lo].upper || x.l.groupNouns[x.lower(lo-2)])
		if x.l.boundary[w] && !joined || x.l.verbish[w] {
			break
		}
		if _, isVerb := x.l.verbs[w]; isVerb && !x.toks[lo-1].upper && !x.l.nounForms[w] {
			break
		}
		lo--
	}
	for lo <= j && (x.l.leading[x.lower(lo)] || x.l.skipBefore[x.lower(lo)] || x.lower(lo) == "even") {
		lo++
	}
	if lo > j {
		return np{}, false
	}
	return np{lo: lo, hi: j + 1}, x.validNP(lo, j+1)
}

func (x *run) validNP(lo, hi int) bool {
	n := hi - lo
	if n <= 0 || n > 12 {
		return false
	}
	fw := x.lower(lo)
	if n == 1 && x.l.pronouns[fw] {
		return fw != "you"
	}
	for k := lo; k < hi; k++ {
		w := x.lower(k)
		if x.l.verbish[w] || (k > lo && x.l.pronouns[w] && w != "it") {
			return false
		}
	}
	if x.l.preps[fw] && !x.toks[lo].upper || x.l.boundary[fw] || x.l.openers[fw] || n == 1 && x.l.determiners[fw] && !x.l.groupNouns[fw] {
		return false
	}
	switch {
	case x.l.determiners[fw], x.toks[lo].upper, x.l.groupNouns[fw], x.l.lowerTitles[fw], x.l.docHeads[fw], startsDigit(x.word(lo)):
	case x.l.boundary[fw]:
		return false
	default:
		if head := x.lower(hi - 1); !x.toks[hi-1].upper && n <= 5 && (x.l.groupNouns[head] || x.l.roleNouns[head] || x.l.orgNouns[head]) {
			// "legal experts", "federal officials": describing words only
			ok := true
			for k := lo; k < hi-1; k++ {
				w := x.lower(k)
				if x.l.preps[w] || x.l.determiners[w] || strings.HasSuffix(w, "ed") && !x.l.lowerTitles[w] {
					ok = false
				}
			}
			return ok
		}
		// "warm-hearted Petrov": describing words before a name that ends
		// the phrase
		if !x.toks[hi-1].upper {
			return false
		}
		for k := lo; k < hi && !x.toks[k].upper; k++ {
			if w := x.lower(k); !x.l.lowerTitles[w] && !strings.Contains(w, "-") {
				return false
			}
		}
		return true
	}
	// a lone capitalised word at the sentence start that is a common word
	return true
}

// rightSubject reads "said S" / "said S, ROLE".
func (x *run) rightSubject(p, b int) (np, bool) {
	q := p
	for q < b && x.isWord(q) && q-p < 12 {
		w := x.lower(q)
		if q > p && (x.l.boundary[w] || (x.l.preps[w] && !x.toks[q].upper) || x.l.timeWords[w] || w == "who" || w == "whose") {
			break
		}
		q++
	}
	if q < b && x.isWord(q) && (x.lower(q) == "who" || x.lower(q) == "whose") && x.validNP(p, q) {
		r := q
		for r < b && !x.punct(r, ",;.:!?") && x.toks[r].kind == tWord {
			r++
		}
		return np{lo: p, hi: q, roleLo: q, roleHi: r}, true
	}
	if q == p || !x.validNP(p, q) {
		return np{}, false
	}
	if q < b && !(x.punct(q, ",.:;!?—–(") || x.toks[q].kind == tOpen || x.l.preps[x.lower(q)] || x.l.timeWords[x.lower(q)]) {
		return np{}, false
	}
	s := np{lo: p, hi: q}
	if x.punct(q, ",") && q+1 < b && x.isWord(q+1) {
		r := q + 1
		for r < b && !x.punct(r, ",;.:!?") && x.toks[r].kind == tWord {
			r++
		}
		fw := x.lower(q + 1)
		if x.l.determiners[fw] || !x.toks[q+1].upper || fw == "who" {
			s.roleLo, s.roleHi = q+1, r
		}
	}
	return s, true
}

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
	return x.forward(c, p, b, lemma, att, nil), false
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
			x.direct(q, att, false)
			x.used[qi] = true
		}
	}
	x.lastQ = &att
}

// forward emits the clause from p to the sentence end or to a
// continuation (", adding that"), and returns where it stopped.
func (x *run) forward(c, p, b int, lemma string, att attribution, _ []int) int {
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

// sentenceSubject is the subject at the start of a sentence, for
// "S did X, saying ...".
func (x *run) sentenceSubject(a, c int, cue string) *attribution {
	s, ok := x.subjectNP(a, c)
	if !ok {
		return nil
	}
	att := x.attribute(s, cue)
	return &att
}

// subjectNP finds a sentence's subject: a pronoun, or a capitalised name
// (with titles and group nouns: "Other Republican candidates") after any
// opening phrase ("On Tuesday, ...", "During the debate, ...").
func (x *run) subjectNP(a, c int) (np, bool) {
	lo := a
	for lo < c && x.isWord(lo) && x.l.leading[x.lower(lo)] {
		lo++
	}
	if lo > a && x.punct(lo, ",") {
		lo++ // "Later, Tom Smith visited"
	}
	if lo < c && x.isWord(lo) && (x.l.preps[x.lower(lo)] || x.l.subordinators[x.lower(lo)] || x.l.openers[x.lower(lo)]) {
		k := lo
		for k < c && !x.punct(k, ",") {
			k++
		}
		if k >= c {
			return np{}, false
		}
		lo = k + 1
	}
	if lo >= c || !x.isWord(lo) {
		return np{}, false
	}
	hi := lo + 1
	if !x.l.pronouns[x.lower(lo)] {
		if !x.toks[lo].upper {
			return np{}, false
		}
		for hi < c && x.isWord(hi) && (x.toks[hi].upper || x.l.titles[x.word(hi)]) && hi-lo < 6 {
			hi++
		}
		for hi < c && x.isWord(hi) && (x.l.groupNouns[x.lower(hi)] || x.l.orgNouns[x.lower(hi)]) && hi-lo < 8 {
			hi++
		}
	}
	return np{lo: lo, hi: hi}, x.validNP(lo, hi)
}

// noteSubject tells the resolver about the person a sentence is about, so
// that a later "he" refers to the nearest person named outside quotations,
// not only to the last speaker.
func (x *run) noteSubject() {
	a, b := x.sent[0], x.sent[1]
	// people named elsewhere in the sentence first ("met Ms. Anna Lowe"),
	// the subject last: it is the likelier referent
	for k := a + 1; k < b; k++ {
		if !x.isWord(k) || !x.toks[k].upper {
			continue
		}
		hi := k
		for hi < b && x.isWord(hi) && x.toks[hi].upper && hi-k < 4 {
			hi++
		}
		w := x.word(k)
		if hi-k >= 2 && (x.l.firstNames[w] != 0 || w == "Mr." || w == "Mrs." || w == "Ms." || w == "Dr.") {
			x.res.noteSubject(x.text[x.toks[k].s:x.toks[hi-1].e])
		}
		k = hi
	}
	s, ok := x.subjectNP(a, b)
	if !ok || s.hi-s.lo > 4 || x.l.pronouns[x.lower(s.lo)] {
		return
	}
	// a name followed by a possessive or a noun is not the subject
	if s.hi < b && x.isWord(s.hi) && x.toks[s.hi].upper {
		return
	}
	x.res.noteSubject(x.text[x.toks[s.lo].s:x.toks[s.hi-1].e])
}

// attribute makes an attribution for a subject, resolved on first use.
func (x *run) attribute(s np, cue string) attribution {
	words := x.text[x.toks[s.lo].s:x.toks[s.hi-1].e]
	role := ""
	if s.roleHi > s.roleLo {
		role = x.text[x.toks[s.roleLo].s:x.toks[s.roleHi-1].e]
	}
	m := &mention{text: words, role: role, at: x.toks[s.lo].s}
	return attribution{cue: cue, who: m, mLo: x.toks[s.lo].s, mHi: x.toks[s.hi-1].e}
}

// bare handles "Smith said." after a sentence that is only a quotation.
func (x *run) bare(att attribution) {
	a := x.sent[0]
	for qi := len(x.p.quotes) - 1; qi >= 0; qi-- {
		q := x.p.quotes[qi]
		if q.close < a && !x.used[qi] && q.close >= a-2 {
			x.direct(q, att, false)
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
				x.direct(q, att, false)
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
func (x *run) direct(q qspan, att attribution, inherited bool) {
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

// runeIndex converts byte offsets of text to code-point offsets.
func runeIndex(text string) func(int) int {
	idx := make([]int32, len(text)+1)
	n := int32(0)
	for i := 0; i < len(text); {
		_, w := utf8.DecodeRuneInString(text[i:])
		for k := 0; k < w; k++ {
			idx[i+k] = n
		}
		i += w
		n++
	}
	idx[len(text)] = n
	return func(b int) int { return int(idx[b]) }
}
