package store

// Record encoding for statements, articles, speakers and alerts.
//
// Records used to be JSON. Decoding JSON was most of a who-said reply's
// time (the decoder validates the whole record, article text included,
// before reading a field) and a good part of every write, so these four
// record kinds are now written in a compact binary form:
//
//	[0]      codec version (recordV1). A JSON record starts with '{', so
//	         the first byte tells the two apart and old stores need no
//	         migration: JSON records are still read, and rewritten in this
//	         form the next time they are written.
//	[1]      record kind: 'S' statement, 'A' article, 'P' speaker, 'L' alert
//	[2:6]    length H of the head, uint32 little-endian
//	[6:10]   CRC-32C of the head
//	[10:14]  CRC-32C of the tail
//	[14:14+H] head: what a chat reply shows
//	[14+H:]  tail: the rest (index terms, article text, sentences ...)
//
// The head decoders (StatementHead, ArticleHead) read and check the head
// only; the tail, which holds most of the bytes, is neither copied nor
// read. Integers are varints, strings a uvarint length and their bytes
// (kept byte for byte), times a form byte then Unix seconds and
// nanoseconds, floats their IEEE-754 bits. A decoder meeting anything out
// of place returns an error wrapping ErrCorrupt, never a panic.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

const recordV1 byte = 1

const (
	kindStatement byte = 'S'
	kindArticle   byte = 'A'
	kindSpeaker   byte = 'P'
	kindAlert     byte = 'L'
)

// recordHeader is the length of the fixed part before the head.
const recordHeader = 14

// ErrCorrupt is wrapped by every error about a record that cannot be
// decoded: bad bytes, a failed checksum, a truncated record.
var ErrCorrupt = errors.New("corrupt record")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ---- record reads and writes

// getRecord reads the record under key, whole or its head only; false
// when absent.
func getRecord[T Statement | Article | Speaker | Alert](r records, key []byte, p part) (T, bool, error) {
	var v T
	raw := r.get(key)
	if raw == nil {
		return v, false, nil
	}
	if err := decodeRecord(raw, &v, p); err != nil {
		return v, false, fmt.Errorf("decode %s: %w", recordName[T](key), err)
	}
	return v, true, nil
}

// part says how much of a record to decode.
type part bool

const (
	whole    part = false
	headOnly part = true
)

// decodeRecord decodes raw into v, a *Statement, *Article, *Speaker or
// *Alert. Calling the decoders directly, not through a function value,
// keeps v and the decoder off the heap.
func decodeRecord(raw []byte, v any, p part) error {
	switch v := v.(type) {
	case *Statement:
		if p == headOnly {
			return decodeStatementHead(raw, v)
		}
		return decodeStatement(raw, v)
	case *Article:
		if p == headOnly {
			return decodeArticleHead(raw, v)
		}
		return decodeArticle(raw, v)
	case *Speaker:
		return decodeSpeaker(raw, v)
	case *Alert:
		return decodeAlert(raw, v)
	}
	return fmt.Errorf("no record decoder for %T", v)
}

// records reads one record bucket: through a cursor kept for the whole
// read transaction, or (c nil) with Bucket.Get.
type records struct {
	b *bolt.Bucket
	c *bolt.Cursor
}

func (r records) get(key []byte) []byte {
	if r.c == nil {
		return r.b.Get(key)
	}
	k, v := r.c.Seek(key)
	if !bytes.Equal(k, key) {
		return nil
	}
	return v
}

// openedBuckets are the record buckets a read transaction has opened,
// each with a cursor: bbolt opens a bucket anew (a search of the root
// bucket and an allocation) on every Tx.Bucket call of a read
// transaction, and Bucket.Get makes a cursor each time, while a reply
// reads some fifty records.
type openedBuckets [4]struct {
	name []byte
	r    records
}

// rb returns the record bucket name, opened once per read transaction.
// Write transactions open it each time (bbolt keeps their buckets itself,
// and RebuildIndexes drops and creates buckets). Like bbolt's, a Tx is for
// one goroutine at a time.
func (t *Tx) rb(name []byte) records {
	if t.tx.Writable() {
		return records{b: t.b(name)}
	}
	for i := range t.opened {
		o := &t.opened[i]
		if o.name == nil {
			b := t.b(name)
			o.name, o.r = name, records{b: b, c: b.Cursor()}
			return o.r
		}
		if bytes.Equal(o.name, name) {
			return o.r
		}
	}
	return records{b: t.b(name)}
}

