package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Posting lists in blocks (schema v3).
//
// A posting list is the statements holding a term, mentioning an entity or
// said by a speaker, by id. It is stored as blocks of up to blockMax
// entries: key = the list's prefix (term 0x00, entity 0x00, or speaker
// u64) + the block's first statement id (u64), value = a header (entry
// count u16, last id u64) and the entries, each the uvarint difference from
// the previous id (0 for the first, whose id is the key's), then for term
// lists the posting: flags, term frequency, the statement's latest date
// (varint Unix seconds) and its speaker (uvarint).
//
// Statement ids only grow, so a new statement's entries go at the end of
// each list's last block. A write transaction buffers its entries per list
// (pending) and writes each list once, before it commits: one block
// rewrite per list a transaction touched instead of one B-tree insert per
// entry, which is what makes indexing fast. Reads inside the transaction
// see the buffered entries (walkList, TermDF) or flush them first.

const (
	blockHeader     = 18
	defaultBlockMax = 128
	// pendingMax bounds the entries a transaction buffers before writing
	// them out (a rebuild of a large store), so that memory stays bounded.
	pendingMax = 1 << 20
)

// listKind is one kind of posting list.
type listKind struct {
	id      int
	bucket  []byte
	payload bool // entries carry a posting (term lists)
	// sep: the prefix is the key and a 0 byte (terms, entities); else the
	// key is the prefix (a speaker's u64).
	sep bool
}

var (
	termLists    = &listKind{id: 0, bucket: bIdxTermBlocks, payload: true, sep: true}
	entityLists  = &listKind{id: 1, bucket: bIdxEntityBlocks, sep: true}
	speakerLists = &listKind{id: 2, bucket: bIdxSpeakerBlocks}
)

const listKinds = 3

func (k *listKind) prefix(key string) []byte {
	p := make([]byte, 0, len(key)+9)
	p = append(p, key...)
	if k.sep {
		p = append(p, 0)
	}
	return p
}

// entry is one statement of a list; the posting fields are zero in lists
// without payload.
type entry struct {
	id      uint64
	flags   byte
	tf      byte
	date    int64 // Unix seconds
	speaker uint64
}

func blockKey(prefix []byte, first uint64) []byte {
	k := make([]byte, 0, len(prefix)+8)
	k = append(k, prefix...)
	return binary.BigEndian.AppendUint64(k, first)
}

// isBlockOf reports whether k is a block key of the list with prefix.
func isBlockOf(k, prefix []byte) bool {
	return len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix)
}

func appendEntry(dst []byte, prev uint64, e *entry, payload bool) []byte {
	dst = binary.AppendUvarint(dst, e.id-prev)
	if payload {
		dst = append(dst, e.flags, e.tf)
		dst = binary.AppendVarint(dst, e.date)
		dst = binary.AppendUvarint(dst, e.speaker)
	}
	return dst
}

// encodeBlock packs entries (ascending ids, at least one) into a block
// value; total is the list's length when this is its last block.
func encodeBlock(es []entry, payload bool, total uint64) []byte {
	per := 2
	if payload {
		per = 12
	}
	v := make([]byte, blockHeader, blockHeader+len(es)*per)
	binary.BigEndian.PutUint16(v, uint16(len(es)))
	binary.BigEndian.PutUint64(v[2:], es[len(es)-1].id)
	binary.BigEndian.PutUint64(v[10:], total)
	prev := es[0].id
	for i := range es {
		v = appendEntry(v, prev, &es[i], payload)
		prev = es[i].id
	}
	return v
}

var errBadBlock = errors.New("malformed posting block")

