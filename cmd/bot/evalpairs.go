package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"newsbot/internal/contradict"
)

// runEvalPairs scores the contradiction scorer on NLI-format pairs
// ({source, id, premise, hypothesis, label}): precision, recall and F1 of
// "contradiction" per source, then over all. A pair counts as predicted a
// contradiction when it would be alerted: a reason, and a calibrated score
// at or above the threshold.
func runEvalPairs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval pairs", "--gold FILE [--json] [--threshold P] [--heldout] [--at-recall R]", stderr)
	gold := fs.String("gold", "", "pairs file (JSON lines)")
	asJSON := fs.Bool("json", false, "one JSON object per source")
	threshold := fs.Float64("threshold", 0.8, "calibrated threshold (expected precision), as alerts.threshold")
	heldout := fs.Bool("heldout", false, "score only the pairs the trainer held out (contradict.HeldOut)")
	atRecall := fs.Float64("at-recall", 0, "also report, per source, the best precision of any threshold with at least this recall")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gold == "" {
		return usagef("eval pairs: --gold FILE is required")
	}
	f, err := os.Open(*gold)
	if err != nil {
		return err
	}
	defer f.Close()
	pairs, err := contradict.ReadPairs(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", *gold, err)
	}
	if *heldout {
		kept := pairs[:0]
		for _, p := range pairs {
			if contradict.HeldOut(p) {
				kept = append(kept, p)
			}
		}
		pairs = kept
	}
	sc, err := contradict.New()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	verdicts := make([]contradict.Verdict, len(pairs))
	for i, p := range pairs {
		verdicts[i] = sc.Judge(contradict.Claim{Text: p.Premise}, contradict.Claim{Text: p.Hypothesis})
	}
	report := contradict.Report(pairs, verdicts, *threshold)
	enc := json.NewEncoder(stdout)
	for _, m := range report {
		if *asJSON {
			if err := enc.Encode(struct {
				contradict.PRF
				Threshold float64 `json:"threshold"`
				HeldOut   bool    `json:"heldout"`
			}{m, *threshold, *heldout}); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(stdout, "%-42s n=%5d contradictions=%5d alerted=%5d  P=%.3f R=%.3f F1=%.3f\n",
			m.Source, m.N, m.Positives, m.Predicted, m.Precision, m.Recall, m.F1)
	}
	if *atRecall > 0 {
		for _, op := range contradict.BestAtRecall(pairs, verdicts, *atRecall) {
			if *asJSON {
				if err := enc.Encode(struct {
					contradict.OperatingPoint
					HeldOut bool `json:"heldout"`
				}{op, *heldout}); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(stdout, "best at recall >= %.2f: %-42s threshold=%.3f alerted=%5d  P=%.3f R=%.3f reached=%v\n",
				op.MinRecall, op.Source, op.Threshold, op.Predicted, op.Precision, op.Recall, op.Reached)
		}
	}
	return nil
}
