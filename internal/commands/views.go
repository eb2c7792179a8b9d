package commands

import (
	"fmt"
	"strings"

	"newsbot/internal/store"
)

// viewer turns stored records into reply views inside one read
// transaction, loading each article and speaker once.
type viewer struct {
	tx       *store.Tx
	articles map[string]*store.Article
	speakers map[uint64]*store.Speaker
}

func newViewer(tx *store.Tx) *viewer {
	return &viewer{tx: tx, articles: map[string]*store.Article{}, speakers: map[uint64]*store.Speaker{}}
}

func (v *viewer) article(id string) (*store.Article, error) {
	if a, ok := v.articles[id]; ok {
		return a, nil
	}
	a, ok, err := v.tx.Article(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		v.articles[id] = nil
		return nil, nil
	}
	a.Text = "" // not needed in replies; keep memory small
	v.articles[id] = &a
	return &a, nil
}

func (v *viewer) speaker(id uint64) (*store.Speaker, error) {
	if s, ok := v.speakers[id]; ok {
		return s, nil
	}
	s, ok, err := v.tx.Speaker(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		s = store.Speaker{ID: id, Name: "unknown speaker", Type: "unknown"}
	}
	v.speakers[id] = &s
	return &s, nil
}

func (v *viewer) source(articleID string) (Source, error) {
	a, err := v.article(articleID)
	if err != nil || a == nil {
		return Source{ArticleID: articleID}, err
	}
	return Source{ArticleID: a.ID, Outlet: a.Outlet, Title: a.Title, URL: a.URL, File: a.File,
		Published: a.Published, Ingested: a.Ingested}, nil
}

func (v *viewer) statement(st *store.Statement) (Statement, error) {
	sp, err := v.speaker(st.SpeakerID)
	if err != nil {
		return Statement{}, err
	}
	out := Statement{ID: store.StatementRef(st.ID), Speaker: sp.Name, SpeakerRole: speakerRole(sp),
		Text: st.Text, Kind: st.Kind, Cue: st.Cue}
	seen := map[string]bool{}
	for _, s := range st.Sources {
		if seen[s.ArticleID] {
			continue
		}
		seen[s.ArticleID] = true
		src, err := v.source(s.ArticleID)
		if err != nil {
			return out, err
		}
		out.Sources = append(out.Sources, src)
	}
	return out, nil
}

func (v *viewer) load(id uint64) (*store.Statement, error) {
	st, ok, err := v.tx.Statement(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("statement %s: %w", store.StatementRef(id), store.ErrNotFound)
	}
	return &st, nil
}

func speakerRole(sp *store.Speaker) string {
	var parts []string
	if sp.Role != "" {
		parts = append(parts, sp.Role)
	}
	if sp.Affiliation != "" && !strings.Contains(strings.ToLower(sp.Role), strings.ToLower(sp.Affiliation)) {
		parts = append(parts, sp.Affiliation)
	}
	if sp.Type == "anonymous" {
		parts = append(parts, "unnamed source")
	}
	return strings.Join(parts, ", ")
}

func errorReply(format string, args ...any) *Reply {
	return &Reply{Title: "Sorry", Text: fmt.Sprintf(format, args...), Error: true, Ephemeral: true}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
