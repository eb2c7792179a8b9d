package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fill sets every field of the struct v points to, recursively, to a
// value that is not the zero value, varying with seed: a field added to
// the model but forgotten by the codec fails the round trips below.
func fill(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		fill(t, v.Elem(), seed)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zone := time.FixedZone("", (seed%5+1)*1800)
			v.Set(reflect.ValueOf(time.Date(2020+seed%7, time.Month(1+seed%12), 1+seed%28, seed%24, 7, 9, 123456789+seed, zone)))
			return
		}
		for i := range v.NumField() {
			fill(t, v.Field(i), seed*31+i+1)
		}
	case reflect.String:
		v.SetString(strings.Repeat("é", 1+seed%3) + "x" + strings.Repeat("z", seed%50))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(seed*7919) - 4000)
	case reflect.Uint64:
		v.SetUint(uint64(seed)*0x9e3779b97f4a7c15 | 1)
	case reflect.Float64:
		v.SetFloat(float64(seed) / 7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 3, 3)
		for i := range 3 {
			fill(t, s.Index(i), seed*13+i)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 3 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, seed*17+i)
			fill(t, e, seed*19+i)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		t.Fatalf("fill: no rule for %s", v.Type())
	}
}

// viaJSON is v as the JSON records gave it back: what the binary form
// must give back too.
func viaJSON[T any](t *testing.T, v *T) T {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

type codec[T any] struct {
	encode func([]byte, *T) []byte
	decode func([]byte, *T) error
}

func roundTrip[T any](t *testing.T, c codec[T], v *T) {
	t.Helper()
	raw := c.encode(nil, v)
	if raw[0] != recordV1 {
		t.Fatalf("first byte %#x", raw[0])
	}
	var got T
	if err := c.decode(raw, &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if want := viaJSON(t, v); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, want)
	}
	// Decoding the JSON record gives the same.
	js, _ := json.Marshal(v)
	var old T
	if err := c.decode(js, &old); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
	if !reflect.DeepEqual(got, old) {
		t.Fatalf("binary and JSON records differ\nbinary %+v\n  JSON %+v", got, old)
	}
	// Encoding is deterministic (feature maps are written in key order).
	if again := c.encode(nil, &got); !bytes.Equal(again, raw) {
		t.Fatalf("re-encoding differs")
	}
	// Appending after a prefix leaves the prefix alone.
	pre := []byte("prefix")
	if both := c.encode(pre, v); !bytes.Equal(both[:6], pre) || !bytes.Equal(both[6:], raw) {
		t.Fatalf("encoding after a prefix differs")
	}
}

var (
	statementCodec = codec[Statement]{encodeStatement, decodeStatement}
	articleCodec   = codec[Article]{encodeArticle, decodeArticle}
	speakerCodec   = codec[Speaker]{encodeSpeaker, decodeSpeaker}
	alertCodec     = codec[Alert]{encodeAlert, decodeAlert}
)

func TestCodecEveryField(t *testing.T) {
	for seed := range 5 {
		roundTrip(t, statementCodec, filled[Statement](t, seed))
		roundTrip(t, articleCodec, filled[Article](t, seed))
		roundTrip(t, speakerCodec, filled[Speaker](t, seed))
		roundTrip(t, alertCodec, filled[Alert](t, seed))
	}
}

func filled[T any](t *testing.T, seed int) *T {
	v := new(T)
	fill(t, reflect.ValueOf(v), seed)
	return v
}

func TestCodecZeroValues(t *testing.T) {
	roundTrip(t, statementCodec, &Statement{})
	roundTrip(t, articleCodec, &Article{})
	roundTrip(t, speakerCodec, &Speaker{})
	roundTrip(t, alertCodec, &Alert{})
	// Zero fields inside lists.
	roundTrip(t, statementCodec, &Statement{Sources: []Source{{}, {}}})
	roundTrip(t, alertCodec, &Alert{Posts: []Post{{}}, Reasons: []string{""}})
	roundTrip(t, statementCodec, &Statement{Terms: []string{"", "a", ""}, Features: map[string]float64{"": 0}})
}

