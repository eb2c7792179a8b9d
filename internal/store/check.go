package store

import (
	"bytes"
	"fmt"
	"slices"
)

// Problem is one broken invariant found by Check.
type Problem struct {
	What string `json:"what"`
	// Unreadable: a record that cannot be decoded. Rebuilding the indexes
	// does not mend it; a backup does.
	Unreadable bool `json:"unreadable,omitempty"`
}

// Check verifies every invariant of the store inside tx: every statement's
// articles and speaker exist and link back, every index holds exactly the
// entries the data implies, every alert points at existing statements. It
// returns the problems found (none: a healthy store); an error means the
// check itself could not run.
func (t *Tx) Check() ([]Problem, error) {
	// The other checks read every record: first name any that cannot be.
	if probs, err := t.corruptRecords(); err != nil || len(probs) > 0 {
		return probs, err
	}
	var probs []Problem
	add := func(format string, args ...any) {
		if len(probs) < 1000 {
			probs = append(probs, Problem{What: fmt.Sprintf(format, args...)})
		}
	}
	// Expected index sizes; with every expected key present, equal sizes
	// mean the indexes hold nothing else.
	var want struct{ terms, speaker, entity, time, quote, alias, url, hash, atime, pairs int }
	df := map[string]uint64{}
	var stmts uint64
	if err := t.flushForRead(); err != nil {
		return nil, err
	}
	has := func(k *listKind, key string, id uint64) bool {
		ok, err := t.storedEntry(k, key, id)
		return ok && err == nil // a malformed block is reported by checkLists
	}
	lists := t.checkLists(add)

	err := t.ForEachStatement(func(st *Statement) error {
		stmts++
		if len(st.Sources) == 0 {
			add("statement S%d has no source", st.ID)
		}
		for _, src := range st.Sources {
			a, ok, err := t.Article(src.ArticleID)
			if err != nil {
				return err
			}
			if !ok {
				add("statement S%d names missing article %s", st.ID, src.ArticleID)
			} else if !slices.Contains(a.Statements, st.ID) {
				add("article %s does not list its statement S%d", a.ID, st.ID)
			}
		}
		if t.b(bSpeakers).Get(u64(st.SpeakerID)) == nil {
			add("statement S%d names missing speaker %d", st.ID, st.SpeakerID)
		}
		for term := range postings(st) {
			if term == "" {
				continue
			}
			want.terms++
			df[term]++
			if !has(termLists, term, st.ID) {
				add("term index lacks %q for S%d", term, st.ID)
			}
		}
		want.speaker++
		if !has(speakerLists, string(u64(st.SpeakerID)), st.ID) {
			add("speaker index lacks S%d", st.ID)
		}
		for _, e := range uniq(st.Entities) {
			want.entity++
			if !has(entityLists, e, st.ID) {
				add("entity index lacks %q for S%d", e, st.ID)
			}
		}
		want.time++
		if t.b(bIdxTime).Get(timeKey(st.Latest(), u64(st.ID))) == nil {
			add("time index lacks S%d", st.ID)
		}
		if st.QuoteHash != "" {
			want.quote++
			if t.b(bIdxQuote).Get(termKey(st.QuoteHash, st.ID)) == nil {
				add("quote index lacks S%d", st.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n := t.StatementCount(); n != stmts {
		add("statement count says %d, %d stored", n, stmts)
	}
	for term, n := range df {
		if got := storedLength(t.b(bIdxTermBlocks), termLists.prefix(term)); got != n {
			add("document frequency of %q is %d, want %d", term, got, n)
		}
	}

	err = t.ForEachArticle(func(a *Article) error {
		for _, sid := range a.Statements {
			st, ok, err := t.Statement(sid)
			if err != nil {
				return err
			}
			if !ok {
				add("article %s lists missing statement S%d", a.ID, sid)
				continue
			}
			if !slices.ContainsFunc(st.Sources, func(s Source) bool { return s.ArticleID == a.ID }) {
				add("article %s lists S%d, which does not cite it", a.ID, sid)
			}
		}
		if a.URL != "" {
			want.url++
			if string(t.b(bIdxURL).Get([]byte(a.URL))) != a.ID {
				add("URL index lacks article %s", a.ID)
			}
		}
		if a.TextHash != "" {
			want.hash++
			if string(t.b(bIdxTextHash).Get([]byte(a.TextHash))) != a.ID {
				add("text-hash index lacks article %s", a.ID)
			}
		}
		want.atime++
		if t.b(bIdxArticleTime).Get(timeKey(a.Ingested, []byte(a.ID))) == nil {
			add("article-time index lacks article %s", a.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	err = t.ForEachSpeaker(func(sp *Speaker) error {
		for _, k := range speakerKeys(sp) {
			want.alias++
			if t.b(bIdxAlias).Get(append(append([]byte(k), 0), u64(sp.ID)...)) == nil {
				add("alias index lacks %q for speaker %d", k, sp.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	alerts, err := t.Alerts(true, 0)
	if err != nil {
		return nil, err
	}
	for _, al := range alerts {
		for _, sid := range []uint64{al.New, al.Old} {
			if t.b(bStatements).Get(u64(sid)) == nil {
				add("alert A%d names missing statement S%d", al.ID, sid)
			}
		}
		want.pairs++
		if id, ok := t.AlertForPair(al.New, al.Old); !ok || id != al.ID {
			add("alert-pair index lacks A%d", al.ID)
		}
	}

	for _, c := range []struct {
		name   string
		bucket []byte
		want   int
	}{
		{"time", bIdxTime, want.time},
		{"quote", bIdxQuote, want.quote}, {"alias", bIdxAlias, want.alias},
		{"URL", bIdxURL, want.url}, {"text-hash", bIdxTextHash, want.hash},
		{"article-time", bIdxArticleTime, want.atime}, {"alert-pair", bIdxAlertPair, want.pairs},
	} {
		if got := t.b(c.bucket).Stats().KeyN; got != c.want {
			add("%s index has %d entries, the data implies %d", c.name, got, c.want)
		}
	}
	for _, c := range []struct {
		name string
		k    *listKind
		want int
	}{{"term", termLists, want.terms}, {"speaker", speakerLists, want.speaker}, {"entity", entityLists, want.entity}} {
		if got := lists[c.k.id]; got != c.want {
			add("%s index has %d entries, the data implies %d", c.name, got, c.want)
		}
	}
	for _, b := range [][]byte{bIdxTermV2, bIdxEntityV2, bIdxSpeakerV2, bIdxTermDFV2} {
		if t.b(b) != nil {
			add("the schema v2 bucket %s is still there", b)
		}
	}
	return probs, nil
}

// checkLists verifies that every posting block is well formed, the blocks
// of each list are in order without overlapping and the last one records
// the list's length, and counts the entries of each kind of list.
func (t *Tx) checkLists(add func(format string, args ...any)) [listKinds]int {
	var n [listKinds]int
	for _, k := range []*listKind{termLists, entityLists, speakerLists} {
		var prefix []byte
		var last, length, total uint64
		var es []entry
		end := func() {
			if prefix != nil && total != length {
				add("%s: the list %q holds %d statements, its last block says %d", k.bucket, prefix, length, total)
			}
		}
		t.b(k.bucket).ForEach(func(key, v []byte) error {
			if len(key) < 8 || (k.sep && (len(key) < 9 || key[len(key)-9] != 0)) || (!k.sep && len(key) != 16) {
				add("%s has a malformed key %q", k.bucket, key)
				return nil
			}
			p, first := key[:len(key)-8], getU64(key[len(key)-8:])
			var err error
			if es, err = decodeBlock(es, first, v, k.payload); err != nil {
				add("%s block %q: %v", k.bucket, key, err)
				return nil
			}
			if bytes.Equal(p, prefix) {
				if first <= last {
					add("%s: the blocks of %q overlap at S%d", k.bucket, p, first)
				}
			} else {
				end()
				prefix, length = append(prefix[:0], p...), 0
			}
			last, total = es[len(es)-1].id, blockTotal(v)
			length += uint64(len(es))
			n[k.id] += len(es)
			return nil
		})
		end()
	}
	return n
}

// RebuildIndexes drops every index and rebuilds it from the records.
func (t *Tx) RebuildIndexes() error {
	// Whatever this transaction indexed before is rebuilt from its records.
	t.pend = newPending(t.pend.blockMaxOr())
	for _, b := range indexBuckets {
		if err := t.tx.DeleteBucket(b); err != nil {
			return fmt.Errorf("drop %s: %w", b, err)
		}
		if _, err := t.tx.CreateBucket(b); err != nil {
			return fmt.Errorf("create %s: %w", b, err)
		}
	}
	for _, b := range [][]byte{bIdxTermV2, bIdxEntityV2, bIdxSpeakerV2, bIdxTermDFV2} {
		if t.b(b) != nil {
			if err := t.tx.DeleteBucket(b); err != nil {
				return fmt.Errorf("drop %s: %w", b, err)
			}
		}
	}
	if err := t.b(bMeta).Put(keyStatementCount, u64(0)); err != nil {
		return err
	}
	var stmts []Statement
	if err := t.ForEachStatement(func(st *Statement) error { stmts = append(stmts, *st); return nil }); err != nil {
		return err
	}
	for i := range stmts {
		if err := t.index(&stmts[i], true); err != nil {
			return err
		}
	}
	var articles []Article
	if err := t.ForEachArticle(func(a *Article) error { articles = append(articles, *a); return nil }); err != nil {
		return err
	}
	for i := range articles {
		a := &articles[i]
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
	}
	var speakers []Speaker
	if err := t.ForEachSpeaker(func(sp *Speaker) error { speakers = append(speakers, *sp); return nil }); err != nil {
		return err
	}
	for i := range speakers {
		for _, k := range speakerKeys(&speakers[i]) {
			if err := t.b(bIdxAlias).Put(append(append([]byte(k), 0), u64(speakers[i].ID)...), nil); err != nil {
				return err
			}
		}
	}
	alerts, err := t.Alerts(true, 0)
	if err != nil {
		return err
	}
	for _, al := range alerts {
		if err := t.b(bIdxAlertPair).Put(pairKey(al.New, al.Old), u64(al.ID)); err != nil {
			return err
		}
	}
	return nil
}
