package contradict

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sort"
)

// Pair is one labelled pair in NLI format: premise (the earlier claim),
// hypothesis (the new one), label "contradiction" or anything else.
type Pair struct {
	Source     string `json:"source"`
	ID         string `json:"id"`
	Premise    string `json:"premise"`
	Hypothesis string `json:"hypothesis"`
	Label      string `json:"label"`
}

// Contradiction reports whether the pair is labelled a contradiction.
func (p Pair) Contradiction() bool { return p.Label == "contradiction" }

// ReadPairs reads JSON lines of pairs.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var out []Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var p Pair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// HeldOut reports whether a pair belongs to the held-out evaluation split:
// one in four by a hash of source and premise. Hashing the premise keeps
// every hypothesis of one premise (XNLI and SNLI give three) on one side,
// so the model is never trained on a held-out premise.
func HeldOut(p Pair) bool { return Fold(p) == 0 }

// Fold is the pair's fold of four, by the same hash: fold 0 is held out
// from the shipped model; cross-validation holds out each in turn.
func Fold(p Pair) int {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s\x00%s", p.Source, p.Premise)
	return int(h.Sum32() % 4)
}

// Example is one training row.
type Example struct {
	X      []float64
	Y      bool
	Weight float64
}

// Fit fits L2-regularised logistic regression by Newton's method (IRLS).
// It is deterministic: the same rows give the same weights.
func Fit(rows []Example, l2 float64, iters int) []float64 {
	if len(rows) == 0 {
		return nil
	}
	k := len(rows[0].X)
	w := make([]float64, k)
	for it := 0; it < iters; it++ {
		g := make([]float64, k)
		h := make([][]float64, k)
		for i := range h {
			h[i] = make([]float64, k)
		}
		for _, r := range rows {
			p := Logistic(w, r.X)
			y := 0.0
			if r.Y {
				y = 1
			}
			for i := 0; i < k; i++ {
				g[i] += r.Weight * (p - y) * r.X[i]
				if r.X[i] == 0 {
					continue
				}
				for j := 0; j < k; j++ {
					h[i][j] += r.Weight * p * (1 - p) * r.X[i] * r.X[j]
				}
			}
		}
		for i := 1; i < k; i++ { // the bias is not regularised
			g[i] += l2 * w[i]
			h[i][i] += l2
		}
		h[0][0] += 1e-9
		step := solve(h, g)
		maxStep := 0.0
		for i := range w {
			w[i] -= step[i]
			maxStep = math.Max(maxStep, math.Abs(step[i]))
		}
		if maxStep < 1e-8 {
			break
		}
	}
	return w
}

// solve solves a·x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64(nil), a[i]...), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if math.Abs(m[c][c]) < 1e-12 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		if math.Abs(m[r][r]) > 1e-12 {
			x[r] = s / m[r][r]
		}
	}
	return x
}

// Scored is a raw probability with its label and weight, for calibration.
type Scored struct {
	P      float64
	Y      bool
	Weight float64
}

// Calibrate builds the table that maps a raw probability to the precision
// expected of alerts at or above it: for each distinct score, the best
// (weighted) precision of any threshold at or below it, so the table never
// decreases and alerting at calibrated score ≥ t keeps precision ≥ t on the
// calibration data. The table keeps at most points entries.
func Calibrate(rows []Scored, points int) []CalPoint {
	rs := append([]Scored(nil), rows...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].P > rs[j].P })
	type step struct{ raw, prec float64 }
	var steps []step
	tp, all := 0.0, 0.0
	for i, r := range rs {
		all += r.Weight
		if r.Y {
			tp += r.Weight
		}
		if i+1 < len(rs) && rs[i+1].P == r.P {
			continue
		}
		// Two pseudo-counts toward one half keep the first few from
		// claiming certainty.
		steps = append(steps, step{r.P, (tp + 1) / (all + 2)})
	}
	// Running maximum from the bottom.
	for i := len(steps) - 2; i >= 0; i-- {
		steps[i].prec = math.Max(steps[i].prec, steps[i+1].prec)
	}
	// Ascending by raw, thinned to points entries.
	var out []CalPoint
	for i := len(steps) - 1; i >= 0; i-- {
		out = append(out, CalPoint{Raw: steps[i].raw, Precision: steps[i].prec})
	}
	if points > 1 && len(out) > points {
		thin := make([]CalPoint, 0, points)
		for i := 0; i < points; i++ {
			thin = append(thin, out[i*(len(out)-1)/(points-1)])
		}
		out = thin
	}
	for i := range out {
		out[i].Raw = math.Round(out[i].Raw*1e6) / 1e6
		out[i].Precision = math.Round(out[i].Precision*1e4) / 1e4
	}
	return out
}