func TestCodecTextAndNumbers(t *testing.T) {
	big := strings.Repeat("Ünïcödé ‘quotes’ — 引用 🗞️\n", 40_000) // about 1.3 MB
	a := &Article{ID: "x", Text: big, Title: "“Title”", Statements: []uint64{5, 3, 1 << 63, 0, 1<<64 - 1, 7}}
	roundTrip(t, articleCodec, a)
	st := &Statement{ID: 1<<64 - 1, SpeakerID: 1, Text: big, Sources: []Source{{Start: -5, End: math.MaxInt64, Sentence: big}},
		Features: map[string]float64{"polarity": -1, "tiny": math.SmallestNonzeroFloat64, "huge": math.MaxFloat64, "neg0": math.Copysign(0, -1)}}
	roundTrip(t, statementCodec, st)

	// Bytes are kept as they are, even when not UTF-8 (JSON would have
	// replaced them; nothing valid changes).
	bad := &Speaker{Name: "a\xffb\x00c"}
	var got Speaker
	if err := decodeSpeaker(encodeSpeaker(nil, bad), &got); err != nil || got.Name != bad.Name {
		t.Fatalf("got %q, %v", got.Name, err)
	}
	// Numbers JSON cannot hold survive too.
	al := &Alert{Score: math.Inf(1)}
	var gotAl Alert
	if err := decodeAlert(encodeAlert(nil, al), &gotAl); err != nil || !math.IsInf(gotAl.Score, 1) {
		t.Fatalf("got %v, %v", gotAl.Score, err)
	}
}

func TestCodecTimes(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	for _, tm := range []time.Time{
		{},
		time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC),
		time.Date(2018, 7, 20, 23, 59, 59, 999999999, kolkata),
		time.Date(1969, 12, 31, 23, 59, 59, 1, time.FixedZone("", -8*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Now(), // local zone, with a monotonic reading
	} {
		a := &Article{ID: "t", Published: tm, Ingested: tm}
		roundTrip(t, articleCodec, a)
		var got Article
		if err := decodeArticle(encodeArticle(nil, a), &got); err != nil {
			t.Fatal(err)
		}
		_, wantOff := tm.Zone()
		if _, off := got.Published.Zone(); !got.Published.Equal(tm) || off != wantOff {
			t.Errorf("%v came back as %v", tm, got.Published)
		}
		if !tm.IsZero() && got.Published.Format(time.RFC3339Nano) != tm.Format(time.RFC3339Nano) {
			t.Errorf("%v shows as %s", tm, got.Published.Format(time.RFC3339Nano))
		}
	}
}

func TestCodecHeads(t *testing.T) {
	st := *filled[Statement](t, 3)
	want := Statement{ID: st.ID, SpeakerID: st.SpeakerID, Text: st.Text, Kind: st.Kind, Cue: st.Cue}
	for _, s := range st.Sources {
		s.Sentence = ""
		want.Sources = append(want.Sources, s)
	}
	headsAgree(t, &st, viaJSON(t, &want), statementCodec.encode, decodeStatementHead)

	a := *filled[Article](t, 4)
	wantA := a
	wantA.Text, wantA.Statements = "", nil
	headsAgree(t, &a, viaJSON(t, &wantA), articleCodec.encode, decodeArticleHead)
}

// headsAgree checks the head decoder gives want from v's binary and JSON
// records.
func headsAgree[T any](t *testing.T, v *T, want T, encode func([]byte, *T) []byte, head func([]byte, *T) error) {
	t.Helper()
	js, _ := json.Marshal(v)
	for name, raw := range map[string][]byte{"binary": encode(nil, v), "JSON": js} {
		var got T
		if err := head(raw, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s head\n got %+v\nwant %+v", name, got, want)
		}
	}
}

// A head is read without the tail: damage there does not stop a reply,
// and a whole read still finds it.
func TestCodecHeadSkipsTail(t *testing.T) {
	a := &Article{ID: "a", Title: "title", Text: "the long text of the article"}
	raw := encodeArticle(nil, a)
	raw[len(raw)-3] ^= 0x40
	var got Article
	if err := decodeArticleHead(raw, &got); err != nil || got.Title != "title" {
		t.Fatalf("head: %+v, %v", got, err)
	}
	if err := decodeArticle(raw, &got); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "tail checksum") {
		t.Fatalf("whole read of a damaged tail: %v", err)
	}
}

