package contradict

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// token is one word of a claim, with what the scorer needs to know of it.
type token struct {
	word    string // lower case, contractions expanded ("has", "not")
	stem    string
	group   string // near-synonym group, "" when none
	content bool   // not a function word, negation cue or punctuation
	punct   bool   // a clause boundary
	neg     bool   // inside the scope of an odd number of negations
	negCue  bool
	quant   bool // negated by a quantifier ("no", "none", "not any")
	cue     int  // index of the negation cue scoping this token, -1 when none
	num     float64
	isNum   bool
	name    bool // capitalised inside a sentence: part of a name
	clause  int  // clause index: punctuation and clause-opening words separate
	sent    int  // sentence index
}

// number is a figure with the word it counts (its slot) and how exact it is.
type number struct {
	value  float64
	slot   string // stem of the counted thing ("troop"), "" when unknown
	approx string // "", "about", "more", "less"
	verb   string // the content word before the figure ("killed 3"), stem or group
	rng    bool   // one end of a range ("between 12 and 16", "12 to 16")
	year   bool
	at     int // token index
}

// doc is an analysed claim.
type doc struct {
	text    string
	toks    []token
	nums    []number
	negated bool // holds a negation at all
	// Guards and cues found anywhere in the claim.
	hedge, conditional, opinion string
	hedges, conds               []int // token indices of hedges and conditionals
	denial                      string
	ctx                         map[string]bool // stems and groups of the sentence around a denial
	sentence                    string          // the sentence around the words
	mentionsOnce                sync.Once
	mentions                    map[string]bool // lower-case words of the words and their sentence, built on first use
	speaker                     []string        // the speaker's name words, lower case
	target                      string          // a denial's generic target: allegations, report
	places                      map[string]bool // capitalised names not opening a sentence
	locs                        map[string]bool // names after "in" or "at": places
	months                      map[string]bool
}

// analyse tokenises and annotates text. cue is the reporting word, searched
// only for denials ("denied").
func (l *Lexicon) analyse(text, cue string) *doc {
	d := &doc{text: text, places: map[string]bool{}, locs: map[string]bool{}, months: map[string]bool{}}
	raw := splitWords(text)
	for i, w := range raw {
		if w.punct {
			d.toks = append(d.toks, token{word: w.s, punct: true, cue: -1})
			continue
		}
		lw := strings.ToLower(w.s)
		// An acronym in capitals names something, though its letters spell
		// a small word: "the US", "IT workers". "U.S." is "US".
		acronym := acronymWord(w.s) && !l.negation[lw]
		name := acronym || w.capital && i > 0 && !(raw[i-1].punct && strings.ContainsAny(raw[i-1].s, ".!?")) && !l.function[lw]
		// A capitalised hedge inside a sentence is a name or a month:
		// "Eliza May", "the May 3 sinking".
		name = name || w.capital && i > 0 && l.hedge[lw] && !(raw[i-1].punct && strings.ContainsAny(raw[i-1].s, ".!?"))
		if name {
			d.places[lw] = true
			if i == 0 {
				// a name opening the text: no preposition before it
			} else if p := strings.ToLower(raw[i-1].s); p == "in" || p == "at" || d.locs[p] {
				d.locs[lw] = true
			}
		}
		if l.months[lw] && (w.capital || lw != "may") {
			d.months[lw] = true
		}
		t := token{word: lw, cue: -1, name: name}
		if v, ok := parseNumber(lw, l); ok {
			t.num, t.isNum = v, true
		}
		t.stem = l.stem(lw)
		if acronym {
			t.stem = strings.ReplaceAll(lw, ".", "")
		}
		t.group = l.groupOf[t.stem]
		// A capitalised cue between capitalised words belongs to a name:
		// "Doctors Without Borders".
		t.negCue = l.negation[lw] && !(w.capital && i > 0 && i+1 < len(raw) && raw[i-1].capital && raw[i+1].capital)
		t.content = !t.negCue && !t.isNum && (!l.function[lw] || acronym) && l.multiplier[lw] == 0 && len([]rune(lw)) > 1
		d.toks = append(d.toks, t)
	}
	clause, sent := 0, 0
	for i := range d.toks {
		t := &d.toks[i]
		if t.punct || l.clauseBreak[t.word] {
			clause++
		}
		t.clause, t.sent = clause, sent
		if t.punct && strings.ContainsAny(t.word, ".!?") {
			sent++
		}
	}
	l.scopeNegation(d)
	l.findNumbers(d)
	l.findMarkers(d, text, cue)
	return d
}

