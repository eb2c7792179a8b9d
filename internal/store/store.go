// Package store keeps articles, statements, speakers, alerts, feeds and
// stories in one bbolt file, with the indexes that answer chat queries.
//
// Writes go through Update, reads through View; both hand the callback a
// *Tx. bbolt runs any number of read transactions beside the one writer, so
// queries never wait for an ingest to commit.
package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 3

// Bucket names. Statements, articles, speakers and alerts are in the binary
// form of codec.go (JSON records from older stores are still read); feeds
// and stories are JSON; index keys are described where they are written
// (index.go).
var (
	bMeta       = []byte("meta")
	bArticles   = []byte("articles")   // article id → Article
	bStatements = []byte("statements") // u64 id → Statement
	bSpeakers   = []byte("speakers")   // u64 id → Speaker
	bAlerts     = []byte("alerts")     // u64 id → Alert
	bFeeds      = []byte("feeds")      // u64 id → Feed
	bFeedItems  = []byte("feed_items") // feed id u64 + item key → first seen
	bStories    = []byte("stories")    // name → Story
	bState      = []byte("state")      // adapter state: key → opaque value (schema v2)

	bIdxTime        = []byte("idx_time")         // latest date i64 + stmt u64 → ∅
	bIdxQuote       = []byte("idx_quote")        // quote hash 0x00 stmt u64 → ∅
	bIdxAlias       = []byte("idx_alias")        // alias 0x00 speaker u64 → ∅
	bIdxURL         = []byte("idx_url")          // canonical URL → article id
	bIdxTextHash    = []byte("idx_text_hash")    // text hash → article id
	bIdxArticleTime = []byte("idx_article_time") // ingested i64 + article id → ∅
	bIdxAlertPair   = []byte("idx_alert_pair")   // stmt u64 + stmt u64 (low, high) → alert u64

	// Posting lists in blocks (schema v3; postings.go).
	bIdxTermBlocks    = []byte("idx_term_blocks")    // term 0x00 first stmt u64 → block of postings
	bIdxEntityBlocks  = []byte("idx_entity_blocks")  // entity 0x00 first stmt u64 → block of ids
	bIdxSpeakerBlocks = []byte("idx_speaker_blocks") // speaker u64 + first stmt u64 → block of ids

	// One entry per statement and list (schema v1 and v2), packed into the
	// blocks above by the migration to v3.
	bIdxTermV2    = []byte("idx_term")    // term 0x00 stmt u64 → posting (10 or 18 bytes)
	bIdxSpeakerV2 = []byte("idx_speaker") // speaker u64 + stmt u64 → ∅
	bIdxEntityV2  = []byte("idx_entity")  // entity 0x00 stmt u64 → ∅
	bIdxTermDFV2  = []byte("idx_term_df") // term → u64 statements holding it (v3: in the list's last block)
)

// v1Buckets are the buckets of the first schema, as it created them.
var v1Buckets = [][]byte{
	bMeta, bArticles, bStatements, bSpeakers, bAlerts, bFeeds, bFeedItems, bStories, bState,
	bIdxTermV2, bIdxTermDFV2, bIdxSpeakerV2, bIdxEntityV2, bIdxTime, bIdxQuote, bIdxAlias,
	bIdxURL, bIdxTextHash, bIdxArticleTime, bIdxAlertPair,
}

// indexBuckets are the buckets RebuildIndexes rebuilds from the records.
var indexBuckets = [][]byte{bIdxTermBlocks, bIdxSpeakerBlocks, bIdxEntityBlocks, bIdxTime, bIdxQuote,
	bIdxAlias, bIdxURL, bIdxTextHash, bIdxArticleTime, bIdxAlertPair}

var keySchema = []byte("schema")

// ErrLocked is returned by Open when another process holds the database.
var ErrLocked = errors.New("database is locked by another process")

// ErrNotFound is returned for an id that names nothing.
var ErrNotFound = errors.New("not found")

// Options tune Open.
type Options struct {
	// LockTimeout bounds the wait for another process's lock (default 2s).
	LockTimeout time.Duration
	// ReadOnly opens the file for queries only; it must exist.
	ReadOnly bool
	// NoSync skips fsync on commit: only for benchmarks and throwaway stores.
	NoSync bool
	Logger *slog.Logger
	// migrations replaces the built-in migrations (tests).
	migrations []Migration
	// version replaces SchemaVersion (tests).
	version int
	// blockMax replaces the entries a posting block holds (tests).
	blockMax int
}

