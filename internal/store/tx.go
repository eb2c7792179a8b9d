package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Tx is a read or write transaction. It is valid only inside the View or
// Update callback that received it.
type Tx struct {
	tx  *bolt.Tx
	ctx context.Context
	// linking is the article whose statements are being linked, as last
	// saved (see linkArticle); any other write to it clears this.
	linking *Article
	// linkDirty: linking has statements linked since; saved before the
	// articles bucket is next used, and before commit (saveLinking).
	linkDirty bool
	linkErr   error
	pend      *pending      // index entries not yet written (postings.go)
	opened    openedBuckets // record buckets a read transaction opened (codec.go)
}

func (t *Tx) b(name []byte) *bolt.Bucket {
	if t.linkDirty && string(name) == string(bArticles) {
		t.saveLinking()
	}
	return t.tx.Bucket(name)
}

// Writable reports whether writes are allowed.
func (t *Tx) Writable() bool { return t.tx.Writable() }

func getJSON[T any](b *bolt.Bucket, key []byte) (T, bool, error) {
	var v T
	raw := b.Get(key)
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("decode %s record %x: %w", "bucket", key, err)
	}
	return v, true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	return b.Put(key, raw)
}

// ---- articles

// Article returns the article with the given id.
func (t *Tx) Article(id string) (Article, bool, error) {
	return getRecord[Article](t.rb(bArticles), []byte(id), whole)
}

// ArticleByURL finds an article by its canonical URL.
func (t *Tx) ArticleByURL(url string) (string, bool) {
	v := t.b(bIdxURL).Get([]byte(url))
	return string(v), v != nil
}

// ArticleByTextHash finds an article by the hash of its normalised text.
func (t *Tx) ArticleByTextHash(h string) (string, bool) {
	v := t.b(bIdxTextHash).Get([]byte(h))
	return string(v), v != nil
}

// PutArticle stores a new article with its URL, text and time indexes. The
// caller fills Statements as it adds them (AddStatement and AddSource do).
func (t *Tx) PutArticle(a *Article) error {
	if a.ID == "" {
		return fmt.Errorf("put article: empty id")
	}
	if t.b(bArticles).Get([]byte(a.ID)) != nil {
		return fmt.Errorf("put article %s: already stored", a.ID)
	}
	if a.URL != "" {
		if err := t.b(bIdxURL).Put([]byte(a.URL), []byte(a.ID)); err != nil {
			return err
		}
	}
	if a.TextHash != "" {
		if err := t.b(bIdxTextHash).Put([]byte(a.TextHash), []byte(a.ID)); err != nil {
			return err
		}
	}
	if err := t.b(bIdxArticleTime).Put(timeKey(a.Ingested, []byte(a.ID)), nil); err != nil {
		return err
	}
	t.linking = nil
	return putRecord(t.b(bArticles), []byte(a.ID), a, encodeArticle)
}

func (t *Tx) saveArticle(a *Article) error {
	return putRecord(t.b(bArticles), []byte(a.ID), a, encodeArticle)
}

