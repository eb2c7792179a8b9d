package extract

import (
	"sort"
	"strings"
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
			case qi == 0 && startsQuoted && prevQ != nil && !attributed && !x.cueOutside(p):
				// a paragraph of quotation after an attributed one; not one
				// whose own attribution was not understood (“Q,” said a
				// speaker we could not read): that one is left out
				from = prevQ
			case x.lastQ != nil && x.quoteStartsSentence(q):
				from = x.lastQ
			case x.lastQ != nil && qi > 0 && x.used[qi-1] && p.quotes[qi-1].unclosed && p.quotes[qi-1].close == q.open:
				from = x.lastQ // “A. “B.” — the same speaker goes on
			}
			if from != nil {
				x.direct(q, *from)
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
		// the next paragraph's opening quotation may inherit this one's
		// speaker; a paragraph of unattributed quotations keeps the old one
		if x.lastQ != nil || attributed || len(p.quotes) == 0 {
			prevQ = x.lastQ
		}
	}
	sort.SliceStable(x.out, func(i, j int) bool { return x.out[i].Start < x.out[j].Start })
	return x.out
}

// cueOutside reports a speech verb outside the paragraph's quotations: the
// paragraph carries an attribution of its own.
func (x *run) cueOutside(p *para) bool {
	for k := p.lo; k < p.hi; k++ {
		if !x.toks[k].inQ && x.isWord(k) {
			if _, ok := x.l.verbs[x.lower(k)]; ok {
				return true
			}
		}
	}
	return false
}

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
	for _, credit := range []string{"(ap photo", "ap photo/", "getty images", "(photo:", "photo credit", "(file photo"} {
		if strings.Contains(s, credit) {
			return true // a photo caption
		}
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