// PRF is precision, recall and F1 of contradiction predictions.
type PRF struct {
	Source    string  `json:"source"`
	N         int     `json:"n"`
	Positives int     `json:"positives"`
	Predicted int     `json:"predicted"`
	TP        int     `json:"tp"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Add counts one prediction.
func (m *PRF) Add(pred, gold bool) {
	m.N++
	if gold {
		m.Positives++
	}
	if pred {
		m.Predicted++
		if gold {
			m.TP++
		}
	}
}

// Finish computes the ratios.
func (m *PRF) Finish() {
	if m.Predicted > 0 {
		m.Precision = float64(m.TP) / float64(m.Predicted)
	}
	if m.Positives > 0 {
		m.Recall = float64(m.TP) / float64(m.Positives)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
}

// Evaluate scores pairs at threshold and returns P/R/F1 per source, then
// over all ("all").
func Evaluate(s *Scorer, pairs []Pair, threshold float64) []PRF {
	return Report(pairs, JudgePairs(s, pairs), threshold)
}

// JudgePairs returns s's verdict on each pair, premise as the earlier
// claim: judge once, then Report at as many thresholds as wanted.
func JudgePairs(s *Scorer, pairs []Pair) []Verdict {
	vs := make([]Verdict, len(pairs))
	for i, p := range pairs {
		vs[i] = s.Judge(Claim{Text: p.Premise}, Claim{Text: p.Hypothesis})
	}
	return vs
}

// Report computes P/R/F1 per source, then over all ("all"), of verdicts
// (one per pair) at threshold.
func Report(pairs []Pair, verdicts []Verdict, threshold float64) []PRF {
	by := map[string]*PRF{}
	var order []string
	total := &PRF{Source: "all"}
	for i, p := range pairs {
		m, ok := by[p.Source]
		if !ok {
			m = &PRF{Source: p.Source}
			by[p.Source] = m
			order = append(order, p.Source)
		}
		pred := verdicts[i].Alert(threshold)
		m.Add(pred, p.Contradiction())
		total.Add(pred, p.Contradiction())
	}
	sort.Strings(order)
	out := make([]PRF, 0, len(order)+1)
	for _, src := range order {
		by[src].Finish()
		out = append(out, *by[src])
	}
	total.Finish()
	return append(out, *total)
}

// BestAtRecall sweeps the threshold over the verdicts' scores, per source
// (then over all, "all"), and returns for each the operating point with the
// best precision whose recall is at least minRecall; a source whose
// alertable pairs never reach minRecall gets its highest-recall point.
// Only pairs that can alert (a reason) count as predicted, as in Report.
func BestAtRecall(pairs []Pair, verdicts []Verdict, minRecall float64) []OperatingPoint {
	type sv struct {
		score float64
		gold  bool
	}
	by := map[string][]sv{}
	pos := map[string]int{}
	var order []string
	for i, p := range pairs {
		for _, src := range []string{p.Source, "all"} {
			if _, ok := pos[src]; !ok {
				pos[src] = 0
				if src != "all" {
					order = append(order, src)
				}
			}
			if p.Contradiction() {
				pos[src]++
			}
			if len(verdicts[i].Reasons) > 0 {
				by[src] = append(by[src], sv{verdicts[i].Score, p.Contradiction()})
			}
		}
	}
	sort.Strings(order)
	order = append(order, "all")
	out := make([]OperatingPoint, 0, len(order))
	for _, src := range order {
		xs := by[src]
		sort.SliceStable(xs, func(i, j int) bool { return xs[i].score > xs[j].score })
		best := OperatingPoint{Source: src, MinRecall: minRecall, Positives: pos[src]}
		found := false
		tp := 0
		for i, x := range xs {
			if x.gold {
				tp++
			}
			if i+1 < len(xs) && xs[i+1].score == x.score {
				continue
			}
			pt := OperatingPoint{Source: src, MinRecall: minRecall, Positives: pos[src], Threshold: x.score,
				Predicted: i + 1, TP: tp, Precision: float64(tp) / float64(i+1)}
			if pos[src] > 0 {
				pt.Recall = float64(tp) / float64(pos[src])
			}
			switch {
			case pt.Recall >= minRecall && (!found || pt.Precision > best.Precision):
				best, found = pt, true
			case !found && pt.Recall > best.Recall:
				best = pt
			}
		}
		best.Reached = found
		out = append(out, best)
	}
	return out
}

// OperatingPoint is one threshold on a source's precision-recall curve.
type OperatingPoint struct {
	Source    string  `json:"source"`
	MinRecall float64 `json:"min_recall"`
	Reached   bool    `json:"reached"` // some threshold gives recall ≥ MinRecall
	Threshold float64 `json:"threshold"`
	Positives int     `json:"positives"`
	Predicted int     `json:"predicted"`
	TP        int     `json:"tp"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}
