package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"newsbot/internal/control"
	"newsbot/internal/store"
)

// openStore opens the configured database for a maintenance command.
func openStore(c *common, readOnly bool, stderr io.Writer) (*store.Store, string, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, "", err
	}
	st, err := store.Open(cfg.Database.Path, store.Options{LockTimeout: cfg.Database.LockTimeout.Duration(),
		ReadOnly: readOnly, Logger: newLogger(cfg, stderr)})
	return st, cfg.Database.Path, err
}

// runBackup writes a consistent copy of the database to OUT. When the bot
// is running on it, the running bot writes the copy.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("backup", "[--db PATH] OUT", stderr)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("backup needs exactly one output file")
	}
	out := fs.Arg(0)
	st, path, err := openStore(&c, true, stderr)
	var n int64
	switch {
	case lockedErr(err):
		abs, aerr := absPath(out)
		if aerr != nil {
			return aerr
		}
		resp, cerr := control.Call(ctx, path, control.Request{Op: "backup", Path: abs})
		if cerr != nil {
			return fmt.Errorf("%w; asking the running bot failed too: %w", err, cerr)
		}
		n = resp.Bytes
	case err != nil:
		return err
	default:
		defer st.Close()
		if n, err = st.BackupFile(ctx, out); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "backed up %s to %s (%d bytes)\n", path, out, n)
	return nil
}

func absPath(p string) (string, error) {
	if strings.HasPrefix(p, "/") {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return wd + "/" + p, nil
}

// exportRow is one statement-source pair in an export.
type exportRow struct {
	Statement   string    `json:"statement"`
	Speaker     string    `json:"speaker"`
	SpeakerType string    `json:"speaker_type"`
	Role        string    `json:"role,omitempty"`
	Affiliation string    `json:"affiliation,omitempty"`
	Text        string    `json:"text"`
	Kind        string    `json:"kind"`
	Cue         string    `json:"cue,omitempty"`
	Sources     []srcLine `json:"sources"`
}

type srcLine struct {
	Article   string    `json:"article"`
	Outlet    string    `json:"outlet,omitempty"`
	Title     string    `json:"title,omitempty"`
	URL       string    `json:"url,omitempty"`
	File      string    `json:"file,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
}

// runExport dumps every statement with its speaker and sources: JSON lines
// (one statement a line) or CSV (one row per statement and source).
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("export", "[--db PATH] [--format jsonl|csv] [--out FILE]", stderr)
	c.register(fs)
	format := fs.String("format", "jsonl", "jsonl or csv")
	outPath := fs.String("out", "", "write to FILE instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return usagef("--format %q: want jsonl or csv", *format)
	}
	st, _, err := openStore(&c, true, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	w := stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	cw := csv.NewWriter(w)
	if *format == "csv" {
		cw.Write([]string{"statement", "speaker", "speaker_type", "role", "affiliation", "text", "kind", "cue",
			"article", "outlet", "title", "url", "file", "published", "start", "end"})
	}
	n := 0
	err = st.View(ctx, func(tx *store.Tx) error {
		return tx.ForEachStatement(func(s *store.Statement) error {
			row, err := exportOf(tx, s)
			if err != nil {
				return err
			}
			n++
			if *format == "jsonl" {
				return enc.Encode(row)
			}
			for _, src := range row.Sources {
				pub := ""
				if !src.Published.IsZero() {
					pub = src.Published.Format("2006-01-02")
				}
				cw.Write([]string{row.Statement, row.Speaker, row.SpeakerType, row.Role, row.Affiliation, row.Text,
					row.Kind, row.Cue, src.Article, src.Outlet, src.Title, src.URL, src.File, pub,
					strconv.Itoa(src.Start), strconv.Itoa(src.End)})
			}
			return cw.Error()
		})
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "exported %d statements\n", n)
	return nil
}

func exportOf(tx *store.Tx, s *store.Statement) (exportRow, error) {
	row := exportRow{Statement: store.StatementRef(s.ID), Text: s.Text, Kind: s.Kind, Cue: s.Cue}
	sp, ok, err := tx.Speaker(s.SpeakerID)
	if err != nil {
		return row, err
	}
	if ok {
		row.Speaker, row.SpeakerType, row.Role, row.Affiliation = sp.Name, sp.Type, sp.Role, sp.Affiliation
	}
	for _, src := range s.Sources {
		line := srcLine{Article: src.ArticleID, Start: src.Start, End: src.End}
		a, ok, err := tx.Article(src.ArticleID)
		if err != nil {
			return row, err
		}
		if ok {
			line.Outlet, line.Title, line.URL, line.File, line.Published = a.Outlet, a.Title, a.URL, a.File, a.Published
		}
		row.Sources = append(row.Sources, line)
	}
	return row, nil
}

// runCheck verifies the database; --repair rebuilds every index from the
// records first.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("check", "[--db PATH] [--repair] [--json]", stderr)
	c.register(fs)
	repair := fs.Bool("repair", false, "rebuild the indexes from the records, then check")
	asJSON := fs.Bool("json", false, "print one JSON line per problem")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, path, err := openStore(&c, !*repair, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	if *repair {
		if err := st.Update(ctx, func(tx *store.Tx) error { return tx.RebuildIndexes() }); err != nil {
			return fmt.Errorf("repair: %w", err)
		}
		fmt.Fprintln(stderr, "rebuilt indexes")
	}
	var probs []store.Problem
	if err := st.View(ctx, func(tx *store.Tx) error {
		probs, err = tx.Check()
		return err
	}); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	for _, p := range probs {
		if *asJSON {
			json.NewEncoder(stdout).Encode(p)
		} else {
			fmt.Fprintln(stdout, p.What)
		}
	}
	if len(probs) > 0 {
		hint := "bot check --repair rebuilds indexes"
		for _, p := range probs {
			if p.Unreadable {
				hint = "a record that cannot be read is not mended by --repair: restore a backup with bot restore"
				break
			}
		}
		return fmt.Errorf("%s: %d problems (%s)", path, len(probs), hint)
	}
	fmt.Fprintf(stderr, "%s: all invariants hold\n", path)
	return nil
}
