package extract

import (
	"strings"
	"unicode"
)

// cued is a resolved speaker with the cue of the quote being attributed.
type cued struct {
	Speaker
	cue string
}

// resolver turns mentions into speakers within one article: titles become
// the role, a surname becomes the full name seen earlier, he/she the last
// person quoted.
type resolver struct {
	people     []*Speaker
	lastPerson *Speaker
}

func (r *resolver) resolve(mention string) (cued, bool) {
	mention = strings.TrimSpace(mention)
	if _, ok := pronoun(mention); ok {
		if r.lastPerson == nil {
			return cued{}, false // no one to refer to: leave it out
		}
		s := *r.lastPerson
		s.Mention = mention
		return cued{Speaker: s}, true
	}
	ws := strings.Fields(mention)
	if len(ws) == 0 {
		return cued{}, false
	}
	first := strings.ToLower(ws[0])
	if first == "a" || first == "an" {
		return cued{Speaker: Speaker{Name: mention, Mention: mention, Type: Anonymous}}, true
	}
	if first == "the" {
		if len(ws) > 1 && upper(ws[1]) {
			return cued{Speaker: Speaker{Name: mention, Mention: mention, Type: Organisation}}, true
		}
		return cued{Speaker: Speaker{Name: mention, Mention: mention, Type: Anonymous}}, true
	}
	// Titles first ("Col. Gen. Mikhail Mizintsev"), then the name.
	var role []string
	i := 0
	for i < len(ws)-1 && titleWord(ws[i]) {
		role = append(role, ws[i])
		i++
	}
	name := ws[i:]
	for _, w := range name {
		if !upper(w) {
			return cued{}, false // not a name: a clause, a description we do not parse
		}
	}
	full := strings.Join(name, " ")
	if organisation(name[len(name)-1]) {
		return cued{Speaker: Speaker{Name: full, Mention: mention, Type: Organisation}}, true
	}
	sp := r.person(full)
	if len(role) > 0 && sp.Role == "" {
		sp.Role = strings.Join(role, " ")
	}
	r.lastPerson = sp
	out := *sp
	out.Mention = mention
	return cued{Speaker: out}, true
}

// person finds or records a person: a one-word name matches the one person
// with that surname; a fuller name completes an earlier surname.
func (r *resolver) person(name string) *Speaker {
	words := strings.Fields(name)
	surname := words[len(words)-1]
	for _, p := range r.people {
		pw := strings.Fields(p.Name)
		switch {
		case p.Name == name:
			return p
		case len(words) == 1 && pw[len(pw)-1] == surname:
			return p
		case len(pw) == 1 && pw[0] == surname:
			p.Aliases = append(p.Aliases, p.Name)
			p.Name = name
			return p
		}
	}
	p := &Speaker{Name: name, Type: Person}
	if len(words) > 1 {
		p.Aliases = []string{surname}
	}
	r.people = append(r.people, p)
	return p
}

func upper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// organisation reports the last words of organisation names.
func organisation(w string) bool {
	switch strings.Trim(w, ".,") {
	case "Ministry", "Department", "Office", "Council", "Kremlin", "House", "Agency", "Committee", "Party",
		"Government", "Commission", "Police", "Army", "Navy", "Bank", "Court", "Parliament", "Senate",
		"Congress", "Pentagon", "Embassy", "Union", "Association", "Federation", "Organisation",
		"Organization", "Company", "Corporation", "Inc", "Ltd", "Group", "Center", "Centre", "Service",
		"Administration", "Authority", "Foundation", "Institute", "University", "Times", "Post", "News":
		return true
	}
	return false
}
