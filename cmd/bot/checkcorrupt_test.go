package main

import (
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A record that cannot be read is named by `bot check`, and the hint does
// not promise that --repair mends it.
func TestCheckNamesUnreadableRecord(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	if _, stderr, err := bot(t, "", "ingest", "--db", db, "cmd/bot/testdata/bridge.txt"); err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr)
	}
	if _, stderr, err := bot(t, "", "check", "--db", db); err != nil {
		t.Fatalf("check of a sound store: %v\n%s", err, stderr)
	}
	bdb, err := bolt.Open(db, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("statements"))
		k, v := b.Cursor().First()
		if k == nil {
			t.Fatal("no statement stored")
		}
		bad := append([]byte(nil), v...)
		bad[len(bad)-1] ^= 0xff // inside the record's tail: its checksum no longer matches
		return b.Put(k, bad)
	})
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := bot(t, "", "check", "--db", db)
	if err == nil {
		t.Fatalf("check passed a store with a damaged record:\n%s", stdout)
	}
	if !strings.Contains(stdout, "cannot be read") || !strings.Contains(stderr, "restore a backup") {
		t.Errorf("check said\n%s\n%s", stdout, stderr)
	}
}
