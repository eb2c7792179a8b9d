package extract

import (
	"strings"
)

// resolver turns mentions into speakers within one article:
//   - titles and lower-case roles before a name become the role
//     ("Col. Gen. Mikhail Mizintsev", "spokesman Sean Spicer");
//   - a surname or a titled surname ("Mr. Trump") is the person with that
//     surname named most recently, a fuller name completes an earlier
//     shorter one, so each person has one canonical name;
//   - "he"/"she" is the person last named as a speaker or subject,
//     "it"/"they" the last organisation, document or group;
//   - "the aide", "the general" is the person introduced with that role;
//   - organisations, documents and anonymous descriptions stay as written.
type resolver struct {
	l          *lists
	people     []*Speaker
	used       []int // when each person was last used
	clock      int
	lastPerson *Speaker
	gender     []byte // per person: 'm', 'f' or 0 (unknown)
	org        *Speaker
	group      *Speaker
}

func newResolver(l *lists) *resolver { return &resolver{l: l} }

func (r *resolver) resolve(mention, role string) Speaker {
	r.clock++
	m := strings.Trim(strings.TrimSpace(mention), ",;:")
	ws := strings.Fields(m)
	if len(ws) == 0 {
		return Speaker{Name: m, Mention: m, Type: Unknown}
	}
	fw := strings.ToLower(ws[0])
	out := func(s Speaker) Speaker {
		s.Mention = m
		if role != "" && s.Role == "" {
			s.Role = role
		}
		return s
	}
	if len(ws) == 1 && r.l.pronouns[fw] {
		var ref *Speaker
		switch fw {
		case "he":
			ref = r.recent('f')
		case "she":
			ref = r.recent('m')
		case "it":
			ref = r.org
		case "they":
			ref = r.group
			if ref == nil {
				ref = r.org
			}
		}
		if ref == nil {
			return Speaker{Name: m, Mention: m, Type: Unknown}
		}
		s := *ref
		s.Mention = m
		return s
	}
	lowerStart := !upperWord(ws[0])
	described := fw != "a" && fw != "an" && fw != "the" && len(ws) > 1 && upperWord(ws[len(ws)-1]) && upperWord(ws[len(ws)-2])
	for _, w := range ws {
		if r.l.preps[w] {
			described = false // "one of the lawyers for Tom Berg" is not Tom Berg
		}
	}
	if (r.l.determiners[fw] && !described) || lowerStart && !hasUpper(ws) {
		// ("former President Barack Obama" goes on to the name below)
		head := strings.ToLower(strings.Trim(ws[len(ws)-1], ",.’'s"))
		lastLower := strings.ToLower(ws[len(ws)-1])
		switch {
		case r.l.docHeads[lastLower] || r.l.docHeads[head]:
			s := Speaker{Name: definite(m), Type: DocumentType}
			r.org = &s
			return out(s)
		case (fw == "the") && hasUpper(ws[1:]) && !r.l.lowerTitles[lastLower]:
			s := Speaker{Name: definite(m), Type: Organisation}
			r.org = &s
			r.group = &s
			return out(s)
		case (fw == "the" || strings.HasSuffix(ws[0], "’s") || strings.HasSuffix(ws[0], "'s") || fw == "its" || fw == "his" || fw == "her" || fw == "their") && r.l.orgNouns[lastLower]:
			s := Speaker{Name: m, Type: Organisation}
			r.org, r.group = &s, &s
			return out(s)
		case fw == "the" && len(ws) <= 3:
			if p := r.byRole(lastLower); p != nil {
				return out(*p)
			}
		}
		s := Speaker{Name: m, Type: Anonymous}
		if strings.HasSuffix(lastLower, "s") {
			r.group = &s
		}
		return out(s)
	}
	// Organisations: the last word says so ("State Department", "Kremlin").
	last := strings.Trim(ws[len(ws)-1], ",")
	if r.l.orgHeads[last] || isAcronym(last) && len(ws) == 1 {
		s := Speaker{Name: definite(m), Type: Organisation}
		r.org, r.group = &s, &s
		return out(s)
	}
	// Titles and roles before the name: everything up to the last
	// lower-case word when capitalised words follow it ("Tory
	// co-chairman Liam Fox", "TV presenter Anne Robinson").
	i := 0
	for k := len(ws) - 2; k >= 0; k-- {
		if !upperWord(ws[k]) && !particle(ws[k]) {
			i = k + 1
			break
		}
	}
	for i < len(ws)-1 && (r.l.titles[ws[i]] || !upperWord(ws[i])) {
		i++
	}
	// "Russian Ambassador to America Anatoly Antonov": the place after
	// "to"/"of" belongs to the title
	if i > 0 && i < len(ws)-2 && (ws[i-1] == "to" || ws[i-1] == "of" || ws[i-1] == "for" || ws[i-1] == "at") {
		i++
	}
	var roleWords []string
	for _, w := range ws[:i] {
		switch strings.TrimSuffix(w, ".") {
		case "Mr", "Mrs", "Ms", "Mx", "Messrs":
			continue // honorifics are not a role
		}
		roleWords = append(roleWords, w)
	}
	titles := strings.Join(roleWords, " ")
	nameWords := make([]string, 0, len(ws)-i)
	for _, w := range ws[i:] {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
		if w != "" {
			nameWords = append(nameWords, w)
		}
	}
	for _, w := range nameWords {
		if !upperWord(w) && !particle(w) {
			// "Trump supporters", "Clinton aides": a group, not a person
			s := Speaker{Name: m, Type: Anonymous}
			r.group = &s
			return out(s)
		}
	}
	if len(nameWords) == 0 {
		return out(Speaker{Name: m, Type: Unknown})
	}
	if len(nameWords) == 1 && r.l.groupNouns[strings.ToLower(nameWords[0])] {
		s := Speaker{Name: strings.ToLower(m), Type: Anonymous}
		r.group = &s
		return out(s)
	}
	p := r.person(strings.Join(nameWords, " "))
	r.learnGender(p, ws[:i], nameWords)
	if titles != "" && p.Role == "" {
		p.Role = titles
	}
	if role != "" && (p.Role == "" || p.Role == titles) {
		p.Role = role
	}
	r.lastPerson = p
	return out(*p)
}

