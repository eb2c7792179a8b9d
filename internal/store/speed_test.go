package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSpeakersNamedIsExact(t *testing.T) {
	s := openTemp(t)
	err := s.Update(context.Background(), func(tx *Tx) error {
		for _, sp := range []Speaker{{Name: "Ann Lee", Aliases: []string{"Lee"}}, {Name: "Annabel Leeds"}} {
			if err := tx.PutSpeaker(&sp); err != nil {
				return err
			}
		}
		for name, want := range map[string][]string{"lee": {"Ann Lee"}, "ANN LEE": {"Ann Lee"}, "Ann": nil, "Leeds": nil, "annabel leeds": {"Annabel Leeds"}} {
			got, err := tx.SpeakersNamed(name)
			if err != nil {
				return err
			}
			var names []string
			for _, sp := range got {
				names = append(names, sp.Name)
			}
			if !slices.Equal(names, want) {
				t.Errorf("SpeakersNamed(%q) = %v, want %v", name, names, want)
			}
		}
		// FindSpeakers still finds by part of a name, for people asking.
		if got, _ := tx.FindSpeakers("Ann"); len(got) != 2 {
			t.Errorf("FindSpeakers(Ann) = %v, want both", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Statements of two articles linked in turns, in one transaction, each
// end up in their own article's list.
func TestLinkingInterleavedArticles(t *testing.T) {
	s := openTemp(t)
	err := s.Update(context.Background(), func(tx *Tx) error {
		for _, id := range []string{"a", "b"} {
			if err := tx.PutArticle(&Article{ID: id, TextHash: "h" + id, Ingested: day, Text: "text " + id}); err != nil {
				return err
			}
		}
		sp := Speaker{Name: "Ann Lee", Type: "person"}
		if err := tx.PutSpeaker(&sp); err != nil {
			return err
		}
		for i, art := range []string{"a", "a", "b", "a", "b"} {
			st := &Statement{SpeakerID: sp.ID, Text: "words", Kind: "direct", Terms: []string{"word"},
				Sources: []Source{{ArticleID: art, Start: i, End: i + 5, Date: day}}}
			if err := tx.AddStatement(st); err != nil {
				return err
			}
		}
		// The same quote carried by b: b gains statement 1 once.
		if _, err := tx.AddSource(1, Source{ArticleID: "b", Start: 40, End: 45, Date: day}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(context.Background(), func(tx *Tx) error {
		for id, want := range map[string][]uint64{"a": {1, 2, 4}, "b": {3, 5, 1}} {
			a, _, err := tx.Article(id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Statements, want) || a.Text != "text "+id {
				t.Errorf("article %s: statements %v text %q, want %v", id, a.Statements, a.Text, want)
			}
		}
		return nil
	})
	checkClean(t, s)
}

// bruteSearch ranks every statement holding all terms, the way Search
// promises to, by loading each one.
func bruteSearch(t *testing.T, tx *Tx, terms []string, limit int) []uint64 {
	t.Helper()
	n := float64(tx.StatementCount())
	type scored struct {
		id    uint64
		score float64
		date  int64
	}
	var all []scored
	err := tx.ForEachStatement(func(st *Statement) error {
		ps := postings(st)
		score := 0.0
		for _, term := range terms {
			p, ok := ps[term]
			if !ok {
				return nil
			}
			w := 0.4
			if p.flags&inText != 0 {
				w = 1
			}
			df := float64(tx.TermDF(term))
			score += math.Log(1+n/df) * w * (1 + math.Log(float64(max(min(p.tf, 255), 1))))
		}
		all = append(all, scored{st.ID, score, st.Latest().Unix()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b scored) int {
		if math.Abs(a.score-b.score) > 1e-9 {
			return cmp.Compare(b.score, a.score)
		}
		if a.date != b.date {
			return cmp.Compare(b.date, a.date)
		}
		return cmp.Compare(b.id, a.id)
	})
	var ids []uint64
	for _, s := range all[:min(limit, len(all))] {
		ids = append(ids, s.id)
	}
	return ids
}

func TestSearchRanksAsPromised(t *testing.T) {
	s := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("bridge council budget vote tax road school river mayor plan")
	for a := range 300 {
		var texts []string
		for range 1 + rng.IntN(6) {
			var w []string
			for range 1 + rng.IntN(8) {
				w = append(w, words[min(len(words)-1, int(rng.ExpFloat64()*3))])
			}
			texts = append(texts, strings.Join(w, " "))
		}
		addArticle(t, s, fmt.Sprintf("a%03d", a), day.AddDate(0, 0, rng.IntN(20)), fmt.Sprintf("Speaker %d", rng.IntN(5)), texts...)
	}
	s.View(context.Background(), func(tx *Tx) error {
		for _, q := range [][]string{{"bridge"}, {"council"}, {"bridge", "council"}, {"river", "plan", "tax"}, {"nobody"},
			{"bridge", "plan"}, {"plan", "mayor"}, {"bridge", "council", "budget"}, {"mayor", "river"}, {"bridge", "nobody"}} {
			for _, limit := range []int{1, 5, 500} {
				hits, err := tx.Search(q, limit)
				if err != nil {
					t.Fatal(err)
				}
				var got []uint64
				for _, h := range hits {
					got = append(got, h.ID)
					st, _, _ := tx.Statement(h.ID)
					if h.Speaker != st.SpeakerID || !h.OneSource || h.Date.Unix() != st.Latest().Unix() {
						t.Errorf("hit %+v does not describe %+v", h, st)
					}
				}
				if want := bruteSearch(t, tx, q, limit); !slices.Equal(got, want) {
					t.Errorf("Search(%v, %d) = %v, want %v", q, limit, got, want)
				}
			}
		}
		// Past the scan bound, the newest statements are the ones ranked.
		hits, err := tx.search([]string{"bridge"}, 500, 10)
		if err != nil {
			t.Fatal(err)
		}
		newest := tx.listIDs(termLists, "bridge", 0)
		for _, h := range hits {
			if !slices.Contains(newest[:10], h.ID) {
				t.Errorf("bounded search ranked S%d, not among the newest 10 %v", h.ID, newest[:10])
			}
		}
		if len(hits) != 10 {
			t.Errorf("bounded search: %d hits, want 10", len(hits))
		}
		return nil
	})
}
