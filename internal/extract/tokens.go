package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tkind uint8

const (
	tWord  tkind = iota
	tPunct       // one punctuation rune
	tOpen        // an opening quotation mark
	tClose       // a closing quotation mark
)

// token is a word, a punctuation mark or a quotation mark; s and e are
// byte offsets into the whole text.
type token struct {
	s, e  int
	kind  tkind
	inQ   bool // inside a quotation (marks excluded)
	upper bool // a word starting with an upper-case letter
	abbr  bool // a word that swallowed its closing period (Mr., U.S.)
}

// qspan is one quotation in a paragraph: the token indexes of its marks.
// An unclosed quotation ends at the paragraph end: close is the
// paragraph's hi and unclosed is set.
type qspan struct {
	open, close int
	unclosed    bool
}

// para is one paragraph: a line of the text.
type para struct {
	lo, hi int // token range
	quotes []qspan
	sents  [][2]int // token ranges
}

// abbrev reports abbreviations that keep their period (case as written).
func abbrev(w string) bool {
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Sgt", "Capt", "Adm", "Maj", "Sen", "Sens", "Rep", "Reps",
		"Gov", "Prof", "Rev", "St", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Jan", "Feb", "Aug", "Sept", "Sep",
		"Oct", "Nov", "Dec", "vs", "etc", "Mt", "Ft", "Calif", "Fla", "Ill", "Mass", "Mich", "Wis", "Pa", "Va",
		"Wash", "Tenn", "Tex", "Ariz", "Colo", "Conn", "Ga", "Ky", "La", "Md", "Minn", "Nev", "Okla", "Ore", "Ala",
		"Ark", "Del", "Kan", "Neb", "Supt", "Cmdr", "Brig", "Amb", "Atty", "Insp", "Det", "Gens", "Messrs", "Mmes",
		"Hon", "Fr", "No":
		return true
	}
	return false
}

// sentenceAbbrev reports abbreviations that may also end a sentence when a
// capital follows.
func sentenceAbbrev(w string) bool {
	switch w {
	case "Inc.", "Ltd.", "Co.", "Corp.", "Jr.", "Sr.", "etc.":
		return true
	}
	return false
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '@' || r == '#' || r == '$' || r == '%' || r == '&'
}

// tokenize splits text[start:] into tokens and paragraphs (lines).
func tokenize(text string, start int) ([]token, []para) {
	toks := make([]token, 0, len(text)/5+8)
	var paras []para
	pLo := 0
	flush := func() {
		if len(toks) > pLo {
			paras = append(paras, para{lo: pLo, hi: len(toks)})
		}
		pLo = len(toks)
	}
	i := start
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r' || r == '\u2029':
			flush()
			i += n
		case unicode.IsSpace(r) || r == utf8.RuneError && n <= 1 && text[i] < 0x20:
			i += n
		case wordRune(r):
			j := scanWord(text, i)
			t := token{s: i, e: j, kind: tWord, upper: unicode.IsUpper(r)}
			if j < len(text) && text[j] == '.' {
				w := text[i:j]
				if strings.Contains(w, ".") && !strings.ContainsAny(w, "0123456789") || abbrev(w) || (utf8.RuneCountInString(w) == 1 && unicode.IsUpper(r)) {
					t.e = j + 1
					t.abbr = true
				}
			}
			toks = append(toks, t)
			i = t.e
		case r == '\'' && i+1 < len(text) && text[i+1] == '\'':
			// ''quoted'' (two apostrophes, as some papers write quotation marks)
			toks = append(toks, token{s: i, e: i + 2, kind: tPunct})
			i += 2
		default:
			toks = append(toks, token{s: i, e: i + n, kind: tPunct})
			i += n
		}
	}
	flush()
	for k := range paras {
		markQuotes(text, toks, &paras[k])
		splitSentences(text, toks, &paras[k])
	}
	return toks, paras
}