// scopeNegation marks the tokens each negation cue governs: from the cue to
// the end of its clause (punctuation or a conjunction that opens another
// clause). "yet to" and "failed to" negate too. Two negations in one scope
// cancel.
func (l *Lexicon) scopeNegation(d *doc) {
	ts := d.toks
	for i := range ts {
		cue := ts[i].negCue
		if !cue && i+1 < len(ts) && ts[i+1].word == "to" && (ts[i].word == "yet" || ts[i].stem == "fail") {
			cue = true
			ts[i].negCue, ts[i].content = true, false
		}
		if !cue {
			continue
		}
		// "not only" does not negate, nor does "not A but B": it sets B
		// in A's place rather than denying A.
		// "this is not about immigration" frames, it does not deny.
		if ts[i].word == "not" && (i+1 < len(ts) && (ts[i+1].word == "only" || ts[i+1].word == "about") || contrastive(ts, i)) {
			ts[i].negCue = false
			continue
		}
		// "neither confirm nor deny": declining to take either side of a
		// pair of opposites is no negation.
		if ts[i].word == "neither" && i+3 < len(ts) && ts[i+2].word == "nor" {
			if _, ok := l.antonyms(&ts[i+1], &ts[i+3]); ok {
				ts[i].negCue, ts[i+2].negCue = false, false
				continue
			}
		}
		d.negated = true
		// A quantifier ("no", "none", "not ... any") negates the noun it
		// governs: the last of the content words right after it ("no formal
		// [work]", "any concrete [agreements]").
		quantAt := -1
		if w := ts[i].word; w == "no" || w == "none" || w == "nothing" || w == "nobody" {
			quantAt = i
		}
		if ts[i].word == "no" && i+1 < len(ts) && ts[i+1].word == "one" {
			// "no one" is "nobody": it negates no noun.
			ts[i+1].content = false
		}
		for j := i + 1; j < len(ts); j++ {
			if ts[j].punct || l.clauseBreak[ts[j].word] {
				break
			}
			if quantAt < 0 && (ts[j].word == "any" || ts[j].word == "anything" || ts[j].word == "anyone") {
				quantAt = j
			}
			ts[j].neg = !ts[j].neg
			if ts[j].cue < 0 {
				ts[j].cue = i
			}
		}
		if quantAt >= 0 {
			head := -1
			for j := quantAt + 1; j < len(ts) && j <= quantAt+4 && ts[j].content; j++ {
				head = j
			}
			if head >= 0 {
				ts[head].quant = true
			} else if quantAt != i || ts[i].word == "nothing" || ts[i].word == "nobody" {
				ts[quantAt].quant = true
			}
		}
	}
}

// contrastive reports "not A but B": the clause of the "not" at i ends in
// "but" followed by the same kind of word that followed "not".
func contrastive(ts []token, i int) bool {
	if i+1 >= len(ts) {
		return false
	}
	det := determiner(ts[i+1].word)
	// "the public interest, not the special interests": a contrast after a
	// comma or dash, with no verb of its own.
	if det && i > 0 && ts[i-1].punct && (ts[i-1].word == "," || ts[i-1].word == "—" || ts[i-1].word == "–") {
		return true
	}
	for j := i + 1; j < len(ts) && j <= i+8; j++ {
		if ts[j].punct && ts[j].word != "," {
			return false
		}
		if ts[j].word == "but" {
			return j+1 < len(ts) && (det || ts[j+1].word == ts[i+1].word && !ts[i+1].content)
		}
	}
	return false
}

func determiner(w string) bool {
	switch w {
	case "a", "an", "the", "about", "his", "her", "their", "its", "our", "my", "your":
		return true
	}
	return false
}