// noteSubject records the person a sentence is about: a known person
// named again, or a new full name (two or three capitalised words that
// are not an organisation), as the referent of the next "he"/"she".
func (r *resolver) noteSubject(m string) {
	ws := strings.Fields(m)
	i := 0
	for i < len(ws)-1 && r.l.titles[ws[i]] {
		i++
	}
	name := ws[i:]
	if len(name) == 0 {
		return
	}
	last := name[len(name)-1]
	if r.l.orgHeads[last] || r.l.groupNouns[strings.ToLower(last)] || isAcronym(last) || strings.HasSuffix(last, "’s") || strings.HasSuffix(last, "'s") {
		return
	}
	for _, w := range name {
		if !upperWord(w) || r.l.titles[w] {
			return
		}
	}
	if len(name) == 1 {
		best := -1
		for k, p := range r.people {
			pw := strings.Fields(p.Name)
			if pw[len(pw)-1] == last && (best < 0 || r.used[k] > r.used[best]) {
				best = k
			}
		}
		if best >= 0 {
			r.clock++
			r.used[best] = r.clock
			r.lastPerson = r.people[best]
		}
		return
	}
	// a new full name only when it looks like a person's: a known first
	// name or an honorific ("Downing Street" is not a person)
	honorific := false
	for _, t := range ws[:i] {
		switch strings.TrimSuffix(t, ".") {
		case "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "President", "Senator", "Governor", "Judge":
			honorific = true
		}
	}
	if len(name) <= 3 && (honorific || r.l.firstNames[name[0]] != 0) {
		r.clock++
		r.lastPerson = r.person(strings.Join(name, " "))
		r.learnGender(r.lastPerson, ws[:i], name)
	} else if len(name) <= 3 {
		for k, p := range r.people {
			if p.Name == strings.Join(name, " ") {
				r.clock++
				r.used[k] = r.clock
				r.lastPerson = p
			}
		}
	}
}

// recent is the person used most recently whose gender is not not.
func (r *resolver) recent(not byte) *Speaker {
	best := -1
	for k := range r.people {
		if r.gender[k] != not && (best < 0 || r.used[k] > r.used[best]) {
			best = k
		}
	}
	if best < 0 {
		return nil
	}
	return r.people[best]
}

