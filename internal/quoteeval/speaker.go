package quoteeval

import (
	"strings"
	"unicode"

	"newsbot/internal/extract"
)

// titleWord reports words of a gold mention that are not its name.
func titleWord(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "president", "senator", "governor", "secretary",
		"the", "a", "an", "speaker", "leader", "minister", "vice", "former", "candidate", "nominee", "house",
		"senate", "majority", "minority", "state", "presidential", "democratic", "republican", "chairman", "mayor",
		"judge", "justice", "attorney", "general", "director", "col", "lt", "sgt", "capt", "prof", "rev", "jr",
		"sr":
		return true
	}
	return false
}

// speakerMatches applies the documented rule (docs/extraction.md): our
// speaker is the gold source when our mention span overlaps the gold
// source span, or when the gold mention's name word (its last capitalised
// word that is not a title, read before any apposition) is a word of our
// canonical name or of one of its aliases.
func speakerMatches(st extract.Statement, q GoldQuote, runes []rune) bool {
	if !q.HasSource || len(q.Source) == 0 {
		return false
	}
	for _, s := range q.Source {
		if st.MentionEnd > st.MentionStart && st.MentionStart < s.End && s.Start < st.MentionEnd {
			return true
		}
	}
	key := nameKey(q.Source[0].Text)
	if key == "" {
		return false
	}
	names := append([]string{st.Speaker.Name}, st.Speaker.Aliases...)
	for _, n := range names {
		for _, w := range nameWords(n) {
			if w == key {
				return true
			}
		}
	}
	return false
}

// nameKey is the name word of a mention: "Mr. Trump" → "trump",
// "Ronald R. Fieldstone, a Miami lawyer" → "fieldstone", "he" → "".
func nameKey(mention string) string {
	if i := strings.IndexByte(mention, ','); i > 0 {
		mention = mention[:i]
	}
	key := ""
	for _, w := range nameWords(mention) {
		if titleWord(w) {
			continue
		}
		key = w
	}
	// only capitalised words are names
	if key != "" && !strings.Contains(mention, capital(key)) && !strings.Contains(mention, strings.ToUpper(key)) {
		return ""
	}
	return key
}

func capital(w string) string {
	r := []rune(w)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// nameWords lower-cases the words of a name, possessives dropped.
func nameWords(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || r == '’' || r == '\'' || r == '-') }) {
		f = strings.TrimSuffix(strings.TrimSuffix(f, "’s"), "'s")
		f = strings.Trim(f, "’'-")
		if f != "" {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}

// pronounAgrees estimates whether a gold pronoun source we attached to
// ("he") was resolved to the right person. The gold has no coreference,
// so the referent is taken to be the nearest named gold source before
// the pronoun (a proxy, documented in docs/extraction.md). checked is
// false when the statement did not use the gold pronoun or no named
// source precedes it.
func pronounAgrees(st extract.Statement, q GoldQuote, all []GoldQuote) (checked, agree bool, referent string) {
	if !q.SourceIsPronoun || len(q.Source) == 0 {
		return false, false, ""
	}
	if p := strings.ToLower(strings.TrimSpace(q.Source[0].Text)); p != "he" && p != "she" {
		return false, false, "" // "I", "we", "they", "it": the proxy says nothing about them
	}
	src := q.Source[0]
	if !(st.MentionEnd > st.MentionStart && st.MentionStart < src.End && src.Start < st.MentionEnd) {
		return false, false, ""
	}
	best, key := -1, ""
	for _, g := range all {
		if g.SourceIsPronoun || len(g.Source) == 0 || g.Source[0].End > src.Start || g.Source[0].Start < best {
			continue
		}
		if k := nameKey(g.Source[0].Text); k != "" {
			best, key = g.Source[0].Start, k
		}
	}
	if key == "" {
		return false, false, ""
	}
	for _, n := range append([]string{st.Speaker.Name}, st.Speaker.Aliases...) {
		for _, w := range nameWords(n) {
			if w == key {
				return true, true, key
			}
		}
	}
	return true, false, key
}