// findNumbers collects figures with their slot: the next content word
// ("500 troops"), else the previous one ("troops numbered 500").
func (l *Lexicon) findNumbers(d *doc) {
	ts := d.toks
	for i := 0; i < len(ts); i++ {
		if !ts[i].isNum {
			continue
		}
		n := number{value: ts[i].num, at: i}
		j := i + 1
		for ; j < len(ts) && l.multiplier[ts[j].word] > 0; j++ {
			n.value *= l.multiplier[ts[j].word]
		}
		if n.value >= 1900 && n.value <= 2100 && n.value == float64(int(n.value)) && j == i+1 {
			n.year = true
		}
		for k := i - 1; k >= 0 && k >= i-3; k-- {
			if a := l.approx[ts[k].word]; a != "" {
				n.approx = a
				continue
			}
			if ts[k].content {
				n.verb = ts[k].stem
				if ts[k].group != "" {
					n.verb = ts[k].group
				}
				break
			}
		}
		// The counted thing follows the figure ("500 [American] troops":
		// the last of the words right after it). A figure after its noun
		// with nothing counted ("plan 3 will ...", "district 9") names,
		// it does not count; "the toll stood at 40" counts the toll.
		if !n.year {
			for k := j; k < len(ts) && k < j+3 && ts[k].content; k++ {
				n.slot = ts[k].stem
			}
		}
		// A day after its month ("Dec. 22") is a date, not a figure.
		for k := i - 1; k >= 0 && k >= i-2; k-- {
			if l.months[ts[k].word] || l.monthAbbrev[ts[k].word] {
				n.year = true
			}
		}
		if n.slot == "" && !n.year && i > 0 && !ts[i-1].content {
			for k := i - 1; k >= 0 && k >= i-4; k-- {
				if ts[k].punct {
					break
				}
				if ts[k].content && l.approx[ts[k].word] == "" {
					n.slot = ts[k].stem
					break
				}
			}
		}
		if i >= 1 && (ts[i-1].word == "between" || ts[i-1].word == "from") ||
			j+1 < len(ts) && (ts[j].word == "and" || ts[j].word == "to") && ts[j+1].isNum ||
			i >= 2 && (ts[i-1].word == "and" || ts[i-1].word == "to") && ts[i-2].isNum {
			n.rng = true
		}
		d.nums = append(d.nums, n)
		i = j - 1
	}
}

// findMarkers notes hedges, conditionals, opinions and denials.
func (l *Lexicon) findMarkers(d *doc, text, cue string) {
	for i, t := range d.toks {
		switch {
		case l.hedge[t.word] && !t.name:
			d.hedges = append(d.hedges, i)
			if d.hedge == "" {
				d.hedge = t.word
			}
		case l.conditional[t.word]:
			d.conds = append(d.conds, i)
			if d.conditional == "" {
				d.conditional = t.word
			}
		case d.opinion == "" && l.opinion[t.stem]:
			d.opinion = t.word
		}
	}
	// Denials count in the speaker's own words and the reporting cue, not
	// in the narration around them ("Trump falsely claimed ..."). Phrases
	// are matched on words, contractions expanded ("isn't true").
	words := make([]string, 0, len(d.toks)+4)
	for _, t := range d.toks {
		words = append(words, t.word)
	}
	words = append(words, ".")
	for _, w := range splitWords(cue) {
		words = append(words, strings.ToLower(w.s))
	}
	best := -1
	for i, w := range words {
		for _, c := range l.denialIndex[w] {
			if !hasWordsAt(words, i, c.words) {
				continue
			}
			if c.rank < 0 {
				return // declining to answer is no denial
			}
			if best < 0 || c.rank < best {
				best = c.rank
			}
		}
	}
	if best >= 0 {
		d.denial = l.denialPhrases[best]
	}
}

func hasWordsAt(words []string, i int, phrase []string) bool {
	if i+len(phrase) > len(words) {
		return false
	}
	for k, p := range phrase {
		if words[i+k] != p {
			return false
		}
	}
	return true
}

// rawWord is a word or punctuation mark as split from the text.
type rawWord struct {
	s       string
	punct   bool
	capital bool
}

// splitWords splits text into words and clause punctuation. Contractions
// are expanded ("hasn't" → "has not", "can't" → "can not"), possessive and
// other clitics dropped, numbers kept whole ("1,500", "2.5").
func splitWords(text string) []rawWord {
	if !isASCII(text) {
		text = norm.NFKD.String(text)
	}
	var out []rawWord
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) {
				c := rs[j]
				if unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c) {
					j++
					continue
				}
				// Apostrophes inside words, and , . inside numbers.
				if (c == '\'' || c == '’') && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) {
					j++
					continue
				}
				if (c == ',' || c == '.') && j+1 < len(rs) && unicode.IsDigit(rs[j+1]) && unicode.IsDigit(rs[j-1]) {
					j++
					continue
				}
				// Acronyms keep their dots: "U.S.", "U.N." are one word
				// and no sentence ends inside them.
				if c == '.' && unicode.IsUpper(rs[j-1]) && (j-2 < i || rs[j-2] == '.') &&
					(j+1 < len(rs) && unicode.IsUpper(rs[j+1]) || j-2 >= i && rs[j-2] == '.') {
					j++
					continue
				}
				break
			}
			w := strings.Map(func(c rune) rune {
				if unicode.Is(unicode.Mn, c) {
					return -1
				}
				if c == '’' {
					return '\''
				}
				return c
			}, string(rs[i:j]))
			out = append(out, expand(w, unicode.IsUpper(r))...)
			i = j
		case strings.ContainsRune(",;:.!?()[]—–", r):
			out = append(out, rawWord{s: string(r), punct: true})
			i++
		default:
			i++
		}
	}
	return out
}

