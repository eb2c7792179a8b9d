package store

import (
	"context"
	"encoding/binary"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// downgrade rewrites a current store's posting lists in the layout of
// schema v1 and v2 (one key per statement and list: term 0x00 stmt →
// flags, tf, date u64, speaker u64; speaker u64 + stmt → ∅; entity 0x00
// stmt → ∅) and marks the file as schema v; at v1, without the adapter
// state bucket; with document frequencies in their own bucket. short writes term postings as they were before the
// speaker was recorded (10 bytes).
func downgrade(t *testing.T, path string, v int, short bool) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		df, err := tx.CreateBucket(bIdxTermDFV2)
		if err != nil {
			return err
		}
		for _, m := range []struct {
			to []byte
			k  *listKind
		}{{bIdxTermV2, termLists}, {bIdxEntityV2, entityLists}, {bIdxSpeakerV2, speakerLists}} {
			old, err := tx.CreateBucket(m.to)
			if err != nil {
				return err
			}
			err = tx.Bucket(m.k.bucket).ForEach(func(k, v []byte) error {
				prefix := k[:len(k)-8]
				es, err := decodeBlock(nil, getU64(k[len(prefix):]), v, m.k.payload)
				if err != nil {
					return err
				}
				if m.k == termLists {
					term := prefix[:len(prefix)-1]
					if err := df.Put(term, u64(getU64(df.Get(term))+uint64(len(es)))); err != nil {
						return err
					}
				}
				for _, e := range es {
					var val []byte
					if m.k.payload {
						val = []byte{e.flags, e.tf}
						val = binary.BigEndian.AppendUint64(val, uint64(e.date))
						if short {
							val[0] &^= oneSource
						} else {
							val = binary.BigEndian.AppendUint64(val, e.speaker)
						}
					}
					if err := old.Put(blockKey(prefix, e.id), val); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			if err := tx.DeleteBucket(m.k.bucket); err != nil {
				return err
			}
		}
		if v < 2 {
			if err := tx.DeleteBucket(bState); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(keySchema, u64(uint64(v)))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// indexView is everything the posting lists answer, for comparing a store
// before and after a migration.
type indexView struct {
	search    map[string][]Hit
	speaker   map[uint64][]uint64
	entity    map[string][]uint64
	postings  map[string][]uint64
	df        map[string]uint64
	statement uint64
}

func viewIndexes(t *testing.T, s *Store, terms, entities []string, speakers []uint64) indexView {
	t.Helper()
	v := indexView{search: map[string][]Hit{}, speaker: map[uint64][]uint64{}, entity: map[string][]uint64{},
		postings: map[string][]uint64{}, df: map[string]uint64{}}
	err := s.View(context.Background(), func(tx *Tx) error {
		for _, term := range terms {
			hits, err := tx.Search([]string{term}, 100)
			if err != nil {
				return err
			}
			v.search[term] = hits
			v.df[term] = tx.TermDF(term)
			tx.TermPostings(term, math.MaxUint64, 0, func(id uint64, inText bool, date time.Time) bool {
				v.postings[term] = append(v.postings[term], id)
				return true
			})
		}
		for _, e := range entities {
			v.entity[e] = tx.StatementsByEntity(e, 0)
		}
		for _, sp := range speakers {
			v.speaker[sp] = tx.StatementsBySpeaker(sp, 0)
		}
		v.statement = tx.StatementCount()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (a indexView) equal(b indexView) bool {
	for term, hits := range a.search {
		if !slices.Equal(hits, b.search[term]) || !slices.Equal(a.postings[term], b.postings[term]) || a.df[term] != b.df[term] {
			return false
		}
	}
	for e, ids := range a.entity {
		if !slices.Equal(ids, b.entity[e]) {
			return false
		}
	}
	for sp, ids := range a.speaker {
		if !slices.Equal(ids, b.speaker[sp]) {
			return false
		}
	}
	return a.statement == b.statement && len(a.search) == len(b.search)
}

// fillForMigration writes enough that lists span several blocks, with a
// merged quote and a deleted article, and returns what to compare.
func fillForMigration(t *testing.T, s *Store) (terms, entities []string, speakers []uint64) {
	t.Helper()
	for i := range 40 {
		addArticle(t, s, "a"+string(rune('A'+i)), day.AddDate(0, 0, i), []string{"Jane Doe", "John Roe", "Ann Lee"}[i%3],
			"the bridge is safe", "taxes will fall on the bridge", "river water rises")
	}
	err := s.Update(context.Background(), func(tx *Tx) error {
		later := day.AddDate(1, 0, 0)
		if err := tx.PutArticle(&Article{ID: "e", Ingested: later, Published: later, TextHash: "he"}); err != nil {
			return err
		}
		st := &Statement{SpeakerID: 1, Text: "Paris and Rome", Terms: []string{"pari", "rome"}, Entities: []string{"paris", "rome"},
			Sources: []Source{{ArticleID: "e", Date: later}}}
		if err := tx.AddStatement(st); err != nil {
			return err
		}
		if _, err := tx.AddSource(2, Source{ArticleID: "e", Start: 50, Date: later}); err != nil {
			return err
		}
		_, _, err := tx.DeleteArticle("aC")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return []string{"bridge", "the", "river", "taxes", "pari", "absent"}, []string{"paris", "rome", "absent"}, []uint64{1, 2, 3, 4}
}

// A store written in the one-key-per-entry layout of v1 and v2 migrates
// to blocks with every answer of its indexes unchanged.
func TestMigratePostingsToBlocks(t *testing.T) {
	for _, c := range []struct {
		name    string
		version int
		short   bool
	}{{"v2", 2, false}, {"v1", 1, false}, {"v2 postings without speaker", 2, true}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.db")
			s, err := Open(path, Options{blockMax: 8})
			if err != nil {
				t.Fatal(err)
			}
			terms, entities, speakers := fillForMigration(t, s)
			want := viewIndexes(t, s, terms, entities, speakers)
			s.Close()
			downgrade(t, path, c.version, c.short)
			if c.short {
				for _, hits := range want.search {
					for i := range hits {
						hits[i].Speaker, hits[i].OneSource = 0, false
					}
				}
			}

			s, err = Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := viewIndexes(t, s, terms, entities, speakers); !got.equal(want) {
				t.Errorf("after migrating %s:\n got %+v\nwant %+v", c.name, got, want)
			}
			checkClean(t, s)
			s.db.View(func(tx *bolt.Tx) error {
				if v := schemaOf(tx); v != SchemaVersion {
					t.Errorf("schema = %d", v)
				}
				for _, b := range [][]byte{bIdxTermV2, bIdxEntityV2, bIdxSpeakerV2} {
					if tx.Bucket(b) != nil {
						t.Errorf("bucket %s left behind", b)
					}
				}
				return nil
			})
			// And the migrated store goes on indexing.
			addArticle(t, s, "new", day.AddDate(2, 0, 0), "Jane Doe", "the bridge is new")
			checkClean(t, s)
		})
	}
}