func TestCodecCorrupt(t *testing.T) {
	good := encodeStatement(nil, &Statement{ID: 4, Text: "we will", Sources: []Source{{ArticleID: "a"}}, Terms: []string{"will"}})
	cases := map[string][]byte{
		"empty":           {},
		"unknown form":    append([]byte{9}, good[1:]...),
		"short header":    good[:5],
		"wrong kind":      append([]byte{recordV1, kindArticle}, good[2:]...),
		"truncated":       good[:len(good)-2],
		"long head":       append(append([]byte{}, good[:2]...), append([]byte{0xff, 0xff, 0, 0}, good[6:]...)...),
		"flipped head":    flip(good, recordHeader+3),
		"flipped tail":    flip(good, len(good)-1),
		"extra byte":      append(append([]byte{}, good...), 0),
		"broken JSON":     []byte(`{"id": 4, "text": `),
		"JSON wrong type": []byte(`{"id": "four"}`),
	}
	for name, raw := range cases {
		var st Statement
		err := decodeStatement(raw, &st)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
	// A record whose checksums hold but whose fields do not parse (as a
	// bug writing it would leave).
	raw := resum(append(append([]byte{}, good[:recordHeader]...), 0x80))
	if err := decodeStatementHead(raw, &Statement{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad number: %v", err)
	}
}

func flip(b []byte, i int) []byte {
	out := append([]byte{}, b...)
	out[i] ^= 1
	return out
}

// resum makes raw's header describe the rest as head, with checksums.
func resum(raw []byte) []byte {
	e := &encoder{b: raw}
	head := recordHeader
	return e.finish(head, e.split(head))
}

// Stores written before the binary form hold JSON records: they are read
// as before, and rewritten in the binary form when next written.
func TestOldJSONRecords(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	at := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	a := Article{ID: "old", URL: "https://example.org/old", Title: "Old", Ingested: at, TextHash: "h", Text: "Old text.", Statements: []uint64{1}}
	st := Statement{ID: 1, SpeakerID: 1, Text: "old words", Kind: "direct", QuoteHash: "q",
		Sources: []Source{{ArticleID: "old", Start: 1, End: 9, Sentence: "“old words”, she said.", Date: at}},
		Terms:   []string{"old", "word"}, Features: map[string]float64{"polarity": 1}}
	sp := Speaker{ID: 1, Name: "Ann Old", Type: "person"}
	al := Alert{ID: 1, New: 1, Old: 1, Score: 0.5, Reasons: []string{"why"}, Created: at, State: AlertOpen}
	err := s.Update(ctx, func(tx *Tx) error {
		for _, r := range []struct {
			bucket, key []byte
			v           any
		}{{bArticles, []byte(a.ID), a}, {bStatements, u64(1), st}, {bSpeakers, u64(1), sp}, {bAlerts, u64(1), al}} {
			raw, err := json.Marshal(r.v)
			if err != nil {
				return err
			}
			if err := tx.b(r.bucket).Put(r.key, raw); err != nil {
				return err
			}
		}
		return tx.RebuildIndexes()
	})
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, s)
	err = s.View(ctx, func(tx *Tx) error {
		gotA, ok, err := tx.Article("old")
		if err != nil || !ok || !reflect.DeepEqual(gotA, a) {
			t.Errorf("article: %+v %v %v", gotA, ok, err)
		}
		head, _, err := tx.ArticleHead("old")
		if err != nil || head.Title != "Old" || head.Text != "" || !head.Ingested.Equal(at) {
			t.Errorf("article head: %+v %v", head, err)
		}
		gotSt, _, err := tx.Statement(1)
		if err != nil || !reflect.DeepEqual(gotSt, st) {
			t.Errorf("statement: %+v %v", gotSt, err)
		}
		sh, _, err := tx.StatementHead(1)
		if err != nil || sh.Text != "old words" || sh.Terms != nil || sh.Sources[0].Sentence != "" || sh.Sources[0].End != 9 {
			t.Errorf("statement head: %+v %v", sh, err)
		}
		gotSp, _, err := tx.Speaker(1)
		if err != nil || !reflect.DeepEqual(gotSp, sp) {
			t.Errorf("speaker: %+v %v", gotSp, err)
		}
		gotAl, _, err := tx.Alert(1)
		if err != nil || !reflect.DeepEqual(gotAl, al) {
			t.Errorf("alert: %+v %v", gotAl, err)
		}
		found, err := tx.FindSpeakers("ann")
		if err != nil || len(found) != 1 {
			t.Errorf("find speakers: %v %v", found, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Writing them again stores the binary form.
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.SetFeatures(1, map[string]float64{"polarity": -1}); err != nil {
			return err
		}
		if _, err := tx.SetAlertState(1, AlertDismissed, "cli:ed", at); err != nil {
			return err
		}
		sp.Role = "minister"
		if err := tx.PutSpeaker(&sp); err != nil {
			return err
		}
		a2 := &Article{ID: "new", Ingested: at, TextHash: "h2", Text: "New text."}
		if err := tx.PutArticle(a2); err != nil {
			return err
		}
		_, err := tx.AddSource(1, Source{ArticleID: "new", Start: 0, End: 3, Date: at})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx *Tx) error {
		for name, raw := range map[string][]byte{
			"statement": tx.b(bStatements).Get(u64(1)), "speaker": tx.b(bSpeakers).Get(u64(1)),
			"alert": tx.b(bAlerts).Get(u64(1)), "new article": tx.b(bArticles).Get([]byte("new")),
		} {
			if len(raw) == 0 || raw[0] != recordV1 {
				t.Errorf("%s not rewritten in the binary form: %.20q", name, raw)
			}
		}
		gotSt, _, err := tx.Statement(1)
		if err != nil || gotSt.Features["polarity"] != -1 || len(gotSt.Sources) != 2 || gotSt.Sources[0].Sentence != st.Sources[0].Sentence {
			t.Errorf("rewritten statement: %+v %v", gotSt, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, s)
}

// Check names a record it cannot decode instead of failing as a whole.
func TestCheckReportsCorruptRecord(t *testing.T) {
	s := openTemp(t)
	ids := addArticle(t, s, "a1", day, "Jane Doe", "we will build the bridge", "the bridge is safe")
	ctx := context.Background()
	err := s.Update(ctx, func(tx *Tx) error {
		raw := append([]byte{}, tx.b(bStatements).Get(u64(ids[1]))...)
		raw[recordHeader+2] ^= 0x20
		return tx.b(bStatements).Put(u64(ids[1]), raw)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx *Tx) error {
		probs, err := tx.Check()
		if err != nil {
			t.Fatalf("check failed instead of reporting: %v", err)
		}
		if len(probs) != 1 || !strings.Contains(probs[0].What, "statement S2") || !strings.Contains(probs[0].What, "checksum") || !probs[0].Unreadable {
			t.Errorf("problems: %+v", probs)
		}
		if _, _, err := tx.Statement(ids[1]); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "statement S2") {
			t.Errorf("reading it: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	t := &testing.T{}
	for seed := range 2 {
		f.Add(encodeStatement(nil, filled[Statement](t, seed)))
		f.Add(encodeArticle(nil, filled[Article](t, seed)))
		f.Add(encodeSpeaker(nil, filled[Speaker](t, seed)))
		f.Add(encodeAlert(nil, filled[Alert](t, seed)))
	}
	js, _ := json.Marshal(filled[Statement](t, 0))
	f.Add(js)
	f.Add([]byte{recordV1, kindStatement, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})
	f.Fuzz(func(t *testing.T, raw []byte) {
		// Checksums stop most mutations at the door: also try the bytes
		// with their checksums made right, so the field decoders see them.
		inputs := [][]byte{raw}
		if len(raw) >= recordHeader && raw[0] == recordV1 {
			if h := int(uint32(raw[2]) | uint32(raw[3])<<8 | uint32(raw[4])<<16 | uint32(raw[5])<<24); h >= 0 && h <= len(raw)-recordHeader {
				fixed := append([]byte{}, raw...)
				e := &encoder{b: fixed}
				inputs = append(inputs, e.finish(recordHeader, recordHeader+h))
			}
		}
		for _, in := range inputs {
			fuzzOne(t, in, statementCodec)
			fuzzOne(t, in, articleCodec)
			fuzzOne(t, in, speakerCodec)
			fuzzOne(t, in, alertCodec)
			var h Statement
			if err := decodeStatementHead(in, &h); err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("statement head: error %v does not wrap ErrCorrupt", err)
			}
			var ah Article
			if err := decodeArticleHead(in, &ah); err != nil && !errors.Is(err, ErrCorrupt) {
				t.Fatalf("article head: error %v does not wrap ErrCorrupt", err)
			}
		}
	})
}

// fuzzOne decodes raw; what decodes must encode and decode to the same.
func fuzzOne[T any](t *testing.T, raw []byte, c codec[T]) {
	var v T
	err := c.decode(raw, &v)
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
		return
	}
	again := c.encode(nil, &v)
	var w T
	if err := c.decode(again, &w); err != nil {
		t.Fatalf("re-encoded record does not decode: %v", err)
	}
	if !bytes.Equal(c.encode(nil, &w), again) {
		t.Fatalf("decode and encode are not stable")
	}
}
