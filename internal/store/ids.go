package store

import bolt "go.etcd.io/bbolt"

// LastStatementID is the highest statement id given so far (0: none): ids
// run from 1 to it, with gaps where statements were deleted.
func (t *Tx) LastStatementID() uint64 { return t.b(bStatements).Sequence() }

// appended are the buckets whose keys grow with time (sequence numbers,
// dates), so that writes land at their end.
var appended = [][]byte{bStatements, bSpeakers, bAlerts, bIdxTime, bIdxArticleTime}

// fillAppended packs the pages of appended buckets: bbolt splits a page
// in half by default, which leaves every page of a bucket only ever
// appended to half empty.
func fillAppended(tx *bolt.Tx) {
	for _, name := range appended {
		if b := tx.Bucket(name); b != nil {
			b.FillPercent = 0.9
		}
	}
}
