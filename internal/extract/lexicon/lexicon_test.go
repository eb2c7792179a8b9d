package lexicon

import "testing"

func TestSpeechVerbs(t *testing.T) {
	v := SpeechVerbs()
	for form, lemma := range map[string]string{"said": "say", "tells": "tell", "adding": "add", "denied": "deny", "wrote": "write", "quipped": "quip"} {
		if v[form] != lemma {
			t.Errorf("SpeechVerbs()[%q] = %q, want %q", form, v[form], lemma)
		}
	}
	for _, belief := range []string{"think", "thinks", "believes", "hopes", "wants", "fears"} {
		if _, ok := v[belief]; ok {
			t.Errorf("%q is a belief verb, not a speech verb", belief)
		}
	}
}

func TestSpeechCue(t *testing.T) {
	v := SpeechVerbs()
	for cue, want := range map[string]bool{"said": true, "has said": true, "according to": true, ":": true, "said in a statement": true,
		"Told": true, "thinks": false, "wants": false, "show": false, "": false, "is expected": false, "added:": true} {
		if got := SpeechCue(v, cue); got != want {
			t.Errorf("SpeechCue(%q) = %v, want %v", cue, got, want)
		}
	}
}
