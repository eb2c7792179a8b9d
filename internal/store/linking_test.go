package store

import (
	"context"
	"slices"
	"testing"
)

// An article's statement list is saved once its statements are linked,
// yet every read in the same transaction, and after it, sees them all.
func TestLinkedStatementsVisibleBeforeSave(t *testing.T) {
	s := openTemp(t)
	err := s.Update(context.Background(), func(tx *Tx) error {
		if err := tx.PutSpeaker(&Speaker{Name: "Ann Lee", Type: "person"}); err != nil {
			return err
		}
		if err := tx.PutArticle(&Article{ID: "a", TextHash: "ha", Ingested: day, Text: "text"}); err != nil {
			return err
		}
		for i := range 3 {
			st := &Statement{SpeakerID: 1, Text: "w", Terms: []string{"w"}, Sources: []Source{{ArticleID: "a", Start: i, Date: day}}}
			if err := tx.AddStatement(st); err != nil {
				return err
			}
			a, _, err := tx.Article("a")
			if err != nil {
				return err
			}
			if len(a.Statements) != i+1 {
				t.Errorf("after %d statements, the article lists %v", i+1, a.Statements)
			}
		}
		// Deleting it in the same transaction cascades to all of them.
		n, _, err := tx.DeleteArticle("a")
		if n != 3 {
			t.Errorf("deleted %d statements, want 3", n)
		}
		if err != nil {
			return err
		}
		return tx.PutArticle(&Article{ID: "b", TextHash: "hb", Ingested: day, Text: "text"})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(context.Background(), func(tx *Tx) error {
		for i := range 2 {
			st := &Statement{SpeakerID: 1, Text: "v", Terms: []string{"v"}, Sources: []Source{{ArticleID: "b", Start: i, Date: day}}}
			if err := tx.AddStatement(st); err != nil {
				return err
			}
		}
		return nil
	})
	s.View(context.Background(), func(tx *Tx) error {
		if a, _, _ := tx.Article("b"); !slices.Equal(a.Statements, []uint64{4, 5}) {
			t.Errorf("after commit, article b lists %v", a.Statements)
		}
		return nil
	})
	checkClean(t, s)
}
