package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"newsbot/internal/ingest"
	"newsbot/internal/notify"
)

// alertLine is one alert in `bot ingest --json` output (the contract).
type alertLine struct {
	Kind   string    `json:"kind"`
	ID     string    `json:"id"`
	Score  float64   `json:"score"`
	Reason string    `json:"reason"`
	Same   bool      `json:"same_speaker,omitempty"`
	New    claimLine `json:"new"`
	Old    claimLine `json:"old"`
}

type claimLine struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
	Article string `json:"article"`
}

func toAlertLine(a notify.Alert) alertLine {
	return alertLine{Kind: "contradiction", ID: a.ID, Score: a.Score, Reason: strings.Join(a.Reasons, "; "),
		Same: a.SameSpeaker,
		New:  claimLine{Speaker: a.New.Speaker, Text: a.New.Text, Article: a.New.Article},
		Old:  claimLine{Speaker: a.Old.Speaker, Text: a.Old.Text, Article: a.Old.Article}}
}

// runIngest ingests files, directories and URLs in the order given. With
// --json it prints one line per alert raised; progress and the summary go
// to stderr. A failing item is reported and skipped; the exit status is 1
// when any failed.
func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlagSet("ingest", "[--db PATH] [--json] [--outlet NAME] [--date YYYY-MM-DD] [--batch N] FILE|DIR|URL...", stderr)
	c.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON line per alert raised")
	outlet := fs.String("outlet", "", "outlet that published the articles")
	dateFlag := fs.String("date", "", "publication date of the articles, YYYY-MM-DD")
	batch := fs.Int("batch", 100, "files written in one transaction, extracted on every core (1: one at a time)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("ingest needs files, directories or URLs")
	}
	var published time.Time
	if *dateFlag != "" {
		var err error
		if published, err = time.Parse("2006-01-02", *dateFlag); err != nil {
			return usagef("--date %q: want YYYY-MM-DD", *dateFlag)
		}
	}
	items, err := expand(fs.Args())
	if err != nil {
		return err
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := open(cfg, log, nil)
	if err != nil {
		return err
	}
	defer a.Close()

	enc := json.NewEncoder(stdout)
	var failed, dups, alerts, stmts int
	start := time.Now()
	prog := newProgress(stderr, len(items))
	report := func(i int, res ingest.Result, err error) error {
		item := items[i]
		if err != nil {
			failed++
			prog.item(fmt.Sprintf("[%d/%d] %s: FAILED: %v", i+1, len(items), item, err))
			return nil
		}
		if res.DuplicateOf != "" {
			dups++
			prog.item(fmt.Sprintf("[%d/%d] %s: already stored as %s, skipped", i+1, len(items), item, duplicateOf(res)))
			return nil
		}
		stmts += res.New
		alerts += len(res.Alerts)
		prog.item(fmt.Sprintf("[%d/%d] %s: %d new statements, %d merged, %d alerts", i+1, len(items), item,
			res.New, res.Merged, len(res.Alerts)))
		if *asJSON {
			for _, al := range res.Alerts {
				if err := enc.Encode(toAlertLine(al)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := 0; i < len(items); {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted after %d of %d: %w", i, len(items), err)
		}
		if webItem(items[i]) || *batch <= 1 {
			res, err := ingestItem(ctx, a, items[i], *outlet, published)
			if err := report(i, res, err); err != nil {
				return err
			}
			i++
			continue
		}
		// A run of files: read, extracted on every core and written in one
		// transaction, in the order given; reported once committed.
		end := i
		var inputs []ingest.Input
		readErr := map[int]error{}
		for ; end < len(items) && !webItem(items[end]) && end-i < *batch; end++ {
			inp, err := readItem(items[end], *outlet, published)
			if err != nil {
				readErr[end] = err
				continue
			}
			inputs = append(inputs, inp)
		}
		out, err := a.ingester.IngestBatch(ctx, inputs)
		if err != nil {
			return fmt.Errorf("interrupted after %d of %d: %w", i, len(items), err)
		}
		for n, k := i, 0; n < end; n++ {
			var res ingest.Result
			err := readErr[n]
			if err == nil {
				res, err = out[k].Result, out[k].Err
				k++
			}
			if err := report(n, res, err); err != nil {
				return err
			}
		}
		i = end
	}
	fmt.Fprintf(stderr, "done: %d items in %s (%s): %d ingested, %d duplicates, %d failed; %d new statements, %d alerts\n",
		len(items), time.Since(start).Round(time.Millisecond), prog.rate(), len(items)-failed-dups, dups, failed, stmts, alerts)
	if failed > 0 {
		return fmt.Errorf("%d of %d items failed", failed, len(items))
	}
	return nil
}

func ingestItem(ctx context.Context, a *app, item, outlet string, published time.Time) (ingest.Result, error) {
	if webItem(item) {
		return ingestWeb(ctx, a, item, outlet, published)
	}
	inp, err := readItem(item, outlet, published)
	if err != nil {
		return ingest.Result{}, err
	}
	return a.ingester.Ingest(ctx, inp)
}

// readItem reads a file to ingest: UTF-8 text, its first line the headline.
func readItem(item, outlet string, published time.Time) (ingest.Input, error) {
	data, err := os.ReadFile(item)
	if err != nil {
		return ingest.Input{}, err
	}
	if !utf8.Valid(data) {
		return ingest.Input{}, fmt.Errorf("not UTF-8 text")
	}
	return ingest.Input{Text: string(data), Headline: true, File: item, Outlet: outlet, Published: published}, nil
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// expand replaces each directory by the article files in it (.txt, .md,
// sorted), keeping the order given otherwise.
func expand(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		if isURL(arg) {
			out = append(out, arg)
			continue
		}
		info, err := os.Stat(arg)
		if err != nil {
			out = append(out, arg) // reported as that item's failure, the rest go on
			continue
		}
		if !info.IsDir() {
			out = append(out, arg)
			continue
		}
		var files []string
		err = filepath.WalkDir(arg, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".txt", ".md", ".text", ".html", ".htm", ".markdown":
				if !d.IsDir() {
					files = append(files, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read directory %s: %w", arg, err)
		}
		slices.Sort(files)
		out = append(out, files...)
	}
	return out, nil
}
