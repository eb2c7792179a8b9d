package store

import (
	"context"
	"slices"
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