// scanWord returns the end of the word starting at i: letters and digits,
// joined by apostrophes, hyphens, periods and digit commas.
func scanWord(text string, i int) int {
	j := i
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if wordRune(r) {
			j += n
			continue
		}
		if r == '\'' || r == '’' || r == '-' || r == '‐' || r == '.' || r == ',' || r == '/' {
			next, _ := utf8.DecodeRuneInString(text[j+n:])
			prev, _ := utf8.DecodeLastRuneInString(text[:j])
			ok := wordRune(next)
			if r == ',' {
				ok = unicode.IsDigit(prev) && unicode.IsDigit(next)
			}
			if ok && j > i {
				j += n
				continue
			}
		}
		break
	}
	return j
}

// markQuotes pairs the quotation marks of a paragraph and sets inQ.
func markQuotes(text string, toks []token, p *para) {
	dOpen, sOpen := -1, -1 // open double / single mark token
	closeAt := func(open, close int, unclosed bool) {
		p.quotes = append(p.quotes, qspan{open, close, unclosed})
		toks[open].kind = tOpen
		if !unclosed {
			toks[close].kind = tClose
		}
		for k := open + 1; k < close; k++ {
			toks[k].inQ = true
		}
	}
	for k := p.lo; k < p.hi; k++ {
		t := toks[k]
		if t.kind != tPunct {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[t.s:])
		if t.e-t.s == 2 && text[t.s:t.e] == "''" {
			r = '"'
		}
		switch r {
		case '“', '«', '„':
			sOpen = -1
			if r == '“' && dOpen >= 0 && dOpen < k-1 && toks[k-1].e == t.s && isPunct(text, toks[k-1], ",.!?") {
				// “Apparently not,“ he said: a mistyped closing mark
				closeAt(dOpen, k, false)
				dOpen = -1
				continue
			}
			if dOpen >= 0 && dOpen < k-1 {
				// a new quotation opens before the last one closed: the
				// last one ends here (“A. “B.”)
				closeAt(dOpen, k, true)
			}
			dOpen = k
		case '”', '»':
			if dOpen >= 0 {
				closeAt(dOpen, k, false)
				dOpen = -1
			}
		case '"':
			if dOpen >= 0 {
				closeAt(dOpen, k, false)
				dOpen = -1
			} else {
				sOpen = -1
				dOpen = k
			}
		case '‘':
			if dOpen < 0 && (k == p.lo || toks[k-1].e < t.s || toks[k-1].kind != tWord) {
				sOpen = k
			}
		case '’':
			if dOpen < 0 && sOpen >= 0 {
				closeAt(sOpen, k, false)
				sOpen = -1
			}
		}
	}
	if dOpen >= 0 && dOpen < p.hi-1 {
		closeAt(dOpen, p.hi, true)
	}
	// keep quotes in text order (a single closed before a later double)
	for a := 1; a < len(p.quotes); a++ {
		for b := a; b > 0 && p.quotes[b].open < p.quotes[b-1].open; b-- {
			p.quotes[b], p.quotes[b-1] = p.quotes[b-1], p.quotes[b]
		}
	}
}

func isPunct(text string, t token, set string) bool {
	return t.kind == tPunct && strings.Contains(set, text[t.s:t.e])
}

// splitSentences cuts a paragraph at . ! ? outside quotations, and after
// a quotation ending in one of them, when a capital or a quotation follows.
func splitSentences(text string, toks []token, p *para) {
	lo := p.lo
	for k := p.lo; k < p.hi; k++ {
		t := toks[k]
		end := false
		switch {
		case t.inQ:
		case isPunct(text, t, ".!?…"):
			end = true
		case t.kind == tClose && k > p.lo && isPunct(text, toks[k-1], ".!?…"):
			end = true
		case t.kind == tWord && t.abbr && sentenceAbbrev(text[t.s:t.e]):
			end = true
		}
		if !end {
			continue
		}
		// the sentence takes closing marks and brackets that follow
		j := k + 1
		for j < p.hi && (toks[j].kind == tClose || isPunct(text, toks[j], ")]")) && !toks[j].inQ {
			j++
		}
		if j < p.hi {
			nt := toks[j]
			if !(nt.kind == tOpen || nt.upper || (nt.kind == tWord && startsDigit(text[nt.s:])) || isPunct(text, nt, "(—–-")) {
				continue
			}
		}
		p.sents = append(p.sents, [2]int{lo, j})
		lo = j
		k = j - 1
	}
	if lo < p.hi {
		p.sents = append(p.sents, [2]int{lo, p.hi})
	}
}

func startsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}
