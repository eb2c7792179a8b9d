package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// model is the naive index: every list computed from the statement
// records, which the store writes as they are.
type model struct {
	terms    map[string][]entry // newest first
	entities map[string][]uint64
	speakers map[uint64][]uint64
	n        int
}

func modelOf(t *testing.T, tx *Tx) model {
	t.Helper()
	m := model{terms: map[string][]entry{}, entities: map[string][]uint64{}, speakers: map[uint64][]uint64{}}
	err := tx.ForEachStatement(func(st *Statement) error {
		m.n++
		for term, p := range postings(st) {
			flags := p.flags
			if len(st.Sources) == 1 {
				flags |= oneSource
			}
			m.terms[term] = append(m.terms[term], entry{id: st.ID, flags: flags, tf: byte(min(p.tf, 255)),
				date: st.Latest().Unix(), speaker: st.SpeakerID})
		}
		for _, e := range uniq(st.Entities) {
			m.entities[e] = append(m.entities[e], st.ID)
		}
		m.speakers[st.SpeakerID] = append(m.speakers[st.SpeakerID], st.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, es := range m.terms {
		slices.Reverse(es)
	}
	for _, ids := range m.entities {
		slices.Reverse(ids)
	}
	for _, ids := range m.speakers {
		slices.Reverse(ids)
	}
	return m
}

// below is the first n (n ≤ 0: all) of ids (newest first) under before.
func below[T any](xs []T, id func(T) uint64, before uint64, n int) []T {
	i := slices.IndexFunc(xs, func(x T) bool { return id(x) < before })
	if i < 0 {
		return nil
	}
	xs = xs[i:]
	if n > 0 && len(xs) > n {
		xs = xs[:n]
	}
	return xs
}

// search ranks as Search promises: tf-idf, words over sentence, then
// newer, then higher id.
func (m model) search(terms []string, limit int) []Hit {
	terms = uniq(terms)
	byID := map[uint64]*Hit{}
	count := map[uint64]int{}
	for _, term := range terms {
		es := m.terms[term]
		idf := math.Log(1 + float64(m.n)/float64(len(es)))
		for _, e := range es {
			h := byID[e.id]
			if h == nil {
				h = &Hit{ID: e.id, Date: time.Unix(e.date, 0).UTC(), Speaker: e.speaker, OneSource: e.flags&oneSource != 0}
				byID[e.id] = h
			}
			w := 0.4
			if e.flags&inText != 0 {
				w = 1
			}
			h.Score += idf * w * (1 + math.Log(float64(max(e.tf, 1))))
			count[e.id]++
		}
	}
	var out []Hit
	for id, h := range byID {
		if count[id] == len(terms) {
			out = append(out, *h)
		}
	}
	slices.SortFunc(out, func(a, b Hit) int {
		if math.Abs(a.Score-b.Score) > 1e-9 {
			return cmp.Compare(b.Score, a.Score)
		}
		if !a.Date.Equal(b.Date) {
			return b.Date.Compare(a.Date)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out[:min(limit, len(out))]
}

var modelWords = []string{"bridge", "tax", "river", "vote", "mayor", "plan", "road", "school", "budget", "park", "rain", "fire"}
var modelNames = []string{"paris", "rome", "oslo", "lima"}

// compare checks every index read against the model, inside tx (which
// may be a write transaction with entries not yet written).
func compare(t *testing.T, rng *rand.Rand, tx *Tx, where string) {
	t.Helper()
	m := modelOf(t, tx)
	if got := tx.StatementCount(); got != uint64(m.n) {
		t.Fatalf("%s: StatementCount %d, model %d", where, got, m.n)
	}
	last := tx.LastStatementID() + 2
	for _, term := range append(slices.Clone(modelWords), "nobody") {
		want := m.terms[term]
		if got := tx.TermDF(term); got != uint64(len(want)) {
			t.Fatalf("%s: TermDF(%s) = %d, model %d", where, term, got, len(want))
		}
		before, n := uint64(rng.IntN(int(last)+1)), rng.IntN(6)
		if rng.IntN(3) == 0 {
			before = math.MaxUint64
		}
		type posting struct {
			id     uint64
			inText bool
			date   int64
		}
		var got, exp []posting
		tx.TermPostings(term, before, n, func(id uint64, inText bool, date time.Time) bool {
			got = append(got, posting{id, inText, date.Unix()})
			return true
		})
		for _, e := range below(want, func(e entry) uint64 { return e.id }, before, n) {
			exp = append(exp, posting{e.id, e.flags&inText != 0, e.date})
		}
		if !slices.Equal(got, exp) {
			t.Fatalf("%s: TermPostings(%s, %d, %d) = %v, model %v", where, term, before, n, got, exp)
		}
	}
	for _, name := range append(slices.Clone(modelNames), "nowhere") {
		before, n := uint64(rng.IntN(int(last)+1)), rng.IntN(6)
		var got []uint64
		tx.EntityPostings(name, before, n, func(id uint64) bool { got = append(got, id); return true })
		ident := func(id uint64) uint64 { return id }
		if exp := below(m.entities[name], ident, before, n); !slices.Equal(got, exp) {
			t.Fatalf("%s: EntityPostings(%s, %d, %d) = %v, model %v", where, name, before, n, got, exp)
		}
		if got, exp := tx.StatementsByEntity(name, n), below(m.entities[name], ident, math.MaxUint64, n); !slices.Equal(got, exp) {
			t.Fatalf("%s: StatementsByEntity(%s, %d) = %v, model %v", where, name, n, got, exp)
		}
	}
	for sp := uint64(1); sp <= 6; sp++ {
		n := rng.IntN(4)
		want := below(m.speakers[sp], func(id uint64) uint64 { return id }, math.MaxUint64, n)
		if got := tx.StatementsBySpeaker(sp, n); !slices.Equal(got, want) {
			t.Fatalf("%s: StatementsBySpeaker(%d, %d) = %v, model %v", where, sp, n, got, want)
		}
	}
	for range 4 {
		q := []string{modelWords[rng.IntN(len(modelWords))]}
		for rng.IntN(2) == 0 {
			q = append(q, modelWords[rng.IntN(len(modelWords))])
		}
		limit := 1 + rng.IntN(30)
		got, err := tx.Search(q, limit)
		if err != nil {
			t.Fatal(err)
		}
		want := m.search(q, limit)
		if len(got) != len(want) {
			t.Fatalf("%s: Search(%v, %d): %d hits, model %d", where, q, limit, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.ID != w.ID || math.Abs(g.Score-w.Score) > 1e-9 || !g.Date.Equal(w.Date) || g.Speaker != w.Speaker || g.OneSource != w.OneSource {
				t.Fatalf("%s: Search(%v, %d) hit %d = %+v, model %+v", where, q, limit, i, g, w)
			}
		}
	}
}

// The block lists give what a naive index computed from the records
// gives, through random sequences of new statements, merged sources,
// deleted articles and rebuilds, read inside write transactions (entries
// buffered) and after commit, with blocks small enough to split often.
func TestPostingsMatchModel(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{blockMax: 2 + int(seed)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			rng := rand.New(rand.NewPCG(seed, 99))
			ctx := context.Background()
			var articles []string
			speakers := []uint64{}
			err = s.Update(ctx, func(tx *Tx) error {
				for i := range 6 {
					sp := Speaker{Name: fmt.Sprint("Speaker ", i), Type: "person"}
					if err := tx.PutSpeaker(&sp); err != nil {
						return err
					}
					speakers = append(speakers, sp.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			words := func(n int) []string {
				var out []string
				for range n {
					out = append(out, modelWords[min(len(modelWords)-1, int(rng.ExpFloat64()*3))])
				}
				return out
			}
			for round := range 60 {
				err := s.Update(ctx, func(tx *Tx) error {
					for op := range 1 + rng.IntN(8) {
						switch r := rng.IntN(10); {
						case r < 6 || len(articles) == 0: // a new article with statements
							id := fmt.Sprintf("a%d", len(articles))
							date := day.Add(time.Duration(rng.IntN(1000)) * time.Hour)
							if err := tx.PutArticle(&Article{ID: id, Ingested: date, Published: date, TextHash: "h" + id}); err != nil {
								return err
							}
							articles = append(articles, id)
							for i := range 1 + rng.IntN(4) {
								st := &Statement{SpeakerID: speakers[rng.IntN(len(speakers))], Text: "x", Terms: words(1 + rng.IntN(5)),
									ContextTerms: words(rng.IntN(3)), QuoteHash: fmt.Sprint("q", rng.IntN(1000)),
									Sources: []Source{{ArticleID: id, Start: i, Date: date}}}
								for range rng.IntN(3) {
									st.Entities = append(st.Entities, modelNames[rng.IntN(len(modelNames))])
								}
								if err := tx.AddStatement(st); err != nil {
									return err
								}
							}
						case r < 8: // an older statement carried by a newer article
							last := tx.LastStatementID()
							sid := 1 + uint64(rng.IntN(int(last)))
							if _, ok, _ := tx.Statement(sid); !ok {
								continue
							}
							art := articles[rng.IntN(len(articles))]
							if _, ok, _ := tx.Article(art); !ok {
								continue
							}
							src := Source{ArticleID: art, Start: 100 + op, Date: day.Add(time.Duration(rng.IntN(2000)) * time.Hour)}
							if _, err := tx.AddSource(sid, src); err != nil {
								return err
							}
						case r < 9:
							art := articles[rng.IntN(len(articles))]
							if _, ok, _ := tx.Article(art); !ok {
								continue
							}
							if _, _, err := tx.DeleteArticle(art); err != nil {
								return err
							}
						default:
							if rng.IntN(4) == 0 {
								if err := tx.RebuildIndexes(); err != nil {
									return err
								}
							}
						}
						if rng.IntN(3) == 0 {
							compare(t, rng, tx, fmt.Sprintf("round %d op %d, in the write", round, op))
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				s.View(ctx, func(tx *Tx) error {
					compare(t, rng, tx, fmt.Sprintf("round %d, committed", round))
					return nil
				})
				if round%10 == 9 {
					checkClean(t, s)
				}
			}
		})
	}
}

// Blocks encode and decode losslessly, and a malformed one is refused.
func TestBlockCodec(t *testing.T) {
	es := []entry{{id: 7, flags: inText | oneSource, tf: 3, date: -86400, speaker: 1 << 40}, {id: 8, tf: 255, date: 1 << 40}, {id: 1 << 50, flags: inContext}}
	v := encodeBlock(es, true, 3)
	got, err := decodeBlock(nil, 7, v, true)
	if err != nil || !slices.Equal(got, es) {
		t.Fatalf("decode = %v, %v; want %v", got, err, es)
	}
	ids := []entry{{id: 3}, {id: 9}}
	if got, err := decodeBlock(nil, 3, encodeBlock(ids, false, 0), false); err != nil || !slices.Equal(got, ids) {
		t.Fatalf("ids: %v, %v", got, err)
	}
	for name, bad := range map[string][]byte{"short": v[:5], "truncated": v[:len(v)-1], "trailing": append(slices.Clone(v), 0)} {
		if _, err := decodeBlock(nil, 7, bad, true); err == nil {
			t.Errorf("%s block decoded", name)
		}
	}
	if _, err := decodeBlock(nil, 6, v, true); err == nil {
		t.Error("a block whose key names another first id decoded")
	}
}