// putRecord writes v under key in the binary form encode gives. The
// encoded bytes are fresh: bbolt keeps them until the commit.
func putRecord[T any](b *bolt.Bucket, key []byte, v *T, encode func(dst []byte, v *T) []byte) error {
	return b.Put(key, encode(nil, v))
}

// recordName names a record of type T for error messages: "statement S42".
func recordName[T any](key []byte) string {
	switch any((*T)(nil)).(type) {
	case *Statement:
		return "statement " + StatementRef(getU64(key))
	case *Article:
		return "article " + string(key)
	case *Speaker:
		return fmt.Sprintf("speaker %d", getU64(key))
	case *Alert:
		return "alert " + AlertRef(getU64(key))
	}
	return fmt.Sprintf("record %x", key)
}

// isJSON reports whether raw is a record written before the binary form.
func isJSON(raw []byte) bool { return len(raw) > 0 && raw[0] == '{' }

func decodeJSON(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: JSON: %v", ErrCorrupt, err)
	}
	return nil
}

// fromJSON decodes a JSON record into a fresh value and copies it to dst,
// so that dst, which the JSON decoder would make escape, stays where the
// caller has it.
func fromJSON[T any](raw []byte, dst *T) error {
	v := new(T)
	err := decodeJSON(raw, v)
	*dst = *v
	return err
}

// ---- statements

func encodeStatement(dst []byte, st *Statement) []byte {
	e, head := beginRecord(dst, kindStatement, 64+len(st.Text)+len(st.Sources)*96+len(st.Terms)*10+len(st.ContextTerms)*10)
	e.uvarint(st.ID)
	e.uvarint(st.SpeakerID)
	e.str(st.Text)
	e.str(st.Kind)
	e.str(st.Cue)
	e.uvarint(uint64(len(st.Sources)))
	for i := range st.Sources {
		s := &st.Sources[i]
		e.str(s.ArticleID)
		e.varint(int64(s.Start))
		e.varint(int64(s.End))
		e.str(s.Mention)
		e.str(s.Cue)
		e.time(s.Date)
	}
	tail := e.split(head)
	for i := range st.Sources {
		e.str(st.Sources[i].Sentence)
	}
	e.strs(st.Terms)
	e.strs(st.ContextTerms)
	e.strs(st.Entities)
	e.str(st.QuoteHash)
	e.uvarint(uint64(len(st.Features)))
	for _, k := range slices.Sorted(maps.Keys(st.Features)) {
		e.str(k)
		e.f64(st.Features[k])
	}
	return e.finish(head, tail)
}

// decodeStatement decodes a whole statement, binary or JSON.
func decodeStatement(raw []byte, st *Statement) error {
	if isJSON(raw) {
		return fromJSON(raw, st)
	}
	d, err := openRecord(raw, kindStatement, true)
	if err != nil {
		return err
	}
	statementHeadFrom(&d, st)
	d.endHead()
	statementTail(&d, st)
	return d.end()
}

// decodeStatementHead decodes a statement as a reply shows it: no Terms,
// ContextTerms, Entities, Features, QuoteHash or source sentences.
func decodeStatementHead(raw []byte, st *Statement) error {
	if isJSON(raw) {
		return statementHeadJSON(raw, st)
	}
	d, err := openRecord(raw, kindStatement, false)
	if err != nil {
		return err
	}
	statementHeadFrom(&d, st)
	return d.endHead()
}

func statementTail(d *decoder, st *Statement) {
	for i := range st.Sources {
		st.Sources[i].Sentence = d.str()
	}
	st.Terms = d.strs()
	st.ContextTerms = d.strs()
	st.Entities = d.strs()
	st.QuoteHash = d.str()
	if n := d.count(9); n > 0 {
		st.Features = make(map[string]float64, n)
		for range n {
			k := d.str()
			st.Features[k] = d.f64()
		}
	}
}

func statementHeadFrom(d *decoder, st *Statement) {
	*st = Statement{ID: d.uvarint(), SpeakerID: d.uvarint(), Text: d.str(), Kind: d.str(), Cue: d.str()}
	n := d.count(6)
	if n == 0 {
		return
	}
	st.Sources = make([]Source, n)
	for i := range st.Sources {
		s := &st.Sources[i]
		s.ArticleID = d.str()
		s.Start = int(d.varint())
		s.End = int(d.varint())
		s.Mention = d.str()
		s.Cue = d.str()
		s.Date = d.time()
	}
}

