package bench

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/textindex"
)

// GenConfig sizes a synthetic newsroom archive.
type GenConfig struct {
	Statements int // statements to generate (some repeat earlier quotes and merge)
	Articles   int
	Seed       uint64
	// Words are real words, most frequent first (see CorpusWords); ranks
	// past them are made-up words. Empty: every word is made up.
	Words []string
}

// Generator writes a synthetic archive with the distributions of a real
// one: speakers and words drawn from Zipf laws (a few speakers and words
// very often, a long tail rarely), several statements per article, some
// quotes carried again by a later article, and a vocabulary that grows
// with the archive (Heaps' law). Articles come as ingest inputs with
// their statements known: Extractor returns exactly the statements that
// were written into each text, with their offsets, so everything after
// extraction (speaker resolution, quote merging, indexing, contradiction
// checks, commit) runs the real code on realistic records.
type Generator struct {
	cfg      GenConfig
	rng      *rand.Rand
	vocab    []string // rank → word
	content  []bool   // rank → has an index term (not a stop word)
	wordZipf *rand.Zipf
	speakers []genSpeaker
	spkZipf  *rand.Zipf
	places   []string
	affils   []string
	outlets  []string
	made     int // articles made
	perArt   float64
	lastSaid map[int]string // speaker → a quote of theirs, to carry again

	oracle *oracleExtractor
}

type genSpeaker struct {
	name, surname, role, affil string
	org                        bool
}

