package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"newsbot/internal/store"
)

// runRestore replaces the database with a backup. The backup is checked
// first (copied beside the database, migrated if it is older, every
// invariant verified); the database must not be in use; the file it
// replaces is kept as PATH.pre-restore-TIME, so a restore loses nothing.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("restore", "[--db PATH] BACKUP", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("restore needs exactly one backup file")
	}
	backup := fs.Arg(0)
	if _, err := os.Stat(backup); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	target := cfg.Database.Path
	opts := store.Options{LockTimeout: cfg.Database.LockTimeout.Duration(), Logger: newLogger(cfg, stderr)}

	// Hold the database's lock for the whole restore: a running bot makes
	// this fail here, before anything is touched.
	cur, err := store.Open(target, opts)
	if err != nil {
		if lockedErr(err) {
			return fmt.Errorf("restore: %w: stop the bot first", err)
		}
		return fmt.Errorf("restore: %w", err)
	}
	defer cur.Close()

	staged, counts, err := stageBackup(ctx, backup, filepath.Dir(target), opts)
	if err != nil {
		return err
	}
	defer os.Remove(staged) // gone already once renamed into place

	kept := fmt.Sprintf("%s.pre-restore-%s", target, time.Now().UTC().Format("20060102T150405Z"))
	if _, err := cur.BackupFile(ctx, kept); err != nil {
		return fmt.Errorf("restore: keep the current database: %w", err)
	}
	if err := os.Rename(staged, target); err != nil {
		return fmt.Errorf("restore: put the backup in place: %w", err)
	}
	fmt.Fprintf(stderr, "restored %s from %s: %d articles, %d statements, %d speakers, %d alerts; the replaced database is kept as %s\n",
		target, backup, counts.Articles, counts.Statements, counts.Speakers, counts.Alerts, kept)
	return nil
}

// stageBackup copies the backup into dir, opens the copy (migrating an
// older schema) and checks every invariant. It returns the copy's path.
func stageBackup(ctx context.Context, backup, dir string, opts store.Options) (string, store.Counts, error) {
	var counts store.Counts
	tmp, err := os.CreateTemp(dir, ".restore-*")
	if err != nil {
		return "", counts, fmt.Errorf("restore: %w", err)
	}
	name := tmp.Name()
	fail := func(err error) (string, store.Counts, error) {
		tmp.Close()
		os.Remove(name)
		return "", counts, err
	}
	src, err := os.Open(backup)
	if err != nil {
		return fail(fmt.Errorf("restore: %w", err))
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(fmt.Errorf("restore: copy %s: %w", backup, err))
	}
	st, err := store.Open(name, opts)
	if err != nil {
		return fail(fmt.Errorf("restore: %s is not a usable newsbot database: %w", backup, err))
	}
	var probs []store.Problem
	err = st.View(ctx, func(tx *store.Tx) error {
		var err error
		if probs, err = tx.Check(); err != nil {
			return err
		}
		counts, err = tx.Counts()
		return err
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err == nil && len(probs) > 0 {
		err = fmt.Errorf("%d problems, the first: %s", len(probs), probs[0].What)
	}
	if err != nil {
		return fail(fmt.Errorf("restore: %s fails the check: %w", backup, err))
	}
	return name, counts, nil
}
