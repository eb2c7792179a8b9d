package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// quoteExtractor finds direct quotations attributed with a speech verb:
//
//	“Q,” S said.   “Q,” said S.   S said: “Q”   S told reporters, “Q”
//
// and resolves the speaker within the article: a surname to the full name
// seen earlier, "he"/"she" to the last person named outside quotations.
// It is the first of the extractors behind Extractor; what it does not
// attempt (reported speech, "according to", roles from appositions) it
// leaves out rather than guesses.
type quoteExtractor struct{}

// New returns the default extractor.
func New() Extractor { return quoteExtractor{} }

func (quoteExtractor) Name() string { return "quotes/1" }

// cueVerb reports speech verbs as written after or before a quotation.
func cueVerb(w string) bool {
	switch strings.ToLower(w) {
	case "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "wrote", "writes",
		"asked", "asks", "insisted", "insists", "noted", "notes", "explained", "explains", "warned", "warns",
		"argued", "argues", "claimed", "claims", "declared", "declares", "announced", "announces",
		"replied", "replies", "continued", "continues", "tweeted", "tweets", "concluded", "concludes",
		"acknowledged", "acknowledges", "admitted", "admits", "confirmed", "confirms", "denied", "denies",
		"stressed", "stresses", "recalled", "recalls", "remarked", "remarks", "responded", "responds":
		return true
	}
	return false
}

// title words that precede a name and are a role, not part of it.
func titleWord(w string) bool {
	switch strings.TrimSuffix(w, ".") {
	case "Mr", "Mrs", "Ms", "Dr", "Gen", "General", "Col", "Colonel", "Lt", "Sgt", "Capt", "Captain", "Adm",
		"Admiral", "Maj", "Major", "Sen", "Senator", "Rep", "Representative", "Gov", "Governor", "President",
		"Prime", "Minister", "Secretary", "Chancellor", "Mayor", "Judge", "Justice", "Prof", "Professor",
		"Sir", "Dame", "Lord", "Lady", "King", "Queen", "Prince", "Princess", "Pope", "Rev", "Father",
		"Councillor", "Councilman", "Councilwoman", "Ambassador", "Chairman", "Chairwoman", "Spokesman",
		"Spokeswoman", "Commissioner", "Director", "Chief", "Deputy", "Foreign", "Defence", "Defense",
		"State", "of", "Vice", "Senior", "Officer":
		return true
	}
	return false
}

func pronoun(w string) (SpeakerType, bool) {
	switch strings.ToLower(w) {
	case "he", "she":
		return Person, true
	}
	return "", false
}

type quote struct{ open, close int } // byte offsets of the marks

// Extract finds the attributed quotations in doc.
func (quoteExtractor) Extract(doc Document) []Statement {
	text := doc.Text
	runeAt := runeIndex(text)
	r := &resolver{}
	var out []Statement
	start := 0
	if doc.Headline {
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			start = i + 1
		} else {
			return nil
		}
	}
	for _, para := range paragraphs(text, start) {
		p := text[para[0]:para[1]]
		qs := quotes(p)
		var last *cued // the speaker of the paragraph's previous quote
		for qi, q := range qs {
			words := trimMarks(p[markEnd(p, q.open):q.close])
			if len(strings.Fields(words)) < 3 {
				continue // a scare quote, a title: not a statement
			}
			after := p[q.close+markLen(p, q.close):]
			if qi+1 < len(qs) {
				after = p[q.close+markLen(p, q.close) : qs[qi+1].open]
			}
			beforeStart := 0
			if qi > 0 {
				beforeStart = qs[qi-1].close + markLen(p, qs[qi-1].close)
			}
			before := p[beforeStart:q.open]
			sp, cue, ok := attributionAfter(after)
			if !ok {
				sp, cue, ok = attributionBefore(before)
			}
			var speaker cued
			switch {
			case ok:
				if speaker, ok = r.resolve(sp); !ok {
					continue
				}
			case last != nil && strings.TrimSpace(before) == "":
				// “Q1,” he said. “Q2.” — the speaker goes on.
				speaker, cue = *last, last.cue
			default:
				continue
			}
			speaker.cue = cue
			last = &speaker
			s0 := para[0] + markEnd(p, q.open)
			s0 += strings.Index(text[s0:], words)
			speaker.cue = ""
			out = append(out, Statement{
				Speaker: speaker.Speaker, Text: words, Kind: Direct, Cue: cue,
				Start: runeAt(s0), End: runeAt(s0 + len(words)),
				Sentence: strings.TrimSpace(p),
			})
		}
	}
	return out
}