// ---- articles

func encodeArticle(dst []byte, a *Article) []byte {
	e, head := beginRecord(dst, kindArticle, 128+len(a.URL)+len(a.Title)+len(a.Text)+len(a.Statements)*3)
	e.str(a.ID)
	e.str(a.URL)
	e.str(a.File)
	e.str(a.Outlet)
	e.str(a.Title)
	e.str(a.Author)
	e.time(a.Published)
	e.time(a.Ingested)
	e.str(a.Extractor)
	e.str(a.TextHash)
	tail := e.split(head)
	e.str(a.Text)
	// Statement ids, mostly ascending: deltas from the one before.
	e.uvarint(uint64(len(a.Statements)))
	var prev uint64
	for _, id := range a.Statements {
		e.varint(int64(id - prev))
		prev = id
	}
	return e.finish(head, tail)
}

// decodeArticle decodes a whole article, binary or JSON.
func decodeArticle(raw []byte, a *Article) error {
	if isJSON(raw) {
		return fromJSON(raw, a)
	}
	d, err := openRecord(raw, kindArticle, true)
	if err != nil {
		return err
	}
	articleHeadFrom(&d, a)
	d.endHead()
	articleTail(&d, a)
	return d.end()
}

// decodeArticleHead decodes an article without its Text and Statements.
func decodeArticleHead(raw []byte, a *Article) error {
	if isJSON(raw) {
		return articleHeadJSON(raw, a)
	}
	d, err := openRecord(raw, kindArticle, false)
	if err != nil {
		return err
	}
	articleHeadFrom(&d, a)
	return d.endHead()
}

func articleTail(d *decoder, a *Article) {
	a.Text = d.str()
	if n := d.count(1); n > 0 {
		a.Statements = make([]uint64, n)
		var prev uint64
		for i := range a.Statements {
			prev += uint64(d.varint())
			a.Statements[i] = prev
		}
	}
}

func articleHeadFrom(d *decoder, a *Article) {
	*a = Article{ID: d.str(), URL: d.str(), File: d.str(), Outlet: d.str(), Title: d.str(), Author: d.str()}
	a.Published = d.time()
	a.Ingested = d.time()
	a.Extractor = d.str()
	a.TextHash = d.str()
}

// ---- speakers

func encodeSpeaker(dst []byte, sp *Speaker) []byte {
	e, head := beginRecord(dst, kindSpeaker, 64+len(sp.Name)*(2+len(sp.Aliases)))
	e.uvarint(sp.ID)
	e.str(sp.Name)
	e.str(sp.Type)
	e.strs(sp.Aliases)
	e.str(sp.Role)
	e.str(sp.Affiliation)
	e.str(sp.Scope)
	return e.finish(head, e.split(head))
}

func decodeSpeaker(raw []byte, sp *Speaker) error {
	if isJSON(raw) {
		return fromJSON(raw, sp)
	}
	d, err := openRecord(raw, kindSpeaker, true)
	if err != nil {
		return err
	}
	speakerFields(&d, sp)
	d.endHead()
	return d.end()
}

func speakerFields(d *decoder, sp *Speaker) {
	*sp = Speaker{ID: d.uvarint(), Name: d.str(), Type: d.str(), Aliases: d.strs(), Role: d.str(), Affiliation: d.str(), Scope: d.str()}
}

// ---- alerts

func encodeAlert(dst []byte, al *Alert) []byte {
	e, head := beginRecord(dst, kindAlert, 128+len(al.Reasons)*64+len(al.Posts)*48)
	e.uvarint(al.ID)
	e.uvarint(al.New)
	e.uvarint(al.Old)
	e.f64(al.Score)
	e.strs(al.Reasons)
	e.time(al.Created)
	e.bool(al.SameSpeaker)
	e.str(al.State)
	e.str(al.StateBy)
	e.time(al.StateAt)
	e.uvarint(uint64(len(al.Posts)))
	for i := range al.Posts {
		p := &al.Posts[i]
		e.str(p.Platform)
		e.str(p.Channel)
		e.str(p.MessageID)
		e.time(p.At)
	}
	return e.finish(head, e.split(head))
}

