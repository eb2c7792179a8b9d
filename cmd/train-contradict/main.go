// Command train-contradict fits the contradiction scorer's logistic
// regression and writes internal/contradict/weights.json.
//
//	go run ./cmd/train-contradict            # from the repository root
//
// It reads ../shared/eval/nli/dev_pairs.jsonl and the pairs labelled for
// newsbot (internal/contradict/labelled/pairs.jsonl), trains on the pairs
// outside the held-out hash split (contradict.HeldOut), each source
// weighing the same, calibrates on the same training rows, and prints the
// held-out precision, recall and F1 per source. The result is the same
// every run on the same data.
//
// With -lexicon it instead regenerates internal/contradict/data/
// wordnet_antonyms.tsv from ../shared/lexicons/wordnet30_antonyms.tsv.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"newsbot/internal/contradict"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		slog.Error("train-contradict failed", "err", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train-contradict", flag.ContinueOnError)
	pairsPath := fs.String("pairs", "../shared/eval/nli/dev_pairs.jsonl", "NLI pairs (JSON lines)")
	ownPath := fs.String("own", "internal/contradict/labelled/pairs.jsonl", "pairs labelled for newsbot")
	out := fs.String("out", "internal/contradict/weights.json", "weights file to write")
	exclude := fs.String("exclude", "breaking_nli", "comma-separated sources left out of training (still evaluated)")
	l2 := fs.Float64("l2", 1, "L2 regularisation")
	threshold := fs.Float64("threshold", 0.8, "calibrated threshold for the held-out report")
	lexicon := fs.Bool("lexicon", false, "regenerate the WordNet antonym list instead of training")
	wordnet := fs.String("wordnet", "../shared/lexicons/wordnet30_antonyms.tsv", "WordNet antonyms (with -lexicon)")
	ownWeight := fs.Float64("own-weight", 3, "weight of the newsbot pairs, in sources: the only in-domain data")
	cv := fs.Bool("cv", false, "also report 4-fold cross-validated figures")
	dumpAll := fs.Bool("dump-all", false, "with -dump, print the training pairs too")
	cvDump := fs.String("cv-dump", "", "with -cv, print this source's pairs that alert or are contradictions, with cross-validated verdicts")
	cvDumpAll := fs.Bool("cv-dump-all", false, "with -cv-dump, print every pair of the source, not only those that alert or are contradictions")
	dump := fs.String("dump", "", "print held-out pairs of this source with their verdicts, after training")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *lexicon {
		return writeLexicon(*wordnet, "internal/contradict/data/wordnet_antonyms.tsv")
	}
	var pairs []contradict.Pair
	hashes := map[string]string{}
	for _, p := range []string{*pairsPath, *ownPath} {
		ps, sum, err := readPairs(p)
		if err != nil {
			return err
		}
		pairs = append(pairs, ps...)
		hashes[p] = sum
	}
	lex, err := contradict.NewLexicon()
	if err != nil {
		return err
	}
	skip := map[string]bool{}
	for _, s := range strings.Split(*exclude, ",") {
		if s = strings.TrimSpace(s); s != "" {
			skip[s] = true
		}
	}
	rows := make([]row, len(pairs))
	for i, p := range pairs {
		x, ok := lex.Features(contradict.Claim{Text: p.Premise}, contradict.Claim{Text: p.Hypothesis})
		rows[i] = row{pair: p, x: x, alertable: ok, fold: contradict.Fold(p)}
	}
	fit := func(heldFold int) (contradict.Model, map[string]int) {
		return train(rows, heldFold, skip, *l2, *ownWeight)
	}
	model, perSource := fit(0)
	sc, err := contradict.NewWithModel(model)
	if err != nil {
		return err
	}
	var held []contradict.Pair
	for _, p := range pairs {
		if contradict.HeldOut(p) {
			held = append(held, p)
		}
	}
	heldVerdicts := contradict.JudgePairs(sc, held)
	report := contradict.Report(held, heldVerdicts, *threshold)
	model.Trained = map[string]any{
		"command":        "go run ./cmd/train-contradict",
		"data_sha256":    hashes,
		"excluded":       *exclude,
		"l2":             *l2,
		"split":          "contradict.HeldOut: fnv32a(source, premise) % 4 == 0 held out",
		"train_rows":     perSource,
		"heldout_report": report,
		"threshold":      *threshold,
	}
	buf, err := json.MarshalIndent(model, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(buf, '\n'), 0o644); err != nil {
		return err
	}
	names := contradict.FeatureNames()
	for i, x := range model.Weights {
		fmt.Fprintf(stdout, "%-20s %+.3f\n", names[i], x)
	}
	fmt.Fprintf(stdout, "\nheld-out pairs at calibrated threshold %.2f:\n", *threshold)
	for _, m := range report {
		fmt.Fprintf(stdout, "%-42s n=%5d pos=%5d pred=%5d  P=%.3f R=%.3f F1=%.3f\n", m.Source, m.N, m.Positives, m.Predicted, m.Precision, m.Recall, m.F1)
	}
	fmt.Fprintf(stdout, "\nheld-out precision/recall by calibrated threshold:\n")
	printSweep(stdout, held, heldVerdicts, []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9})
	// Cross-validation: each fold scored by a model trained on the other
	// three, so every pair gets a held-out score.
	if *cv {
		var scoredPairs []contradict.Pair
		var verdicts []contradict.Verdict
		for k := 0; k < 4; k++ {
			m, _ := fit(k)
			s, err := contradict.NewWithModel(m)
			if err != nil {
				return err
			}
			for _, p := range pairs {
				if contradict.Fold(p) == k {
					scoredPairs = append(scoredPairs, p)
					verdicts = append(verdicts, s.Judge(contradict.Claim{Text: p.Premise}, contradict.Claim{Text: p.Hypothesis}))
				}
			}
		}
		fmt.Fprintf(stdout, "\n4-fold cross-validated precision/recall by calibrated threshold:\n")
		printSweep(stdout, scoredPairs, verdicts, []float64{0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9})
		fmt.Fprintf(stdout, "\n4-fold cross-validated best precision at a recall target (threshold swept):\n")
		for _, target := range []float64{0.3, 0.6} {
			for _, op := range contradict.BestAtRecall(scoredPairs, verdicts, target) {
				fmt.Fprintf(stdout, "R>=%.1f %-42s threshold=%.3f P=%.3f R=%.3f (%d/%d, %d positives) reached=%v\n",
					target, op.Source, op.Threshold, op.Precision, op.Recall, op.TP, op.Predicted, op.Positives, op.Reached)
			}
		}
		if *cvDump != "" {
			for i, p := range scoredPairs {
				v := verdicts[i]
				if p.Source != *cvDump || len(v.Reasons) == 0 && !p.Contradiction() && !*cvDumpAll {
					continue
				}
				fmt.Fprintf(stdout, "\n[cv %s %s] score=%.3f\n  P: %s\n  H: %s\n  reasons=%q guards=%q\n",
					p.Label, p.ID, v.Score, p.Premise, p.Hypothesis, v.Reasons, v.Guards)
			}
		}
	}
	if *dump != "" {
		from := held
		if *dumpAll {
			from = pairs
		}
		for _, p := range from {
			if p.Source != *dump {
				continue
			}
			v := sc.Judge(contradict.Claim{Text: p.Premise}, contradict.Claim{Text: p.Hypothesis})
			fmt.Fprintf(stdout, "\n[%s %s %v] score=%.2f p=%.2f\n  P: %s\n  H: %s\n  reasons=%q guards=%q\n  x=%v\n",
				p.Label, p.ID, contradict.HeldOut(p), v.Score, v.Probability, p.Premise, p.Hypothesis, v.Reasons, v.Guards, v.Features)
		}
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}

