package commands

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
)

// An article over the size or statement limits is refused with a message
// that says which limit, not as an internal error, and nothing is stored.
func TestIngestLimitsAnswerClearly(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in := ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}, Limits: ingest.Limits{MaxChars: 120, MaxStatements: 2}})
	reg, err := New(Deps{Store: st, Ingester: in})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(text string) *Reply {
		return reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", IsAdmin: true, Text: "ingest " + Quote(text)})
	}
	for _, c := range []struct{ text, want string }{
		{"Long\n" + strings.Repeat("word ", 40), "Not ingested: the article has 205 characters, more than the limit of 120."},
		{"Many\nA B (person): one\nC D (person): two\nE F (person): three", "Not ingested: the article yields 3 statements, more than the limit of 2."},
	} {
		r := ask(c.text)
		if !r.Error || r.Text != c.want {
			t.Errorf("reply %q (error %v), want %q", r.Text, r.Error, c.want)
		}
	}
	var n int
	st.View(context.Background(), func(tx *store.Tx) error {
		return tx.ForEachArticle(func(*store.Article) error { n++; return nil })
	})
	if n != 0 {
		t.Errorf("%d articles stored", n)
	}
	if r := ask("Short\nA B (person): fine"); r.Error {
		t.Errorf("an article within the limits: %s", r.Text)
	}
}
