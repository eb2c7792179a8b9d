package candidates

import (
	"sync"

	"newsbot/internal/contradict"
	"newsbot/internal/store"
)

// DefaultCacheBytes is the default budget of the analysed-statement cache,
// in live bytes: the process's resident memory grows by about 1.4 times
// that (the garbage collector lets the heap grow past what is live),
// about 22 MB over a bulk ingest of the BBC corpus.
const DefaultCacheBytes = 16 << 20

// analysed is a stored statement as the checker analysed it, with what
// the analysis was made from so a hit can be told from a statement that
// changed since. A statement's words, reporting cue and quote hash never
// change once stored; its speaker (a merge renames them), its first source
// (deleting an article drops it) and its dates can. The analysis depends
// on the words, the cue, the first source's sentence and the speaker's
// name: a hit must match the statement's words, cue, speaker id and first
// source (article and span, which fix the sentence) as read from its head,
// and the speaker's current name.
type analysed struct {
	id        uint64
	text, cue string
	speaker   uint64
	name      string // the speaker's name the analysis was made with
	article   string // first source: article and span
	start     int
	end       int
	quoteHash string
	a         *contradict.Analysed
	size      int
	// prev and next link the entry in its cache shard's list, under the
	// shard's lock.
	prev, next *analysed
}

// newAnalysed records st, analysed as pc with the speaker called name.
// The words and cue kept are the claim's, which the analysis holds.
func newAnalysed(st *store.Statement, pc preparedClaim, name string) *analysed {
	e := &analysed{id: st.ID, text: pc.k.text, cue: pc.k.cue, speaker: st.SpeakerID, name: name,
		quoteHash: st.QuoteHash, a: pc.a}
	if len(st.Sources) > 0 {
		s := &st.Sources[0]
		e.article, e.start, e.end = s.ArticleID, s.Start, s.End
	}
	e.size = entrySize(len(e.text), len(pc.k.sentence), len(name)+len(e.article)+len(e.cue)+len(e.quoteHash))
	return e
}

// entrySize estimates the heap an entry holds: the analysis is about 31
// bytes for each byte of the words (tokens with their stems and flags),
// measured over the BBC corpus, and it keeps the words and the sentence;
// the rest is the entry and the map slot holding it (TestCacheBudget checks
// the estimate against the heap).
func entrySize(text, sentence, other int) int {
	return 640 + 34*text + sentence + other
}

// matches reports whether the entry was made from the statement as it is
// now: h read with StatementHead, name its speaker's current name.
func (e *analysed) matches(h *store.Statement, name string) bool {
	if e.text != h.Text || e.cue != h.Cue || e.speaker != h.SpeakerID || e.name != name || len(h.Sources) == 0 {
		return false
	}
	s := &h.Sources[0]
	return e.article == s.ArticleID && e.start == s.Start && e.end == s.End
}

// cacheShards spreads the entries over independently locked parts, so
// checks running at once seldom wait for each other.
const cacheShards = 16

// cache keeps analysed statements by id within a byte budget, the least
// recently used going first. It is safe for concurrent use.
type cache struct {
	shards [cacheShards]cacheShard
}

// cacheShard is a map and a list of its entries, most recently used
// first, linked through the entries themselves.
type cacheShard struct {
	mu    sync.Mutex
	byID  map[uint64]*analysed
	head  analysed // list sentinel: head.next is the newest, head.prev the oldest
	bytes int
	limit int
}

// newCache returns a cache holding about budget bytes, nil when budget is
// below what one entry per shard needs.
func newCache(budget int) *cache {
	limit := budget / cacheShards
	if limit < entrySize(0, 0, 0) {
		return nil
	}
	c := &cache{}
	for i := range c.shards {
		s := &c.shards[i]
		s.byID, s.limit = map[uint64]*analysed{}, limit
		s.head.next, s.head.prev = &s.head, &s.head
	}
	return c
}

func (c *cache) shard(id uint64) *cacheShard { return &c.shards[id%cacheShards] }

// get returns the entry for id, if any.
func (c *cache) get(id uint64) *analysed {
	if c == nil {
		return nil
	}
	s := c.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[id]
	if e != nil && s.head.next != e {
		s.unlink(e)
		s.pushFront(e)
	}
	return e
}

// put stores e, replacing any entry for its id, and evicts the least
// recently used entries beyond the budget.
func (c *cache) put(e *analysed) {
	if c == nil {
		return
	}
	s := c.shard(e.id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.byID[e.id]; prev != nil {
		s.remove(prev)
	}
	s.byID[e.id] = e
	s.pushFront(e)
	s.bytes += e.size
	for s.bytes > s.limit && s.head.prev != e {
		s.remove(s.head.prev)
	}
}

// drop forgets id: its statement is gone or changed.
func (c *cache) drop(id uint64) {
	if c == nil {
		return
	}
	s := c.shard(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.byID[id]; e != nil {
		s.remove(e)
	}
}

func (s *cacheShard) remove(e *analysed) {
	s.unlink(e)
	delete(s.byID, e.id)
	s.bytes -= e.size
}

func (s *cacheShard) unlink(e *analysed) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (s *cacheShard) pushFront(e *analysed) {
	e.prev, e.next = &s.head, s.head.next
	s.head.next.prev = e
	s.head.next = e
}

// stats are the cache's entries and estimated bytes, for tests.
func (c *cache) stats() (entries, bytes int) {
	if c == nil {
		return 0, 0
	}
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		entries += len(s.byID)
		bytes += s.bytes
		s.mu.Unlock()
	}
	return entries, bytes
}
