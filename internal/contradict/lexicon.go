package contradict

import (
	"bufio"
	"embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/wordnet_antonyms.tsv data/newsroom_antonyms.txt data/newsroom_synonyms.txt
var dataFS embed.FS

// Lexicon holds the word lists the scorer uses. Its lists are read-only
// once built; it is safe for concurrent use.
type Lexicon struct {
	stems                                                                        sync.Map                // word → stem, filled as words are seen
	denialIndex                                                                  map[string][]wordPhrase // first word → denial phrases (rank -1: declining to answer)
	antonymOf                                                                    map[string][]string     // stem or group → its antonyms
	function, negation, clauseBreak, hedge, conditional, opinion, belief, months map[string]bool
	titles, denialTarget, modal, monthAbbrev                                     map[string]bool
	multiplier, numberWords                                                      map[string]float64
	approx                                                                       map[string]string
	irregular                                                                    map[string]string
	groupOf                                                                      map[string]string // stem → group
	antonym                                                                      map[[2]string]string
	denialPhrases                                                                []string
	status                                                                       map[string]int // stem or group → +1 begun, -1 stopped
}

// wordPhrase is a word sequence with its rank in a list.
type wordPhrase struct {
	words []string
	rank  int
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// denialPhrases are words and phrases by which a speaker disputes a claim.
// Adjectives count only said of a claim ("the report is false"), never
// before a noun ("false information").
func denialPhrases() []string {
	out := []string{"denied", "denies", "deny", "denying", "not true", "not accurate", "not correct", "no truth",
		"which it is not", "is not the case", "was not the case", "disputed", "disputes", "refuted", "refutes",
		"rejected the claim", "rejected claims", "rejected the report", "rejected reports", "dismissed the report",
		"dismissed reports", "categorically", "fake news", "nonsense", "a hoax", "simply rumours", "simply rumors"}
	for _, adj := range strings.Fields("false untrue inaccurate incorrect baseless groundless fabricated") {
		for _, be := range strings.Fields("is are was were be been as totally completely entirely simply") {
			out = append(out, be+" "+adj)
		}
	}
	return out
}

// NewLexicon loads the embedded lexicons.
func NewLexicon() (*Lexicon, error) {
	l := &Lexicon{
		function: set(`a an the this that these those there here it its it's they them their theirs he him his she her hers
			we us our ours you your yours i me my mine who whom whose which what when where why how
			is are was were be been being am do does did doing done have has had having will would shall should can could may might must
			of in on at to for from by with about as into onto over under between through during before after above below up down out off
			and or but so if then than because while although though whether also too very just only even still already yet
			some such each other another both either more most much many few several own same one's
			any anything anyone anybody every all`),
		negation:    set(`not no never none nothing nobody neither nor without cannot`),
		clauseBreak: set(`but although though however whereas while which who because since beyond except unless instead`),
		hedge: set(`may might could would should must ought possibly perhaps probably likely unlikely reportedly allegedly apparently seemingly
			appear appears appeared seem seems seemed suggest suggests suggested rumoured rumored expected hope hopes hoped`),
		conditional: set(`if unless whether provided assuming`),
		opinion:     map[string]bool{},
		titles: set(`mr mrs ms dr sen rep gov president senator representative minister secretary spokesman spokeswoman
			campaign office department ministry house white aides aide the general gen col and other`),
		denialTarget: map[string]bool{},
		monthAbbrev:  set(`jan feb mar apr jun jul aug sep sept oct nov dec`),
		modal:        set(`can could will would may might shall should must going plan plans planned expect expects expected hope hopes want wants`),
		belief:       map[string]bool{},
		months:       set(`january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday`),
		multiplier:   map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "percent": 1, "per": 1},
		numberWords: map[string]float64{"zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
			"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
			"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
			"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "dozens": 24},
		approx: map[string]string{"about": "about", "around": "about", "nearly": "about", "almost": "about",
			"roughly": "about", "approximately": "about", "some": "about", "estimated": "about", "over": "more",
			"more": "more", "least": "more", "than": "", "exceeding": "more", "above": "more", "under": "less",
			"less": "less", "fewer": "less", "most": "less", "below": "less", "up": "less"},
		irregular: map[string]string{"began": "begin", "begun": "begin", "rose": "rise", "risen": "rise", "fell": "fall",
			"fallen": "fall", "won": "win", "lost": "lose", "grew": "grow", "grown": "grow", "came": "come", "went": "go",
			"gone": "go", "made": "make", "took": "take", "taken": "take", "gave": "give", "given": "give", "met": "meet",
			"left": "leave", "kept": "keep", "held": "hold", "sent": "send", "spoke": "speak", "spoken": "speak",
			"knew": "know", "known": "know", "saw": "see", "seen": "see", "thought": "think", "brought": "bring",
			"sought": "seek", "led": "lead", "paid": "pay", "sold": "sell", "bought": "buy", "built": "build",
			"underway": "underway", "reached": "reach", "men": "man", "women": "woman", "children": "child", "people": "person"},
		groupOf:       map[string]string{},
		antonym:       map[[2]string]string{},
		antonymOf:     map[string][]string{},
		denialIndex:   map[string][]wordPhrase{},
		status:        map[string]int{},
		denialPhrases: denialPhrases(),
	}
	for _, w := range strings.Fields(`think believe feel view opinion good bad great terrible best worst wonderful awful
		happy sad important should ought hope wish prefer beautiful ugly fair unfair excellent poor shameful disgrace
		disgraceful love hate like dislike deserve seem`) {
		l.opinion[l.stem(w)] = true
	}
	for _, w := range strings.Fields(`allegation accusation claim report story charge rumour rumor assertion account characterization characterisation`) {
		l.denialTarget[l.stem(w)] = true
	}
	for _, w := range strings.Fields(`think believe feel opinion view`) {
		l.belief[l.stem(w)] = true
	}
	for i, p := range l.denialPhrases {
		ws := strings.Fields(p)
		l.denialIndex[ws[0]] = append(l.denialIndex[ws[0]], wordPhrase{ws, i})
	}
	for _, p := range []string{"confirm nor deny", "confirm or deny", "no comment"} {
		ws := strings.Fields(p)
		l.denialIndex[ws[0]] = append(l.denialIndex[ws[0]], wordPhrase{ws, -1})
	}
	if err := l.loadSynonyms(); err != nil {
		return nil, err
	}
	if err := l.loadAntonyms(); err != nil {
		return nil, err
	}
	for _, g := range []string{"@start"} {
		l.status[g] = 1
	}
	for _, g := range []string{"@stop"} {
		l.status[g] = -1
	}
	return l, nil
}

func (l *Lexicon) loadSynonyms() error {
	return eachLine("data/newsroom_synonyms.txt", func(line string) error {
		name, members, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("synonym line %q: want NAME: WORDS", line)
		}
		g := "@" + strings.TrimSpace(name)
		for _, w := range strings.Fields(members) {
			s := l.stem(w)
			if _, dup := l.groupOf[s]; !dup {
				l.groupOf[s] = g
			}
		}
		return nil
	})
}

func (l *Lexicon) key(w string) string {
	if strings.HasPrefix(w, "@") {
		return w
	}
	return l.stem(strings.ToLower(w))
}

func (l *Lexicon) addAntonym(a, b, src string) {
	ka, kb := l.key(a), l.key(b)
	if ka == kb || ka == "" || kb == "" {
		return
	}
	if _, ok := l.antonym[[2]string{ka, kb}]; !ok {
		l.antonymOf[ka] = append(l.antonymOf[ka], kb)
		l.antonymOf[kb] = append(l.antonymOf[kb], ka)
	}
	l.antonym[[2]string{ka, kb}] = src
	l.antonym[[2]string{kb, ka}] = src
}

func (l *Lexicon) loadAntonyms() error {
	err := eachLine("data/newsroom_antonyms.txt", func(line string) error {
		f := strings.Fields(line)
		if len(f) != 2 {
			return fmt.Errorf("antonym line %q: want two words", line)
		}
		l.addAntonym(f[0], f[1], "newsroom")
		return nil
	})
	if err != nil {
		return err
	}
	return eachLine("data/wordnet_antonyms.tsv", func(line string) error {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return fmt.Errorf("wordnet line %q: want POS, two words", line)
		}
		l.addAntonym(f[1], f[2], "WordNet")
		return nil
	})
}

func eachLine(name string, fn func(string) error) error {
	f, err := dataFS.Open(name)
	if err != nil {
		return fmt.Errorf("lexicon: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("lexicon %s: %w", name, err)
		}
	}
	return sc.Err()
}

// antonyms reports whether two tokens are antonyms, directly or through
// their near-synonym groups, and from which list.
func (l *Lexicon) antonyms(a, b *token) (string, bool) {
	for _, x := range []string{a.stem, a.group} {
		for _, y := range []string{b.stem, b.group} {
			if x == "" || y == "" {
				continue
			}
			if src, ok := l.antonym[[2]string{x, y}]; ok {
				return src, true
			}
		}
	}
	return "", false
}