// decodeBlock appends the entries of the block whose key names first to
// dst[:0].
func decodeBlock(dst []entry, first uint64, v []byte, payload bool) ([]entry, error) {
	dst = dst[:0]
	if len(v) < blockHeader {
		return dst, errBadBlock
	}
	n := int(binary.BigEndian.Uint16(v))
	last := binary.BigEndian.Uint64(v[2:])
	p := v[blockHeader:]
	id := first
	for i := range n {
		d, k := binary.Uvarint(p)
		if k <= 0 || (i == 0) != (d == 0) || id+d < id {
			return dst, errBadBlock
		}
		p = p[k:]
		id += d
		e := entry{id: id}
		if payload {
			if len(p) < 2 {
				return dst, errBadBlock
			}
			e.flags, e.tf = p[0], p[1]
			p = p[2:]
			if e.date, k = binary.Varint(p); k <= 0 {
				return dst, errBadBlock
			}
			p = p[k:]
			if e.speaker, k = binary.Uvarint(p); k <= 0 {
				return dst, errBadBlock
			}
			p = p[k:]
		}
		dst = append(dst, e)
	}
	if n == 0 || len(p) != 0 || id != last {
		return dst, errBadBlock
	}
	return dst, nil
}

// blockLast reads a block's entry count and last id from its header.
func blockLast(v []byte) (int, uint64, bool) {
	if len(v) < blockHeader {
		return 0, 0, false
	}
	return int(binary.BigEndian.Uint16(v)), binary.BigEndian.Uint64(v[2:]), true
}

// blockTotal reads the list length a block's header records: the list's,
// in its last block.
func blockTotal(v []byte) uint64 {
	if len(v) < blockHeader {
		return 0
	}
	return binary.BigEndian.Uint64(v[10:])
}

// storedLength is the length of the written list with prefix, read from
// its last block.
func storedLength(b *bolt.Bucket, prefix []byte) uint64 {
	if k, v := seekBlock(b.Cursor(), prefix, math.MaxUint64); k != nil {
		return blockTotal(v)
	}
	return 0
}

// seekBlock positions c on the block of the list that would hold id: the
// last one whose first id is at most id, else the list's first block. It
// returns nil when the list has no blocks.
func seekBlock(c *bolt.Cursor, prefix []byte, id uint64) (k, v []byte) {
	// The first key after prefix+id: nothing sorts between a key and the
	// key with a 0 byte appended.
	after := append(blockKey(prefix, id), 0)
	if k, v = c.Seek(after); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k != nil && isBlockOf(k, prefix) {
		return k, v
	}
	if k, v = c.Seek(prefix); k != nil && isBlockOf(k, prefix) {
		return k, v
	}
	return nil, nil
}

// ---- pending entries of a write transaction

type pend struct {
	entry
	del bool // a removal: hides the stored entry
}

// pendingList is a list's buffered changes, by ascending id.
type pendingList struct {
	ps []pend
	df int64 // change in the list's length
}

func (l *pendingList) find(id uint64) (int, bool) {
	if n := len(l.ps); n == 0 || l.ps[n-1].id < id {
		return n, false
	}
	i := sort.Search(len(l.ps), func(i int) bool { return l.ps[i].id >= id })
	return i, i < len(l.ps) && l.ps[i].id == id
}

// pending is what a write transaction has indexed and not yet written.
type pending struct {
	lists      [listKinds]map[string]*pendingList
	n          int   // entries buffered
	statements int64 // change in the statement count
	blockMax   int
}

func newPending(blockMax int) *pending {
	if blockMax <= 1 {
		blockMax = defaultBlockMax
	}
	p := &pending{blockMax: blockMax}
	for i := range p.lists {
		p.lists[i] = map[string]*pendingList{}
	}
	return p
}

func (p *pending) blockMaxOr() int {
	if p == nil {
		return 0
	}
	return p.blockMax
}

func (p *pending) list(k *listKind, key string) *pendingList {
	l := p.lists[k.id][key]
	if l == nil {
		l = &pendingList{}
		p.lists[k.id][key] = l
	}
	return l
}

func (p *pending) empty() bool { return p == nil || (p.n == 0 && p.statements == 0) }

// listAdd records e in the list key. As before blocks, an entry is added
// only where there is none (a new statement, or one whose entries were
// removed first), so the list grows by one without looking.
func (t *Tx) listAdd(k *listKind, key string, e entry) error {
	l := t.pend.list(k, key)
	i, found := l.find(e.id)
	switch {
	case found:
		if l.ps[i].del {
			l.df++
		}
		l.ps[i] = pend{entry: e}
	case i == len(l.ps):
		l.ps = append(l.ps, pend{entry: e})
		l.df++
		t.pend.n++
	default:
		l.ps = slices.Insert(l.ps, i, pend{entry: e})
		l.df++
		t.pend.n++
	}
	if t.pend.n >= pendingMax {
		return t.flush()
	}
	return nil
}

