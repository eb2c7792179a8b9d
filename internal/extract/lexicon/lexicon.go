// Package lexicon holds the word lists the extractor and its evaluation
// share: the speech (reporting) verbs and their forms.
//
// The lists are embedded text; every call parses a fresh copy, so callers
// own what they get and nothing here is mutable.
package lexicon

import (
	_ "embed"
	"strings"
)

//go:embed speech_verbs.txt
var speechVerbs string

// SpeechVerbs maps every form of a speech verb ("said", "tells",
// "adding") to its lemma ("say", "tell", "add").
func SpeechVerbs() map[string]string {
	out := make(map[string]string, 400)
	for _, line := range strings.Split(speechVerbs, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ws := strings.Fields(line)
		for _, w := range ws {
			out[w] = ws[0]
		}
	}
	return out
}

// SpeechCue reports whether a cue as written ("has said", "according
// to", ":", "said in a statement") contains a speech verb: the
// definition of the speech-cue subset used in evaluation.
func SpeechCue(verbs map[string]string, cue string) bool {
	c := strings.ToLower(strings.TrimSpace(cue))
	if c == "" {
		return false
	}
	if strings.Trim(c, ":—―-–") == "" || strings.Contains(c, "according to") {
		return true
	}
	for _, w := range strings.FieldsFunc(c, func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == '\u00a0' }) {
		if _, ok := verbs[w]; ok {
			return true
		}
	}
	return false
}