// paragraphs returns the [start, end) byte ranges of the non-blank lines
// of text from start.
func paragraphs(text string, start int) [][2]int {
	var out [][2]int
	for i := start; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		end := len(text)
		if j >= 0 {
			end = i + j
		}
		if strings.TrimSpace(text[i:end]) != "" {
			out = append(out, [2]int{i, end})
		}
		i = end + 1
	}
	return out
}

// quotes finds balanced quotation marks in a paragraph: “…” or "…".
func quotes(p string) []quote {
	var out []quote
	open := -1
	var want string
	for i, r := range p {
		switch {
		case open < 0 && (r == '“' || r == '"'):
			open = i
			want = map[rune]string{'“': "”", '"': "\""}[r]
		case open >= 0 && (string(r) == want || (want == "”" && r == '"')):
			out = append(out, quote{open, i})
			open = -1
		}
	}
	return out
}

func markLen(p string, i int) int {
	_, n := utf8.DecodeRuneInString(p[i:])
	return n
}

func markEnd(p string, i int) int { return i + markLen(p, i) }

// trimMarks drops the punctuation that closes a quotation inside its marks
// (“…,”) and surrounding space.
func trimMarks(s string) string {
	s = strings.TrimSpace(s)
	return strings.TrimRight(s, ", ")
}

// attributionAfter matches `, S said`, `, said S`, `S told` after a quote.
func attributionAfter(s string) (speaker, cue string, ok bool) {
	clause := firstClause(s)
	ws := strings.Fields(clause)
	if len(ws) < 2 {
		return "", "", false
	}
	if cueVerb(ws[0]) { // said S
		name := nameAt(ws[1:])
		return name, strings.ToLower(ws[0]), name != ""
	}
	for i := 1; i < len(ws) && i <= 12; i++ { // S said
		if cueVerb(ws[i]) {
			name := nameAt(ws[:i])
			return name, strings.ToLower(ws[i]), name != ""
		}
	}
	return "", "", false
}

// attributionBefore matches `S said: ` or `S said, ` right before a quote.
func attributionBefore(s string) (speaker, cue string, ok bool) {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, ",") {
		return "", "", false
	}
	t = strings.TrimRight(t, ":,")
	if i := strings.LastIndexAny(t, ".;!?"); i >= 0 {
		t = t[i+1:]
	}
	ws := strings.Fields(t)
	for i := len(ws) - 1; i >= 1; i-- {
		if cueVerb(ws[i]) {
			name := nameAt(ws[:i])
			return name, strings.ToLower(ws[i]), name != ""
		}
	}
	return "", "", false
}

// firstClause is s up to the end of its first sentence.
func firstClause(s string) string {
	s = strings.TrimLeft(s, ",;: \u00a0")
	for i, r := range s {
		if r == '.' || r == ';' || r == '!' || r == '?' {
			// an abbreviation ("Gen.", "U.S.") does not end the clause
			w := lastWord(s[:i])
			if len(w) <= 3 && w != "" && unicode.IsUpper(rune(w[0])) {
				continue
			}
			return s[:i]
		}
	}
	return s
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// nameAt picks the speaker in words around a cue: a pronoun, a run of
// capitalised words (a name, titles kept for the resolver), or a
// description ("a spokesman", "the ministry"). It reads the last
// noun phrase before a comma.
func nameAt(ws []string) string {
	// Keep the words after the last comma-separated apposition start:
	// "Mizintsev, the head of the centre, said" → "Mizintsev".
	var parts []string
	for _, w := range ws {
		parts = append(parts, strings.Trim(w, ",\u00a0"))
		if strings.HasSuffix(w, ",") && len(parts) > 0 {
			break
		}
	}
	var kept []string
	for _, w := range parts {
		if w == "" {
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return ""
	}
	if _, ok := pronoun(kept[0]); ok && len(kept) == 1 {
		return kept[0]
	}
	return strings.Join(kept, " ")
}

// runeIndex converts byte offsets of text to code-point offsets.
func runeIndex(text string) func(int) int {
	idx := make([]int32, len(text)+1)
	n := int32(0)
	for i := range text {
		idx[i] = n
		n++
	}
	idx[len(text)] = n
	for i := len(text) - 1; i >= 0; i-- { // continuation bytes: the rune they belong to
		if idx[i] == 0 && i > 0 && !utf8.RuneStart(text[i]) {
			idx[i] = idx[i-1]
		}
	}
	return func(b int) int { return int(idx[b]) }
}