// Migration upgrades the file from schema From to From+1 inside the
// opening write transaction.
type Migration struct {
	From  int
	Name  string
	Apply func(tx *bolt.Tx) error
}

// builtinMigrations brings an empty file (schema 0) to SchemaVersion. Add
// one entry per future layout change; never edit an old one.
func builtinMigrations() []Migration {
	return []Migration{
		{From: 0, Name: "create buckets", Apply: createBuckets(v1Buckets)},
		{From: 1, Name: "add adapter state", Apply: createBuckets([][]byte{bState})},
		{From: 2, Name: "pack posting lists into blocks", Apply: packPostings},
	}
}

// createBuckets makes a migration step that creates the named buckets
// (those already there are kept).
func createBuckets(names [][]byte) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		for _, b := range names {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return nil
	}
}

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db       *bolt.DB
	path     string
	log      *slog.Logger
	blockMax int
}

// Open opens or creates the database at path and brings its schema up to
// date. When another process holds the file, Open fails with ErrLocked after
// opts.LockTimeout instead of waiting forever.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.migrations == nil {
		opts.migrations = builtinMigrations()
	}
	if opts.version == 0 {
		opts.version = SchemaVersion
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	} else if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create directory for database: %w", err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opts.LockTimeout,
		ReadOnly:        opts.ReadOnly,
		NoSync:          opts.NoSync,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: 1 << 30, // readers never wait for a remap below 1 GiB
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w (waited %s; is another newsbot running on it?)", path, ErrLocked, opts.LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: db, path: path, log: opts.Logger, blockMax: opts.blockMax}
	if err := s.migrate(opts); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(opts Options) error {
	var have int
	if err := s.db.View(func(tx *bolt.Tx) error {
		have = schemaOf(tx)
		return nil
	}); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case have > opts.version:
		return fmt.Errorf("database %s has schema v%d, newer than this newsbot understands (v%d): upgrade newsbot", s.path, have, opts.version)
	case have == opts.version:
		return nil
	case opts.ReadOnly:
		return fmt.Errorf("database %s has schema v%d and needs migrating to v%d: open it once read-write", s.path, have, opts.version)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for v := have; v < opts.version; v++ {
			m, ok := findMigration(opts.migrations, v)
			if !ok {
				return fmt.Errorf("no migration from schema v%d", v)
			}
			if err := m.Apply(tx); err != nil {
				return fmt.Errorf("migrate v%d→v%d (%s): %w", v, v+1, m.Name, err)
			}
			level := slog.LevelInfo
			if have == 0 {
				level = slog.LevelDebug // a new file: nothing to tell the operator
			}
			s.log.Log(context.Background(), level, "migrated database", "path", s.path, "from", v, "to", v+1, "step", m.Name)
		}
		meta, err := tx.CreateBucketIfNotExists(bMeta)
		if err != nil {
			return err
		}
		return meta.Put(keySchema, u64(uint64(opts.version)))
	})
}

func findMigration(ms []Migration, from int) (Migration, bool) {
	for _, m := range ms {
		if m.From == from {
			return m, true
		}
	}
	return Migration{}, false
}

func schemaOf(tx *bolt.Tx) int {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		return 0
	}
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database, waiting for open transactions.
func (s *Store) Close() error { return s.db.Close() }

// View runs fn in a read transaction: a consistent snapshot that never waits
// for a writer.
func (s *Store) View(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(btx *bolt.Tx) error { return fn(&Tx{tx: btx, ctx: ctx}) })
}

// Update runs fn in the write transaction; everything fn writes commits
// together or not at all.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(btx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		fillAppended(btx)
		tx := &Tx{tx: btx, ctx: ctx, pend: newPending(s.blockMax)}
		if err := fn(tx); err != nil {
			return err
		}
		if err := tx.saveLinking(); err != nil {
			return err
		}
		// The posting lists fn changed, each written once.
		return tx.flush()
	})
}

// Backup writes a consistent copy of the whole database to w while other
// transactions go on.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.View(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupFile writes a consistent copy to path atomically (temp file, fsync,
// rename), so a half-written backup never replaces a good one.
func (s *Store) BackupFile(ctx context.Context, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := s.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	return n, nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func getU64(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