func decodeAlert(raw []byte, al *Alert) error {
	if isJSON(raw) {
		return fromJSON(raw, al)
	}
	d, err := openRecord(raw, kindAlert, true)
	if err != nil {
		return err
	}
	alertFields(&d, al)
	d.endHead()
	return d.end()
}

func alertFields(d *decoder, al *Alert) {
	*al = Alert{ID: d.uvarint(), New: d.uvarint(), Old: d.uvarint(), Score: d.f64(), Reasons: d.strs()}
	al.Created = d.time()
	al.SameSpeaker = d.bool()
	al.State = d.str()
	al.StateBy = d.str()
	al.StateAt = d.time()
	if n := d.count(4); n > 0 {
		al.Posts = make([]Post, n)
		for i := range al.Posts {
			p := &al.Posts[i]
			p.Platform, p.Channel, p.MessageID = d.str(), d.str(), d.str()
			p.At = d.time()
		}
	}
}

// ---- encoder

type encoder struct{ b []byte }

// beginRecord starts a record of the given kind after dst; head is where
// its head begins.
func beginRecord(dst []byte, kind byte, sizeHint int) (e *encoder, head int) {
	if cap(dst)-len(dst) < recordHeader+sizeHint {
		dst = slices.Grow(dst, recordHeader+sizeHint)
	}
	start := len(dst)
	dst = append(dst, recordV1, kind)
	dst = append(dst, make([]byte, recordHeader-2)...)
	return &encoder{b: dst}, start + recordHeader
}

// split ends the head; it returns where the tail begins.
func (e *encoder) split(head int) int {
	binary.LittleEndian.PutUint32(e.b[head-12:], uint32(len(e.b)-head))
	return len(e.b)
}

// finish writes the checksums and returns the record.
func (e *encoder) finish(head, tail int) []byte {
	binary.LittleEndian.PutUint32(e.b[head-8:], crc32.Checksum(e.b[head:tail], castagnoli))
	binary.LittleEndian.PutUint32(e.b[head-4:], crc32.Checksum(e.b[tail:], castagnoli))
	return e.b
}

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) f64(v float64)    { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// Time forms: the zero time, a UTC time, a time with a zone offset.
const (
	timeZero   byte = 0
	timeUTC    byte = 1
	timeOffset byte = 2
)

// time keeps the instant to the nanosecond and the zone offset, as the
// JSON form did (RFC 3339), not the zone's name.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, timeZero)
		return
	}
	_, off := t.Zone()
	if off == 0 {
		e.b = append(e.b, timeUTC)
	} else {
		e.b = append(e.b, timeOffset)
		e.varint(int64(off))
	}
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

// ---- decoder

// decoder reads one record. The first error sticks: later reads return
// zero values, and end or endHead reports it.
type decoder struct {
	b    []byte // the record (the head only when the tail is not read)
	s    string // a copy of b[:len(s)]: strings are cut from it, one allocation a record
	i    int
	head int // where the tail begins
	err  error
}

// openRecord checks the fixed part of a binary record of the given kind
// and the head's checksum, and the tail's when full.
func openRecord(raw []byte, kind byte, full bool) (decoder, error) {
	if len(raw) == 0 {
		return decoder{}, fmt.Errorf("%w: empty", ErrCorrupt)
	}
	if raw[0] != recordV1 {
		return decoder{}, fmt.Errorf("%w: unknown encoding (first byte 0x%02x)", ErrCorrupt, raw[0])
	}
	if len(raw) < recordHeader {
		return decoder{}, fmt.Errorf("%w: %d bytes, shorter than the record header", ErrCorrupt, len(raw))
	}
	if raw[1] != kind {
		return decoder{}, fmt.Errorf("%w: holds a record of kind %q, want %q", ErrCorrupt, raw[1], kind)
	}
	h := uint64(binary.LittleEndian.Uint32(raw[2:]))
	if h > uint64(len(raw)-recordHeader) {
		return decoder{}, fmt.Errorf("%w: head of %d bytes in a record of %d", ErrCorrupt, h, len(raw))
	}
	end := recordHeader + int(h)
	if got, want := crc32.Checksum(raw[recordHeader:end], castagnoli), binary.LittleEndian.Uint32(raw[6:]); got != want {
		return decoder{}, fmt.Errorf("%w: head checksum %08x, want %08x", ErrCorrupt, got, want)
	}
	d := decoder{b: raw[:end], i: recordHeader, head: end}
	if full {
		if got, want := crc32.Checksum(raw[end:], castagnoli), binary.LittleEndian.Uint32(raw[10:]); got != want {
			return decoder{}, fmt.Errorf("%w: tail checksum %08x, want %08x", ErrCorrupt, got, want)
		}
		d.b = raw
	}
	d.s = string(d.b)
	return d, nil
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s at byte %d", ErrCorrupt, what, d.i)
	}
}

