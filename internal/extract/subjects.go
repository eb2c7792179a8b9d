package extract

import "strings"

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
	done       bool
	speaker    Speaker
}

func (x *run) speaker(m *mention) Speaker {
	if !m.done {
		m.speaker = x.res.resolve(m.text, m.role)
		m.done = true
	}
	return m.speaker
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
	if last := x.lower(hi - 1); strings.HasSuffix(last, "’s") || strings.HasSuffix(last, "'s") {
		return false // "FBI Director James Comey's": a possessive, not a subject
	}
	if n > 1 && x.l.preps[fw] && fw != "for" {
		return false // "By the time those primaries"
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
		name := lo
		for name < hi && !x.toks[name].upper {
			name++
		}
		if name-lo <= 3 && name > lo && (x.l.lowerTitles[x.lower(name-1)] || x.l.roleNouns[x.lower(name-1)]) {
			// "union leader Omar Reyes", "party spokesman Tom Berg": a role
			// noun right before the name, with plain words qualifying it
			ok := true
			for k := lo; k < name-1; k++ {
				w := x.lower(k)
				if x.l.preps[w] || x.l.determiners[w] || x.l.boundary[w] || x.l.pronouns[w] || x.l.verbish[w] {
					ok = false
				}
			}
			if ok {
				return true
			}
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
	if lo < c && x.isWord(lo) && (x.l.preps[x.lower(lo)] || x.l.subordinators[x.lower(lo)] || x.l.openers[x.lower(lo)] ||
		x.toks[lo].upper && strings.HasSuffix(x.lower(lo), "ing")) { // "Continuing his attack, ..."
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
	m := &mention{text: words, role: role}
	return attribution{cue: cue, who: m, mLo: x.toks[s.lo].s, mHi: x.toks[s.hi-1].e}
}