// NewGenerator prepares a generator.
func NewGenerator(cfg GenConfig) *Generator {
	if cfg.Articles <= 0 {
		cfg.Articles = max(1, cfg.Statements/10)
	}
	g := &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		lastSaid: map[int]string{}, oracle: &oracleExtractor{pending: map[string][]extract.Statement{}}}
	g.perArt = float64(cfg.Statements) / float64(cfg.Articles)
	// Heaps' law: about 30·√tokens distinct words in a news archive; a
	// statement with its sentence is about 35 words.
	vocabSize := max(5000, int(30*math.Sqrt(float64(cfg.Statements)*35)))
	g.vocab = make([]string, 0, vocabSize)
	seenWord := map[string]bool{}
	for _, w := range cfg.Words {
		if len(g.vocab) == vocabSize {
			break
		}
		if !seenWord[w] {
			seenWord[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	for len(g.vocab) < vocabSize {
		w := g.madeUpWord(2 + g.rng.IntN(3))
		if !seenWord[w] {
			seenWord[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	g.content = make([]bool, len(g.vocab))
	for i, w := range g.vocab {
		g.content[i] = len(textindex.Terms(w)) > 0
	}
	// English word frequencies follow Zipf's law with an exponent near 1.
	g.wordZipf = rand.NewZipf(g.rng, 1.07, 2, uint64(len(g.vocab)-1))

	nSpeakers := max(20, cfg.Statements/25)
	g.speakers = g.makeSpeakers(nSpeakers)
	// A head of state says about 3% of everything; most speakers once.
	g.spkZipf = rand.NewZipf(g.rng, 1.1, 4, uint64(nSpeakers-1))
	g.places = g.names(max(50, nSpeakers/20), 2, 3)
	g.outlets = []string{"AFP", "Reuters", "AP", "BBC", "The Guardian", "Le Monde", "Der Spiegel", "El País",
		"The Times", "Al Jazeera", "NHK", "ANSA"}
	return g
}

// Extractor returns the statements of each generated text. It is safe
// for concurrent use; each text is answered once.
func (g *Generator) Extractor() extract.Extractor { return g.oracle }

// Next returns up to n more articles, or none when all were made.
func (g *Generator) Next(n int) []ingest.Input {
	var out []ingest.Input
	for ; n > 0 && g.made < g.cfg.Articles; n-- {
		out = append(out, g.article())
		g.made++
	}
	return out
}

func (g *Generator) makeSpeakers(n int) []genSpeaker {
	firsts := g.names(max(100, n/10), 2, 3)
	surnames := g.names(max(200, n/2), 2, 4)
	g.affils = g.names(max(30, n/100), 2, 3)
	for i := range g.affils {
		g.affils[i] += []string{" Party", " Ministry", " Council", " Group", " Union"}[i%5]
	}
	roles := []string{"minister", "spokesman", "spokeswoman", "senator", "chief executive", "professor",
		"mayor", "analyst", "ambassador", "director", "economist", "general", "coach", "lawyer"}
	out := make([]genSpeaker, n)
	used := map[string]bool{}
	for i := range out {
		if g.rng.IntN(100) < 15 {
			name := "the " + g.names(1, 2, 3)[0] + []string{" Ministry", " Commission", " Agency", " Federation"}[g.rng.IntN(4)]
			out[i] = genSpeaker{name: name, org: true}
			continue
		}
		for {
			first, sur := firsts[g.rng.IntN(len(firsts))], surnames[g.rng.IntN(len(surnames))]
			if name := first + " " + sur; !used[name] {
				used[name] = true
				out[i] = genSpeaker{name: name, surname: sur, role: roles[g.rng.IntN(len(roles))],
					affil: g.affils[int(math.Min(float64(len(g.affils)-1), g.rng.ExpFloat64()*float64(len(g.affils))/8))]}
				break
			}
		}
	}
	return out
}

var anonymous = []string{"a spokesman", "a spokeswoman", "officials", "a senior official", "a source close to the talks",
	"diplomats", "a government source", "analysts"}

var syllables = strings.Fields("ka lo mi de ra sin tor vel an bri co du el fa go hu ix jo ke lu ma ne or pa qui ri sa te ul vo wen ya zo ber cal dor fen gar hol ist jun kel lor mar nor pel ros sul tan vin")

func (g *Generator) madeUpWord(parts int) string {
	var b strings.Builder
	for range parts {
		b.WriteString(syllables[g.rng.IntN(len(syllables))])
	}
	return b.String()
}

// names makes n distinct capitalised made-up names.
func (g *Generator) names(n, minParts, maxParts int) []string {
	out := make([]string, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		w := g.madeUpWord(minParts + g.rng.IntN(maxParts-minParts+1))
		if seen[w] {
			continue
		}
		seen[w] = true
		r, size := utf8.DecodeRuneInString(w)
		out = append(out, string(unicode.ToUpper(r))+w[size:])
	}
	return out
}

// words draws n words of running text.
func (g *Generator) words(b *strings.Builder, n int) {
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		if g.rng.IntN(100) < 4 {
			b.WriteString(g.places[int(g.rng.ExpFloat64()*float64(len(g.places))/10)%len(g.places)])
			continue
		}
		b.WriteString(g.vocab[g.wordZipf.Uint64()])
	}
}

func (g *Generator) phrase(n int) string {
	var b strings.Builder
	g.words(&b, n)
	return b.String()
}

// article makes one article: headline, statements with their sentences,
// and paragraphs in between.
func (g *Generator) article() ingest.Input {
	i := g.made
	span := 3 * 365 * 24 * time.Hour
	published := time.Date(2022, 1, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(float64(span) * float64(i) / float64(g.cfg.Articles)))
	outlet := g.outlets[min(len(g.outlets)-1, int(g.rng.ExpFloat64()*3))]

	// Statements this article carries: 1 to 2·mean−1, about mean.
	n := 1
	if g.perArt > 1 {
		n = 1 + g.rng.IntN(max(1, int(2*g.perArt-1)))
	}
	// Its speakers: a main one and a few others.
	cast := []int{int(g.spkZipf.Uint64())}
	for range min(n-1, g.rng.IntN(4)) {
		cast = append(cast, int(g.spkZipf.Uint64()))
	}
	var text strings.Builder
	runes := 0
	write := func(s string) {
		text.WriteString(s)
		runes += utf8.RuneCountInString(s)
	}
	headline := g.phrase(5 + g.rng.IntN(6))
	write(capitalise(headline) + "\n\n")
	named := map[int]bool{}
	var stmts []extract.Statement
	for k := range n {
		if g.rng.IntN(2) == 0 {
			write(capitalise(g.phrase(15+g.rng.IntN(30))) + ".\n\n")
		}
		who := cast[0]
		if k > 0 && g.rng.IntN(2) == 0 {
			who = cast[g.rng.IntN(len(cast))]
		}
		sp := g.speakers[who]
		anon := g.rng.IntN(100) < 5 // an unnamed source, each article's own
		if anon {
			sp = genSpeaker{name: anonymous[g.rng.IntN(len(anonymous))], org: true}
		}
		mention := sp.name
		if named[who] && !sp.org {
			mention = sp.surname
		}
		quote := g.phrase(8 + g.rng.IntN(30))
		if anon {
			// never carried again under a name
		} else if old, ok := g.lastSaid[who]; ok && g.rng.IntN(100) < 4 {
			quote = old // carried again: merges into the earlier statement
		} else {
			g.lastSaid[who] = quote
		}
		st := extract.Statement{Speaker: extract.Speaker{Name: sp.name, Mention: mention, Type: extract.Person},
			Text: quote, Cue: "said"}
		switch {
		case anon:
			st.Speaker.Type = extract.Anonymous
		case sp.org:
			st.Speaker.Type = extract.Organisation
		default:
			st.Speaker.Role, st.Speaker.Affiliation = sp.role, sp.affil
			st.Speaker.Aliases = []string{sp.surname}
		}
		start := runes
		var sentence string
		if g.rng.IntN(10) < 7 {
			st.Kind = extract.Direct
			attribution := mention + " said"
			if !named[who] && !sp.org {
				attribution = "said " + sp.name + ", " + sp.affil + " " + sp.role
			}
			start++ // after the opening quotation mark
			sentence = "“" + quote + ",” " + attribution + ", " + g.phrase(3+g.rng.IntN(12)) + "."
		} else {
			st.Kind = extract.Indirect
			lead := capitalise(mention) + " said "
			start += utf8.RuneCountInString(lead)
			sentence = lead + quote + "."
		}
		if !anon {
			named[who] = true
		}
		st.Start, st.End = start, start+utf8.RuneCountInString(quote)
		st.Sentence = sentence
		write(sentence + "\n\n")
		stmts = append(stmts, st)
	}
	body := text.String()
	g.oracle.add(body, stmts)
	return ingest.Input{Text: body, Headline: true, Outlet: outlet, Published: published,
		URL: fmt.Sprintf("https://news.example/%s/%d", strings.ToLower(strings.ReplaceAll(outlet, " ", "-")), i)}
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// oracleExtractor answers each generated text with the statements the
// generator wrote into it.
type oracleExtractor struct {
	mu      sync.Mutex
	pending map[string][]extract.Statement
}

func (o *oracleExtractor) add(text string, st []extract.Statement) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending[text] = st
}

func (o *oracleExtractor) Name() string { return "bench-generator" }

func (o *oracleExtractor) Extract(doc extract.Document) []extract.Statement {
	o.mu.Lock()
	defer o.mu.Unlock()
	st := o.pending[doc.Text]
	delete(o.pending, doc.Text)
	return st
}

// CorpusWords returns the words of the articles, most frequent first: the
// real head of the generator's vocabulary.
func CorpusWords(articles []ingest.Input) []string {
	count := map[string]int{}
	for _, a := range articles {
		for _, w := range strings.FieldsFunc(a.Text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 1 && isLower(w) {
				count[w]++
			}
		}
	}
	words := make([]string, 0, len(count))
	for w, n := range count {
		if n >= 2 {
			words = append(words, w)
		}
	}
	sortByCount(words, count)
	return words
}

func isLower(w string) bool {
	for _, r := range w {
		if !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func sortByCount(words []string, count map[string]int) {
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
}