// endHead checks the head was read to its end and moves on to the tail.
func (d *decoder) endHead() error {
	if d.err == nil && d.i != d.head {
		d.fail(fmt.Sprintf("head ends at byte %d", d.head))
	}
	return d.err
}

// end checks the whole record was read.
func (d *decoder) end() error {
	if d.err == nil && d.i != len(d.b) {
		d.fail(fmt.Sprintf("%d bytes left over", len(d.b)-d.i))
	}
	return d.err
}

// limit is where the part being read ends: reading the head stops at it.
func (d *decoder) limit() int {
	if d.i < d.head {
		return d.head
	}
	return len(d.b)
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.i:d.limit()])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.i += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.i:d.limit()])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.i += n
	return v
}

// count reads how many elements follow, each at least min bytes long: a
// count the rest of the part cannot hold is corrupt, which bounds what a
// bad record can make the decoder allocate.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64((d.limit()-d.i)/min) {
		d.fail(fmt.Sprintf("%d elements in %d bytes", n, d.limit()-d.i))
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count(1)
	if n == 0 {
		return ""
	}
	var s string
	if d.i+n <= len(d.s) {
		s = d.s[d.i : d.i+n]
	} else {
		s = string(d.b[d.i : d.i+n])
	}
	d.i += n
	return s
}

func (d *decoder) strs() []string {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) f64() float64 {
	if d.err != nil {
		return 0
	}
	if d.limit()-d.i < 8 {
		d.fail("truncated number")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.i:]))
	d.i += 8
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.i >= d.limit() {
		d.fail("truncated")
		return 0
	}
	c := d.b[d.i]
	d.i++
	return c
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail("bad boolean")
	return false
}

func (d *decoder) time() time.Time {
	form := d.byte()
	var off int64
	switch form {
	case timeZero:
		return time.Time{}
	case timeUTC:
	case timeOffset:
		off = d.varint()
		if off == 0 || off <= -24*3600 || off >= 24*3600 {
			d.fail("bad zone offset")
			return time.Time{}
		}
	default:
		d.fail("bad time")
		return time.Time{}
	}
	sec, nsec := d.varint(), d.uvarint()
	if nsec >= 1e9 {
		d.fail("bad nanoseconds")
	}
	if d.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if off == 0 {
		return t.UTC()
	}
	// As time.Parse gives it back from RFC 3339: the local zone when it
	// has this offset then, else a zone that only records the offset.
	if _, local := t.Zone(); int64(local) == off {
		return t
	}
	return t.In(time.FixedZone("", int(off)))
}

// corruptRecords decodes every statement, article, speaker and alert and
// names those that cannot be decoded, for Check.
func (t *Tx) corruptRecords() ([]Problem, error) {
	var probs []Problem
	scan := func(bucket []byte, name func(k []byte) string, decode func(raw []byte) error) error {
		return t.b(bucket).ForEach(func(k, v []byte) error {
			if t.ctx != nil {
				if err := t.ctx.Err(); err != nil {
					return err
				}
			}
			if err := decode(v); err != nil && len(probs) < 1000 {
				probs = append(probs, Problem{What: fmt.Sprintf("%s cannot be read: %v", name(k), err), Unreadable: true})
			}
			return nil
		})
	}
	var st Statement
	var a Article
	var sp Speaker
	var al Alert
	for _, s := range []struct {
		bucket []byte
		name   func(k []byte) string
		decode func(raw []byte) error
	}{
		{bStatements, recordName[Statement], func(raw []byte) error { return decodeStatement(raw, &st) }},
		{bArticles, recordName[Article], func(raw []byte) error { return decodeArticle(raw, &a) }},
		{bSpeakers, recordName[Speaker], func(raw []byte) error { return decodeSpeaker(raw, &sp) }},
		{bAlerts, recordName[Alert], func(raw []byte) error { return decodeAlert(raw, &al) }},
	} {
		if err := scan(s.bucket, s.name, s.decode); err != nil {
			return nil, err
		}
	}
	return probs, nil
}
