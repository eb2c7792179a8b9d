package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"newsbot/internal/extract"
	"newsbot/internal/quoteeval"
)

// runEvalQuotes scores the extractor against PolNeAR-format gold:
// `bot eval quotes --gold FILE [--json] [--errors N]`.
func runEvalQuotes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval quotes", "--gold FILE [--json] [--errors N]", stderr)
	gold := fs.String("gold", "", "gold attributions, PolNeAR JSON lines")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	errs := fs.Int("errors", 0, "also list up to N errors of each sort (missed, spurious, wrong speaker) on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gold == "" || fs.NArg() > 0 {
		return usagef("--gold FILE is required, and nothing else")
	}
	arts, err := quoteeval.ReadGoldFile(*gold)
	if err != nil {
		return err
	}
	rep, err := quoteeval.Evaluate(ctx, extract.New(), arts, quoteeval.Options{Examples: *errs})
	if err != nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "%-7s %-8s %s | cue %q | gold %q | ours %q\n    %q\n", e.What, e.Kind, e.Article, e.Cue, e.Gold, e.System, e.Text)
	}
	if *asJSON {
		rep.Errors = nil
		return json.NewEncoder(stdout).Encode(rep)
	}
	fmt.Fprintf(stdout, "extractor %s, %d articles (%s)\n", rep.Extractor, rep.Articles, *gold)
	fmt.Fprintf(stdout, "%-7s %-13s %6s %6s %6s %6s %6s | %6s %6s %6s | %7s %7s\n", "subset", "kind", "gold", "ours", "P", "R", "F1", "pairP", "pairR", "pairF1", "speaker", "pronoun")
	for _, r := range rep.Rows {
		fmt.Fprintf(stdout, "%-7s %-13s %6d %6d %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f | %7.3f %7.3f\n", r.Subset, r.Kind, r.Gold, r.System,
			r.Precision, r.Recall, r.F1, r.PairPrecision, r.PairRecall, r.PairF1, r.SpeakerAcc, r.PronounAgree)
	}
	return nil
}
