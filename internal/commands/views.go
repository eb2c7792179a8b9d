package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

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
	a, ok, err := v.tx.ArticleHead(id) // the text is not needed in replies
	if err != nil {
		return nil, err
	}
	if !ok {
		v.articles[id] = nil
		return nil, nil
	}
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

// load reads a statement as replies show it (store.Tx.StatementHead).
func (v *viewer) load(id uint64) (*store.Statement, error) {
	st, ok, err := v.tx.StatementHead(id)
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
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

// storyHit is a search hit with what a story's summary needs: its speaker
// and dates, from the index entry when it has them, else from the
// statement, which is then kept for showing.
type storyHit struct {
	id            uint64
	speaker       uint64
	first, latest time.Time
	st            *store.Statement
}

func (v *viewer) storyHits(hits []store.Hit) ([]*storyHit, error) {
	out := make([]*storyHit, len(hits))
	all := make([]storyHit, len(hits)) // one allocation for them all
	for i, h := range hits {
		sh := &all[i]
		*sh = storyHit{id: h.ID, speaker: h.Speaker, first: h.Date, latest: h.Date}
		if h.Speaker == 0 || !h.OneSource {
			st, err := v.load(h.ID)
			if err != nil {
				return nil, err
			}
			// Dates to the second, as the index keeps them.
			sh.st, sh.speaker = st, st.SpeakerID
			sh.first, sh.latest = st.First().Truncate(time.Second), st.Latest().Truncate(time.Second)
		}
		out[i] = sh
	}
	return out, nil
}

// statementOf loads a hit's statement, once.
func (v *viewer) statementOf(sh *storyHit) (*store.Statement, error) {
	if sh.st == nil {
		st, err := v.load(sh.id)
		if err != nil {
			return nil, err
		}
		sh.st = st
	}
	return sh.st, nil
}
