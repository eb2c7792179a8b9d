package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// packPostings migrates schema v2 to v3: the term, entity and speaker
// indexes, one key per statement and list, become posting lists in
// blocks (postings.go), each list's length (a term's document frequency)
// in its last block. Each old bucket is read once in key order, which is
// list by list and, within a list, by ascending statement id: the order
// the blocks are written in, full. The old buckets, and the document
// frequencies, are then dropped.
func packPostings(tx *bolt.Tx) error {
	for _, m := range []struct {
		from []byte
		k    *listKind
	}{{bIdxTermV2, termLists}, {bIdxEntityV2, entityLists}, {bIdxSpeakerV2, speakerLists}} {
		nb, err := tx.CreateBucketIfNotExists(m.k.bucket)
		if err != nil {
			return fmt.Errorf("create %s: %w", m.k.bucket, err)
		}
		nb.FillPercent = 0.9 // written in key order
		old := tx.Bucket(m.from)
		if old == nil {
			continue
		}
		var prefix []byte
		var es []entry
		put := func() error {
			err := putBlocks(nb, m.k, prefix, es, defaultBlockMax, true, uint64(len(es)))
			es = es[:0]
			return err
		}
		c := old.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			e, p, ok := oldEntry(m.k, k, v)
			if !ok {
				continue // malformed: `bot check` reports what is missing, a rebuild restores it
			}
			if !bytes.Equal(p, prefix) {
				if err := put(); err != nil {
					return err
				}
				prefix = slices.Clone(p)
			}
			es = append(es, e)
		}
		if err := put(); err != nil {
			return err
		}
		if err := tx.DeleteBucket(m.from); err != nil {
			return fmt.Errorf("drop %s: %w", m.from, err)
		}
	}
	if tx.Bucket(bIdxTermDFV2) != nil {
		if err := tx.DeleteBucket(bIdxTermDFV2); err != nil {
			return fmt.Errorf("drop %s: %w", bIdxTermDFV2, err)
		}
	}
	return nil
}

// oldEntry reads one key (and posting) of a v2 index: the list's prefix
// and the entry.
func oldEntry(k *listKind, key, v []byte) (entry, []byte, bool) {
	if len(key) < 8 || (k.sep && (len(key) < 9 || key[len(key)-9] != 0)) || (!k.sep && len(key) != 16) {
		return entry{}, nil, false
	}
	e := entry{id: getU64(key[len(key)-8:])}
	if k.payload {
		if len(v) < 10 {
			return entry{}, nil, false
		}
		e.flags, e.tf, e.date = v[0], v[1], int64(binary.BigEndian.Uint64(v[2:10]))
		if len(v) >= 18 {
			e.speaker = getU64(v[10:18])
		} else {
			e.flags &^= oneSource // as v2 read a posting without its speaker
		}
	}
	return e, key[:len(key)-8], true
}