func expand(w string, capital bool) []rawWord {
	lw := strings.ToLower(w)
	word := func(s string) rawWord { return rawWord{s: s} }
	switch lw {
	case "can't", "cannot":
		return []rawWord{{s: w[:2] + "n", capital: capital}, word("not")}
	case "won't":
		return []rawWord{{s: w[:1] + "ill", capital: capital}, word("not")}
	case "shan't":
		return []rawWord{{s: w[:1] + "hall", capital: capital}, word("not")}
	}
	if strings.HasSuffix(lw, "n't") && len(lw) > 3 {
		return []rawWord{{s: w[:len(w)-3], capital: capital}, word("not")}
	}
	if k := strings.IndexByte(w, '\''); k > 0 {
		return []rawWord{{s: w[:k], capital: capital}}
	}
	return []rawWord{{s: w, capital: capital}}
}

// parseNumber reads "1,500", "2.5", "15%" or a number word.
func parseNumber(w string, l *Lexicon) (float64, bool) {
	if v, ok := l.numberWords[w]; ok {
		return v, true
	}
	if w == "" || w[0] < '0' || w[0] > '9' {
		return 0, false
	}
	s := strings.ReplaceAll(w, ",", "")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// "15th", "3pm": a number with letters is no figure.
		return 0, false
	}
	return v, true
}

func (l *Lexicon) stem(w string) string {
	if w == "" || w[0] >= '0' && w[0] <= '9' {
		return w
	}
	if s, ok := l.irregular[w]; ok {
		return s
	}
	if s, ok := l.stems.Load(w); ok {
		return s.(string)
	}
	s := english.Stem(w, true)
	l.stems.Store(w, s)
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// mentioned reports whether w (lower case) is a word of d or its sentence.
func (d *doc) mentioned(w string) bool {
	d.mentionsOnce.Do(func() {
		d.mentions = map[string]bool{}
		for _, t := range d.toks {
			d.mentions[t.word] = true
		}
		for _, x := range splitWords(d.sentence) {
			d.mentions[strings.ToLower(x.s)] = true
		}
	})
	return d.mentions[w]
}

// hasStem reports whether d has a content word with stem s.
func (d *doc) hasStem(s string) bool {
	for _, t := range d.toks {
		if t.content && t.stem == s {
			return true
		}
	}
	return false
}

// addContext records the content stems of the sentence around a denial.
func (l *Lexicon) addContext(d *doc, sentence, speaker string) {
	d.sentence = sentence
	for _, w := range splitWords(speaker) {
		// Name words only: capitalised, not a title, month or day.
		if lw := strings.ToLower(w.s); !w.punct && w.capital && len(lw) > 2 && !l.function[lw] && !l.titles[lw] && !l.months[lw] {
			d.speaker = append(d.speaker, lw)
		}
	}
	if d.denial != "" {
		// The target stands near the denial: "denied the allegations",
		// "the allegations were completely false".
		at := -1
		first := strings.Fields(d.denial)[0]
		for i, t := range d.toks {
			if t.word == first {
				at = i
				break
			}
		}
		for i, t := range d.toks {
			if l.denialTarget[t.stem] && at >= 0 && i >= at-6 && i <= at+4 {
				d.target = t.word
				break
			}
		}
	}
	if d.denial == "" || sentence == "" {
		return
	}
	d.ctx = map[string]bool{}
	for _, w := range splitWords(sentence) {
		lw := strings.ToLower(w.s)
		if w.punct || l.function[lw] || l.negation[lw] {
			continue
		}
		st := l.stem(lw)
		d.ctx[st] = true
		if g := l.groupOf[st]; g != "" {
			d.ctx[g] = true
		}
	}
}

// acronymWord reports a word of two or more capital letters, dots allowed
// between them: "US", "U.S.", "NATO".
func acronymWord(w string) bool {
	n := 0
	for _, r := range w {
		switch {
		case r >= 'A' && r <= 'Z':
			n++
		case r == '.':
		default:
			return false
		}
	}
	return n >= 2
}