// printSweep prints, a line per threshold, each source's precision and
// recall of the verdicts.
func printSweep(w io.Writer, pairs []contradict.Pair, verdicts []contradict.Verdict, thresholds []float64) {
	for _, t := range thresholds {
		fmt.Fprintf(w, "%.2f", t)
		for _, m := range contradict.Report(pairs, verdicts, t) {
			fmt.Fprintf(w, "  %s %.2f/%.2f", short(m.Source), m.Precision, m.Recall)
		}
		fmt.Fprintln(w)
	}
}

func short(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 8 {
		s = s[:8]
	}
	return s
}

type row struct {
	pair      contradict.Pair
	x         []float64
	alertable bool
	fold      int
}

// train fits the model on every row outside heldFold (-1: none) and
// calibrates it on the same rows. Each source weighs the same in total,
// whatever its size; the newsbot pairs weigh ownWeight sources.
func train(rows []row, heldFold int, skip map[string]bool, l2, ownWeight float64) (contradict.Model, map[string]int) {
	perSource := map[string]int{}
	var use []row
	for _, r := range rows {
		if r.fold == heldFold || skip[r.pair.Source] {
			continue
		}
		use = append(use, r)
		perSource[r.pair.Source]++
	}
	ex := make([]contradict.Example, len(use))
	for i, r := range use {
		w := float64(len(use)) / float64(len(perSource)*perSource[r.pair.Source])
		if r.pair.Source == "newsbot_own" {
			w *= ownWeight
		}
		ex[i] = contradict.Example{X: r.x, Y: r.pair.Contradiction(), Weight: w}
	}
	w := contradict.Fit(ex, l2, 100)
	scored := make([]contradict.Scored, len(use))
	for i, r := range use {
		scored[i] = contradict.Scored{P: contradict.Logistic(w, r.x), Y: ex[i].Y, Weight: ex[i].Weight}
		if !r.alertable {
			scored[i].P = 0 // never alerted without a reason: calibrate on what can alert
		}
	}
	return contradict.Model{Features: contradict.FeatureNames(), Weights: round(w), Calibration: contradict.Calibrate(scored, 60)}, perSource
}

func round(w []float64) []float64 {
	out := make([]float64, len(w))
	for i, x := range w {
		out[i] = math.Round(x*1e4) / 1e4
	}
	return out
}

func readPairs(path string) ([]contradict.Pair, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read pairs: %w", err)
	}
	ps, err := contradict.ReadPairs(strings.NewReader(string(b)))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	sum := sha256.Sum256(b)
	return ps, hex.EncodeToString(sum[:]), nil
}

// writeLexicon derives the single-word direct antonym pairs.
func writeLexicon(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("wordnet antonyms: %w", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 || p[3] != "direct" || strings.ContainsAny(p[1]+p[2], "_-") {
			continue
		}
		lines = append(lines, p[0]+"\t"+p[1]+"\t"+p[2])
	}
	if err := sc.Err(); err != nil {
		return err
	}
	sort.Strings(lines)
	lines = slices.Compact(lines)
	head := "# Direct antonym pairs from WordNet 3.0 (Princeton University), single words only,\n" +
		"# derived from ../shared/lexicons/wordnet30_antonyms.tsv by 'go run ./cmd/train-contradict -lexicon'.\n" +
		"# Licence: WORDNET_LICENSE.txt in this directory.\n"
	return os.WriteFile(out, []byte(head+strings.Join(lines, "\n")+"\n"), 0o644)
}