// listRemove removes statement id from the list key, if it is there.
func (t *Tx) listRemove(k *listKind, key string, id uint64) error {
	l := t.pend.list(k, key)
	i, found := l.find(id)
	if found {
		if !l.ps[i].del {
			l.ps[i] = pend{entry: entry{id: id}, del: true}
			l.df--
		}
		return nil
	}
	stored, err := t.storedEntry(k, key, id)
	if err != nil || !stored {
		return err
	}
	l.ps = slices.Insert(l.ps, i, pend{entry: entry{id: id}, del: true})
	l.df--
	t.pend.n++
	return nil
}

// storedEntry reports whether the written list key holds id.
func (t *Tx) storedEntry(k *listKind, key string, id uint64) (bool, error) {
	prefix := k.prefix(key)
	bk, v := seekBlock(t.b(k.bucket).Cursor(), prefix, id)
	if bk == nil {
		return false, nil
	}
	es, err := decodeBlock(nil, getU64(bk[len(prefix):]), v, k.payload)
	if err != nil {
		return false, fmt.Errorf("%s block %q: %w", k.bucket, bk, err)
	}
	_, found := slices.BinarySearchFunc(es, id, func(e entry, id uint64) int { return cmpU64(e.id, id) })
	return found, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// flush writes every buffered list, each once, and the document
// frequencies and statement count that changed with them.
func (t *Tx) flush() error {
	p := t.pend
	if p.empty() {
		return nil
	}
	for _, k := range []*listKind{termLists, entityLists, speakerLists} {
		keys := make([]string, 0, len(p.lists[k.id]))
		for key := range p.lists[k.id] {
			keys = append(keys, key)
		}
		slices.Sort(keys) // in key order: neighbouring lists share pages
		b := t.b(k.bucket)
		for _, key := range keys {
			if err := writeList(b, k, k.prefix(key), p.lists[k.id][key].ps, p.blockMax); err != nil {
				return fmt.Errorf("write %s list %q: %w", k.bucket, key, err)
			}
		}
		p.lists[k.id] = map[string]*pendingList{}
	}
	p.n = 0
	if p.statements != 0 {
		meta := t.b(bMeta)
		n := max(0, int64(getU64(meta.Get(keyStatementCount)))+p.statements)
		if err := meta.Put(keyStatementCount, u64(uint64(n))); err != nil {
			return err
		}
		p.statements = 0
	}
	return nil
}

// writeList applies a list's buffered changes (ascending ids) to its
// blocks, and keeps the list's length in its last block.
func writeList(b *bolt.Bucket, k *listKind, prefix []byte, ps []pend, bmax int) error {
	c := b.Cursor()
	var total int64
	lk, lv := seekBlock(c, prefix, math.MaxUint64)
	if lk == nil { // a new list
		var es []entry
		for _, p := range ps {
			if !p.del {
				es = append(es, p.entry)
			}
		}
		return putBlocks(b, k, prefix, es, bmax, true, uint64(len(es)))
	}
	total = int64(blockTotal(lv))
	wroteLast := false // the list's last block, with its length
	for round := 0; len(ps) > 0; round++ {
		var bk, v []byte
		bound, last := uint64(math.MaxUint64), true
		if round == 0 && ps[0].id >= getU64(lk[len(prefix):]) {
			// The usual case: the changes are all for the last block,
			// found already.
			bk, v = lk, lv
		} else {
			if bk, v = seekBlock(c, prefix, ps[0].id); bk == nil {
				return fmt.Errorf("list %q lost its blocks", prefix)
			}
			// The block takes the changes below the next block's first id.
			if nk, _ := c.Next(); nk != nil && isBlockOf(nk, prefix) {
				bound, last = getU64(nk[len(prefix):]), false
			}
		}
		first := getU64(bk[len(prefix):])
		j := sort.Search(len(ps), func(i int) bool { return ps[i].id >= bound })
		if j == 0 { // cannot happen: seekBlock found the block for ps[0]
			return fmt.Errorf("block %x does not cover S%d", bk, ps[0].id)
		}
		chunk := ps[:j]
		ps = ps[j:]
		n, lastID, ok := blockLast(v)
		if !ok {
			return errBadBlock
		}
		if last && chunk[0].id > lastID && !slices.ContainsFunc(chunk, func(p pend) bool { return p.del }) {
			// Appends to the list's last block: no need to decode it.
			total += int64(len(chunk))
			room := max(0, min(len(chunk), bmax-n))
			es := make([]entry, 0, len(chunk)-room)
			for _, p := range chunk[room:] {
				es = append(es, p.entry)
			}
			if room > 0 {
				nv := make([]byte, len(v), len(v)+room*12)
				copy(nv, v)
				prev := lastID
				for i := range chunk[:room] {
					nv = appendEntry(nv, prev, &chunk[i].entry, k.payload)
					prev = chunk[i].id
				}
				binary.BigEndian.PutUint16(nv, uint16(n+room))
				binary.BigEndian.PutUint64(nv[2:], prev)
				binary.BigEndian.PutUint64(nv[10:], uint64(total))
				if err := b.Put(slices.Clone(bk), nv); err != nil {
					return err
				}
			}
			if err := putBlocks(b, k, prefix, es, bmax, true, uint64(total)); err != nil {
				return err
			}
			wroteLast = true
			continue
		}
		es, err := decodeBlock(nil, first, v, k.payload)
		if err != nil {
			return fmt.Errorf("block %x: %w", bk, err)
		}
		merged, d := mergeEntries(es, chunk)
		total += d
		if err := b.Delete(slices.Clone(bk)); err != nil {
			return err
		}
		if err := putBlocks(b, k, prefix, merged, bmax, last, uint64(max(0, total))); err != nil {
			return err
		}
		wroteLast = last && len(merged) > 0
	}
	if wroteLast {
		return nil
	}
	// The changes were in earlier blocks, or emptied the last one: the
	// list's length goes into what is now its last block.
	lk, lv = seekBlock(c, prefix, math.MaxUint64)
	if lk == nil || blockTotal(lv) == uint64(max(0, total)) {
		return nil
	}
	nv := slices.Clone(lv)
	binary.BigEndian.PutUint64(nv[10:], uint64(max(0, total)))
	return b.Put(slices.Clone(lk), nv)
}

// mergeEntries applies changes (ascending ids) to a block's entries.
func mergeEntries(es []entry, ps []pend) ([]entry, int64) {
	out := make([]entry, 0, len(es)+len(ps))
	var delta int64
	i := 0
	for _, p := range ps {
		for i < len(es) && es[i].id < p.id {
			out = append(out, es[i])
			i++
		}
		had := i < len(es) && es[i].id == p.id
		if had {
			i++
		}
		switch {
		case p.del && had:
			delta--
		case !p.del:
			out = append(out, p.entry)
			if !had {
				delta++
			}
		}
	}
	return append(out, es[i:]...), delta
}

// putBlocks writes es (ascending) as blocks of at most bmax entries. The
// end of a list is packed full (it grows by appends), and its last block
// records total, the list's length; elsewhere entries too many for one
// block are cut into blocks of even size, so that inserts in the middle
// do not leave a trail of small blocks.
func putBlocks(b *bolt.Bucket, k *listKind, prefix []byte, es []entry, bmax int, end bool, total uint64) error {
	if len(es) == 0 {
		return nil
	}
	size := bmax
	if !end {
		blocks := (len(es) + bmax - 1) / bmax
		size = (len(es) + blocks - 1) / blocks
	}
	for len(es) > 0 {
		n := min(size, len(es))
		var t uint64
		if end && n == len(es) {
			t = total
		}
		if err := b.Put(blockKey(prefix, es[0].id), encodeBlock(es[:n], k.payload, t)); err != nil {
			return err
		}
		es = es[n:]
	}
	return nil
}

// ---- reading

// blockWalk walks the written entries of one list from the newest id down.
type blockWalk struct {
	c       *bolt.Cursor
	prefix  []byte
	payload bool
	es      []entry // the current block, decoded
	i       int     // the current entry in es; < 0: none left
	err     error
}

// newBlockWalk starts a walk at the newest entry of the list with an id
// below before.
func newBlockWalk(b *bolt.Bucket, k *listKind, prefix []byte, before uint64) *blockWalk {
	w := &blockWalk{c: b.Cursor(), prefix: prefix, payload: k.payload, i: -1}
	if before == 0 {
		return w
	}
	w.seek(before - 1)
	return w
}

func (w *blockWalk) valid() bool { return w.i >= 0 }

func (w *blockWalk) cur() *entry { return &w.es[w.i] }

// load decodes the block at k, v and points at its last entry at or
// below id.
func (w *blockWalk) load(k, v []byte, id uint64) {
	if k == nil || !isBlockOf(k, w.prefix) {
		w.i = -1
		return
	}
	var err error
	if w.es, err = decodeBlock(w.es, getU64(k[len(w.prefix):]), v, w.payload); err != nil {
		w.err = fmt.Errorf("posting block %x: %w", k, err)
		w.es = w.es[:0]
	}
	// Below 0 when only the list's first block was left, and it starts
	// above id: nothing lower.
	w.i = sort.Search(len(w.es), func(i int) bool { return w.es[i].id > id }) - 1
}

// seek moves to the newest entry at or below id.
func (w *blockWalk) seek(id uint64) {
	k, v := seekBlock(w.c, w.prefix, id)
	w.load(k, v, id)
}

// next moves to the next older entry.
func (w *blockWalk) next() {
	if w.i--; w.i >= 0 {
		return
	}
	k, v := w.c.Prev()
	w.load(k, v, math.MaxUint64)
	// A malformed block decodes to nothing: step over it.
	for w.i < 0 && w.err != nil && k != nil && isBlockOf(k, w.prefix) {
		k, v = w.c.Prev()
		w.load(k, v, math.MaxUint64)
	}
}

// at moves the walk down to id and returns its entry, if the list has
// one; more is false when the list has no entries left at or below id.
func (w *blockWalk) at(id uint64) (e *entry, found, more bool) {
	if !w.valid() {
		return nil, false, false
	}
	if cur := w.es[w.i].id; cur > id {
		if w.es[0].id <= id { // in this block
			w.i = sort.Search(w.i, func(i int) bool { return w.es[i].id > id }) - 1
		} else {
			w.seek(id)
		}
		if !w.valid() {
			return nil, false, false
		}
	}
	if e := &w.es[w.i]; e.id == id {
		return e, true, true
	}
	return nil, false, true
}

// walkList calls fn for the entries of list key with an id below before,
// newest first, at most n (n ≤ 0: all), until fn returns false; the
// transaction's buffered changes included.
func (t *Tx) walkList(k *listKind, key string, before uint64, n int, fn func(e entry) bool) error {
	w := newBlockWalk(t.b(k.bucket), k, k.prefix(key), before)
	var ps []pend
	if t.pend != nil {
		if l := t.pend.lists[k.id][key]; l != nil {
			ps = l.ps
		}
	}
	j := sort.Search(len(ps), func(i int) bool { return ps[i].id >= before }) - 1
	for seen := 0; n <= 0 || seen < n; {
		var e entry
		switch dv := w.valid(); {
		case j >= 0 && (!dv || ps[j].id >= w.cur().id):
			if dv && ps[j].id == w.cur().id {
				w.next()
			}
			p := ps[j]
			j--
			if p.del {
				continue
			}
			e = p.entry
		case dv:
			e = *w.cur()
			w.next()
		default:
			return w.err
		}
		seen++
		if !fn(e) {
			break
		}
	}
	return w.err
}

// listIDs returns the ids of a list, newest first, at most n (n ≤ 0: all).
func (t *Tx) listIDs(k *listKind, key string, n int) []uint64 {
	var out []uint64
	t.walkList(k, key, math.MaxUint64, n, func(e entry) bool {
		out = append(out, e.id)
		return true
	})
	return out
}

// flushForRead writes the buffered entries before a read that does not
// merge them itself.
func (t *Tx) flushForRead() error {
	if t.pend.empty() {
		return nil
	}
	return t.flush()
}
