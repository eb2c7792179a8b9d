package ingest

import (
	"slices"
	"strings"
	"unicode"

	"newsbot/internal/extract"
	"newsbot/internal/store"
)

// resolveSpeaker finds the stored speaker an article's speaker is, or
// creates one. The rules:
//   - anonymous and unresolved speakers ("a spokesman") are never merged
//     across articles: each article keeps its own;
//   - an organisation or document is the same when its normalised name is;
//   - a person named in full is the same as a stored person with that full
//     name (or alias); two people who share a surname stay apart;
//   - a person named by one word only is merged when exactly one stored
//     person answers to it.
func resolveSpeaker(tx *store.Tx, sp extract.Speaker, articleID string) (uint64, error) {
	typ := sp.Type
	if typ == "" {
		typ = extract.Unknown
	}
	name := strings.TrimSpace(sp.Name)
	if name == "" {
		name, typ = "unknown speaker", extract.Unknown
	}
	scope := ""
	if typ == extract.Anonymous || typ == extract.Unknown {
		scope = articleID
	}
	var match *store.Speaker
	var candidates []store.Speaker
	// A speaker confined to this article cannot be stored yet: the article
	// is being written now, and addStatements resolves each name once per
	// article. Looking would read every "a spokesman" of the archive.
	var err error
	if scope == "" {
		if candidates, err = tx.SpeakersNamed(name); err != nil {
			return 0, err
		}
	}
	key := store.NormaliseName(name)
	candidates = slices.DeleteFunc(candidates, func(c store.Speaker) bool {
		return c.Type != string(typ) || c.Scope != scope || !answersTo(&c, key)
	})
	switch {
	case len(candidates) == 1:
		match = &candidates[0]
	case len(candidates) > 1 && typ == extract.Person:
		// A full name matching several people cannot happen (their names
		// differ); a surname can: prefer the one whose canonical name is it.
		for i := range candidates {
			if store.NormaliseName(candidates[i].Name) == key {
				match = &candidates[i]
			}
		}
	case len(candidates) > 1:
		match = &candidates[0]
	}
	if match == nil && len(candidates) == 0 && typ == extract.Person {
		match, err = surnameOnly(tx, name)
		if err != nil {
			return 0, err
		}
	}
	aliases := speakerAliases(sp, typ)
	if match == nil {
		s := store.Speaker{Name: name, Type: string(typ), Aliases: aliases, Role: sp.Role,
			Affiliation: sp.Affiliation, Scope: scope}
		if err := tx.PutSpeaker(&s); err != nil {
			return 0, err
		}
		return s.ID, nil
	}
	changed := false
	// A fuller name seen later becomes the canonical one ("Pompeo" →
	// "Mike Pompeo").
	if typ == extract.Person && len(strings.Fields(name)) > len(strings.Fields(match.Name)) {
		match.Aliases = append(match.Aliases, match.Name)
		match.Name = name
		changed = true
	}
	for _, a := range aliases {
		if !containsFold(match.Aliases, a) && !strings.EqualFold(a, match.Name) {
			match.Aliases = append(match.Aliases, a)
			changed = true
		}
	}
	if match.Role == "" && sp.Role != "" {
		match.Role, changed = sp.Role, true
	}
	if match.Affiliation == "" && sp.Affiliation != "" {
		match.Affiliation, changed = sp.Affiliation, true
	}
	if changed {
		if err := tx.PutSpeaker(match); err != nil {
			return 0, err
		}
	}
	return match.ID, nil
}

// surnameOnly finds the one stored person known by nothing but the
// surname of a full name ("Mizintsev" for "Mikhail Mizintsev"), so a full
// name seen later completes them. Two such candidates, or none: nil.
func surnameOnly(tx *store.Tx, name string) (*store.Speaker, error) {
	f := strings.Fields(name)
	if len(f) < 2 {
		return nil, nil
	}
	found, err := tx.SpeakersNamed(f[len(f)-1])
	if err != nil {
		return nil, err
	}
	var only *store.Speaker
	surname := store.NormaliseName(f[len(f)-1])
	for i := range found {
		c := &found[i]
		if c.Type != string(extract.Person) || c.Scope != "" || store.NormaliseName(c.Name) != surname {
			continue
		}
		if only != nil {
			return nil, nil
		}
		only = c
	}
	return only, nil
}

func answersTo(sp *store.Speaker, key string) bool {
	if store.NormaliseName(sp.Name) == key {
		return true
	}
	for _, a := range sp.Aliases {
		if store.NormaliseName(a) == key {
			return true
		}
	}
	return false
}

// speakerAliases are the names worth finding a speaker by: the article's
// other proper-name forms, and a person's surname.
func speakerAliases(sp extract.Speaker, typ extract.SpeakerType) []string {
	var out []string
	add := func(a string) {
		a = strings.TrimSpace(a)
		if a == "" || strings.EqualFold(a, sp.Name) || containsFold(out, a) || !properName(a) {
			return
		}
		out = append(out, a)
	}
	for _, a := range sp.Aliases {
		add(a)
	}
	add(sp.Mention)
	if typ == extract.Person {
		if f := strings.Fields(sp.Name); len(f) > 1 {
			add(f[len(f)-1])
		}
	}
	return out
}

// properName: starts with an upper-case letter and is not a pronoun.
func properName(s string) bool {
	r := []rune(s)
	if len(r) == 0 || !unicode.IsUpper(r[0]) {
		return false
	}
	switch strings.ToLower(s) {
	case "he", "she", "they", "it", "we", "i", "you", "his", "her", "their":
		return false
	}
	return true
}

func containsFold(xs []string, s string) bool {
	return slices.ContainsFunc(xs, func(x string) bool { return strings.EqualFold(x, s) })
}