// learnGender notes a person's gender from an honorific (Mr., Mrs., Ms.)
// or a common first name.
func (r *resolver) learnGender(p *Speaker, titles, name []string) {
	k := -1
	for i, q := range r.people {
		if q == p {
			k = i
		}
	}
	if k < 0 || r.gender[k] != 0 {
		return
	}
	for _, t := range titles {
		switch strings.TrimSuffix(t, ".") {
		case "Mr", "Sir", "Lord", "King", "Prince", "Father", "Congressman", "Councilman", "Assemblyman", "Chairman", "Spokesman", "Brother":
			r.gender[k] = 'm'
		case "Mrs", "Ms", "Miss", "Dame", "Lady", "Queen", "Princess", "Sister", "Congresswoman", "Councilwoman", "Assemblywoman", "Chairwoman", "Spokeswoman":
			r.gender[k] = 'f'
		}
	}
	if r.gender[k] == 0 && len(name) > 1 {
		r.gender[k] = r.l.firstNames[name[0]]
	}
}

// byRole finds the person most recently introduced with a role word.
func (r *resolver) byRole(head string) *Speaker {
	best, when := (*Speaker)(nil), -1
	for i, p := range r.people {
		if p.Role != "" && containsWord(strings.ToLower(p.Role), head) && r.used[i] > when {
			best, when = p, r.used[i]
		}
	}
	return best
}

// spellTitle spells out an abbreviated title, so "the general" finds
// "Col. Gen. Mikhail Mizintsev".
func spellTitle(w string) string {
	switch w {
	case "gen.":
		return "general"
	case "col.":
		return "colonel"
	case "sen.":
		return "senator"
	case "rep.":
		return "representative"
	case "gov.":
		return "governor"
	case "lt.":
		return "lieutenant"
	case "adm.":
		return "admiral"
	case "maj.":
		return "major"
	case "capt.":
		return "captain"
	case "sgt.":
		return "sergeant"
	case "dr.":
		return "doctor"
	case "prof.":
		return "professor"
	case "supt.":
		return "superintendent"
	case "insp.":
		return "inspector"
	case "det.":
		return "detective"
	case "amb.":
		return "ambassador"
	case "cmdr.":
		return "commander"
	case "brig.":
		return "brigadier"
	case "rev.":
		return "reverend"
	}
	return w
}

func containsWord(s, w string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' }) {
		if spellTitle(f) == w {
			return true
		}
	}
	return false
}

// person finds or records a person. A one-word name is the person with
// that surname used most recently; a fuller name completes an earlier
// one-word name; names with the same first and last words are the same.
func (r *resolver) person(name string) *Speaker {
	words := strings.Fields(name)
	surname := words[len(words)-1]
	best := -1
	for i, p := range r.people {
		pw := strings.Fields(p.Name)
		match := false
		switch {
		case p.Name == name:
			match = true
		case len(words) == 1 && pw[len(pw)-1] == surname:
			match = true
		case len(pw) == 1 && pw[0] == surname:
			p.Aliases = appendNew(p.Aliases, p.Name)
			p.Name = name
			match = true
		case len(words) > 1 && len(pw) > 1 && pw[0] == words[0] && pw[len(pw)-1] == surname:
			match = true
			p.Aliases = appendNew(p.Aliases, name)
		}
		if match && (best < 0 || r.used[i] > r.used[best]) {
			best = i
		}
	}
	if best >= 0 {
		r.used[best] = r.clock
		return r.people[best]
	}
	p := &Speaker{Name: name, Type: Person}
	if len(words) > 1 {
		p.Aliases = []string{surname}
	}
	r.people = append(r.people, p)
	r.used = append(r.used, r.clock)
	r.gender = append(r.gender, 0)
	return p
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// definite writes "The State Department" as "the State Department".
func definite(m string) string {
	if strings.HasPrefix(m, "The ") {
		return "the " + m[4:]
	}
	return m
}

// particle: lower-case words inside names ("Charles de Gaulle").
func particle(w string) bool {
	switch w {
	case "de", "van", "von", "bin", "al", "la", "del", "da", "der", "le", "di", "du", "ibn":
		return true
	}
	return false
}

func upperWord(w string) bool {
	for _, r := range w {
		return r >= 'A' && r <= 'Z' || r > 0x7f && strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r)
	}
	return false
}

func hasUpper(ws []string) bool {
	for _, w := range ws {
		if upperWord(w) {
			return true
		}
	}
	return false
}

func isAcronym(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if !(r >= 'A' && r <= 'Z' || r == '.' || r == '&') {
			return false
		}
	}
	return true
}