// RecentArticles returns up to n articles, most recently ingested first.
func (t *Tx) RecentArticles(n int) ([]Article, error) {
	var out []Article
	c := t.b(bIdxArticleTime).Cursor()
	for k, _ := c.Last(); k != nil && len(out) < n; k, _ = c.Prev() {
		a, ok, err := t.Article(string(k[8:]))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// FindArticles returns the articles whose id starts with prefix, or whose
// URL or file name equals ref: how users name an article in `forget`.
func (t *Tx) FindArticles(ref string) ([]Article, error) {
	if id, ok := t.ArticleByURL(ref); ok {
		a, _, err := t.Article(id)
		return []Article{a}, err
	}
	var out []Article
	c := t.b(bArticles).Cursor()
	for k, v := c.Seek([]byte(ref)); k != nil && bytes.HasPrefix(k, []byte(ref)); k, v = c.Next() {
		var a Article
		if err := decodeArticle(v, &a); err != nil {
			return nil, fmt.Errorf("decode article %s: %w", k, err)
		}
		out = append(out, a)
	}
	if len(out) > 0 || ref == "" {
		return out, nil
	}
	err := t.b(bArticles).ForEach(func(k, v []byte) error {
		var a Article
		if err := decodeArticle(v, &a); err != nil {
			return fmt.Errorf("decode article %s: %w", k, err)
		}
		if a.File == ref || (a.File != "" && baseName(a.File) == ref) {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

func baseName(p string) string {
	if i := bytes.LastIndexByte([]byte(p), '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// ---- speakers

// Speaker returns the speaker with the given id.
func (t *Tx) Speaker(id uint64) (Speaker, bool, error) {
	return getRecord[Speaker](t.rb(bSpeakers), u64(id), whole)
}

// SpeakersByAlias returns the ids of speakers known by alias (normalised
// with NormaliseName).
func (t *Tx) SpeakersByAlias(alias string) []uint64 {
	return idsWithPrefix(t.b(bIdxAlias), append([]byte(NormaliseName(alias)), 0))
}

// PutSpeaker creates (ID 0) or updates a speaker and its alias index.
func (t *Tx) PutSpeaker(sp *Speaker) error {
	b := t.b(bSpeakers)
	if sp.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		sp.ID = id
	} else if old, ok, err := t.Speaker(sp.ID); err != nil {
		return err
	} else if ok {
		for _, a := range speakerKeys(&old) {
			if err := t.b(bIdxAlias).Delete(append(append([]byte(a), 0), u64(old.ID)...)); err != nil {
				return err
			}
		}
	}
	for _, a := range speakerKeys(sp) {
		if err := t.b(bIdxAlias).Put(append(append([]byte(a), 0), u64(sp.ID)...), nil); err != nil {
			return err
		}
	}
	return putRecord(b, u64(sp.ID), sp, encodeSpeaker)
}

// speakerKeys are the normalised names under which a speaker is found.
func speakerKeys(sp *Speaker) []string {
	keys := []string{NormaliseName(sp.Name)}
	for _, a := range sp.Aliases {
		keys = append(keys, NormaliseName(a))
	}
	slices.Sort(keys)
	return slices.Compact(slices.DeleteFunc(keys, func(s string) bool { return s == "" }))
}

// SpeakersNamed returns the speakers whose name or an alias is name,
// normalised: exact matches only, found through the alias index, so it
// costs the same however many speakers are stored.
func (t *Tx) SpeakersNamed(name string) ([]Speaker, error) {
	return t.speakers(t.SpeakersByAlias(name))
}

// FindSpeakers returns the speakers whose name or an alias matches name,
// normalised; failing that, those whose normalised name contains it (a
// scan of every speaker: for people asking, not for ingest).
func (t *Tx) FindSpeakers(name string) ([]Speaker, error) {
	ids := t.SpeakersByAlias(name)
	if len(ids) == 0 {
		n := NormaliseName(name)
		if n == "" {
			return nil, nil
		}
		err := t.b(bSpeakers).ForEach(func(k, v []byte) error {
			var sp Speaker
			if err := decodeSpeaker(v, &sp); err != nil {
				return fmt.Errorf("decode speaker %d: %w", getU64(k), err)
			}
			if bytes.Contains([]byte(NormaliseName(sp.Name)), []byte(n)) {
				ids = append(ids, sp.ID)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return t.speakers(ids)
}

func (t *Tx) speakers(ids []uint64) ([]Speaker, error) {
	out := make([]Speaker, 0, len(ids))
	for _, id := range ids {
		sp, ok, err := t.Speaker(id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, sp)
		}
	}
	return out, nil
}

// ---- statements

// Statement returns the statement with the given id.
func (t *Tx) Statement(id uint64) (Statement, bool, error) {
	return getRecord[Statement](t.rb(bStatements), u64(id), whole)
}

// StatementsByQuote returns the statements whose words hash to h.
func (t *Tx) StatementsByQuote(h string) []uint64 {
	return idsWithPrefix(t.b(bIdxQuote), append([]byte(h), 0))
}

// StatementsBySpeaker returns up to n statement ids of a speaker, newest id
// first (n ≤ 0: all).
func (t *Tx) StatementsBySpeaker(speaker uint64, n int) []uint64 {
	return t.listIDs(speakerLists, string(u64(speaker)), n)
}

// AddStatement stores a new statement with its first source and indexes it.
// The article named by the source must already be stored.
func (t *Tx) AddStatement(st *Statement) error {
	if st.ID != 0 {
		return fmt.Errorf("add statement: already has id %d", st.ID)
	}
	if len(st.Sources) != 1 {
		return fmt.Errorf("add statement: want exactly one source, got %d", len(st.Sources))
	}
	id, err := t.b(bStatements).NextSequence()
	if err != nil {
		return err
	}
	st.ID = id
	if err := t.linkArticle(st.Sources[0].ArticleID, id); err != nil {
		return err
	}
	if err := t.index(st, true); err != nil {
		return err
	}
	return putRecord(t.b(bStatements), u64(id), st, encodeStatement)
}

// AddSource records that another article carries statement id.
func (t *Tx) AddSource(id uint64, src Source) (Statement, error) {
	st, ok, err := t.Statement(id)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, fmt.Errorf("add source to S%d: %w", id, ErrNotFound)
	}
	for _, s := range st.Sources {
		if s.ArticleID == src.ArticleID && s.Start == src.Start {
			return st, nil
		}
	}
	if err := t.linkArticle(src.ArticleID, id); err != nil {
		return st, err
	}
	// The latest date is part of the index keys: re-index around the change.
	if err := t.index(&st, false); err != nil {
		return st, err
	}
	st.Sources = append(st.Sources, src)
	if err := t.index(&st, true); err != nil {
		return st, err
	}
	return st, putRecord(t.b(bStatements), u64(id), &st, encodeStatement)
}

func (t *Tx) linkArticle(articleID string, stmt uint64) error {
	// An article's statements are linked one after another: keep the one
	// being linked decoded rather than decoding its text for each.
	a := t.linking
	if a == nil || a.ID != articleID {
		got, ok, err := t.Article(articleID)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("statement source names article %s: %w", articleID, ErrNotFound)
		}
		a = &got
	}
	if !slices.Contains(a.Statements, stmt) {
		a.Statements = append(a.Statements, stmt)
	}
	// Saved once, after its statements are linked, rather than once each.
	t.linking, t.linkDirty = a, true
	return nil
}

// SetFeatures replaces a statement's claim features.
func (t *Tx) SetFeatures(id uint64, f map[string]float64) error {
	st, ok, err := t.Statement(id)
	if err != nil || !ok {
		return fmt.Errorf("set features of S%d: %w", id, ErrNotFound)
	}
	st.Features = f
	return putRecord(t.b(bStatements), u64(id), &st, encodeStatement)
}

// DeleteArticle removes an article. Statements it alone carried go too, with
// their index entries and any alert that points at them; statements other
// articles also carry lose this source only. It returns the number of
// statements and alerts removed.
func (t *Tx) DeleteArticle(id string) (statements, alerts int, err error) {
	a, ok, err := t.Article(id)
	if err != nil {
		return 0, 0, err
	}
	if !ok {
		return 0, 0, fmt.Errorf("article %s: %w", id, ErrNotFound)
	}
	for _, sid := range a.Statements {
		st, ok, err := t.Statement(sid)
		if err != nil {
			return 0, 0, err
		}
		if !ok {
			continue
		}
		if err := t.index(&st, false); err != nil {
			return 0, 0, err
		}
		st.Sources = slices.DeleteFunc(st.Sources, func(s Source) bool { return s.ArticleID == id })
		if len(st.Sources) > 0 {
			if err := t.index(&st, true); err != nil {
				return 0, 0, err
			}
			if err := putRecord(t.b(bStatements), u64(sid), &st, encodeStatement); err != nil {
				return 0, 0, err
			}
			continue
		}
		if err := t.b(bStatements).Delete(u64(sid)); err != nil {
			return 0, 0, err
		}
		statements++
		n, err := t.deleteAlertsOf(sid)
		if err != nil {
			return 0, 0, err
		}
		alerts += n
	}
	if a.URL != "" {
		if err := t.b(bIdxURL).Delete([]byte(a.URL)); err != nil {
			return 0, 0, err
		}
	}
	if a.TextHash != "" {
		if err := t.b(bIdxTextHash).Delete([]byte(a.TextHash)); err != nil {
			return 0, 0, err
		}
	}
	if err := t.b(bIdxArticleTime).Delete(timeKey(a.Ingested, []byte(a.ID))); err != nil {
		return 0, 0, err
	}
	t.linking = nil
	return statements, alerts, t.b(bArticles).Delete([]byte(id))
}

// ---- helpers

func idsWithPrefix(b *bolt.Bucket, prefix []byte) []uint64 {
	var out []uint64
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+8 {
			out = append(out, getU64(k[len(prefix):]))
		}
	}
	return out
}

// timeKey orders by time: a big-endian Unix-nanosecond prefix (offset so
// dates before 1970 still sort) and then id.
func timeKey(t time.Time, id []byte) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano())^(1<<63))
	return append(k, id...)
}

func keyTime(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])^(1<<63))).UTC()
}
