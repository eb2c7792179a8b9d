// Package contradict judges whether two claims contradict each other.
//
// It is pure: two claims (their words, the sentence around them, the
// reporting cue) in, a verdict out, with a calibrated score and the reasons
// in plain words. Signals are computed from aligned words (negation flips
// with their scope, antonyms from WordNet and a newsroom list, status
// flips, negated quantifiers over near-synonyms, denials, figures and
// dates); guards (hedges, conditionals, opinions, different names, a
// negation about another matter, paraphrase) weigh against. A small
// logistic regression, trained by cmd/train-contradict and embedded as
// weights.json, combines them; its output is mapped to the precision
// expected of alerts at that score, so a threshold of 0.8 means "alert
// when about 8 in 10 such alerts are right" on the calibration data.
package contradict

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

//go:embed weights.json
var weightsJSON []byte

// Claim is one side of a pair.
type Claim struct {
	Text    string // the statement's words
	Context string // the sentence around them, attribution included: what a denial in the words is aimed at
	Cue     string // the reporting word ("said", "denied"): a denial here counts
	Speaker string // who made the claim, as named: a denial of "the allegations" is aimed at claims about them
}

// Verdict is the judgement on a pair.
type Verdict struct {
	// Score is the calibrated score: the precision expected of alerts
	// raised at this score or above.
	Score float64 `json:"score"`
	// Probability is the model's raw output.
	Probability float64 `json:"probability"`
	// Reasons are the signals that fired, in plain words. A pair with no
	// reason is never alerted, whatever its score.
	Reasons []string `json:"reasons,omitempty"`
	// Guards are the reasons against that were found.
	Guards   []string  `json:"guards,omitempty"`
	Features []float64 `json:"-"`
}

// Alert reports whether the verdict warrants an alert at threshold.
func (v Verdict) Alert(threshold float64) bool { return len(v.Reasons) > 0 && v.Score >= threshold }

// CalPoint maps a raw probability to the precision expected at or above it.
type CalPoint struct {
	Raw       float64 `json:"raw"`
	Precision float64 `json:"precision"`
}

// Model is a trained weights file.
type Model struct {
	Features    []string       `json:"features"`
	Weights     []float64      `json:"weights"`
	Calibration []CalPoint     `json:"calibration"`
	Trained     map[string]any `json:"trained,omitempty"` // how: data, split, figures
}

// Scorer judges pairs. It is safe for concurrent use.
type Scorer struct {
	lex   *Lexicon
	model Model
}

// New returns a scorer with the embedded lexicons and weights.
func New() (*Scorer, error) {
	var m Model
	if err := json.Unmarshal(weightsJSON, &m); err != nil {
		return nil, fmt.Errorf("contradict: embedded weights: %w", err)
	}
	return NewWithModel(m)
}

// NewWithModel returns a scorer with the given weights (training, tests).
func NewWithModel(m Model) (*Scorer, error) {
	if !slices.Equal(m.Features, FeatureNames()) || len(m.Weights) != numFeatures {
		return nil, fmt.Errorf("contradict: weights are for features %v, this code computes %v: retrain with cmd/train-contradict",
			m.Features, FeatureNames())
	}
	lex, err := NewLexicon()
	if err != nil {
		return nil, err
	}
	return &Scorer{lex: lex, model: m}, nil
}

// Lexicon is the scorer's lexicon.
func (s *Scorer) Lexicon() *Lexicon { return s.lex }

// Analysed is a claim analysed once, to be judged against many others.
type Analysed struct{ d *doc }

// Analyse prepares a claim.
func (s *Scorer) Analyse(c Claim) *Analysed {
	d := s.lex.analyse(c.Text, c.Cue)
	s.lex.addContext(d, c.Context, c.Speaker)
	return &Analysed{d: d}
}

// Judge judges two claims: old is the earlier one.
func (s *Scorer) Judge(old, new Claim) Verdict {
	return s.JudgeAnalysed(s.Analyse(old), s.Analyse(new))
}

// JudgeAnalysed judges two analysed claims.
func (s *Scorer) JudgeAnalysed(old, new *Analysed) Verdict {
	x, ev := s.lex.features(old.d, new.d)
	p := Logistic(s.model.Weights, x)
	v := Verdict{Score: s.calibrate(p), Probability: p, Reasons: ev.reasons, Guards: ev.guards, Features: x}
	if ev.blocked {
		v.Reasons = nil
	}
	if partOf(old.d, new.d) && old.d.denial == "" && new.d.denial == "" && old.d.negated == new.d.negated {
		// The same words, one claim carrying more of them: a shorter
		// quotation of the same statement, never a contradiction.
		v.Reasons = nil
		v.Guards = append(v.Guards, "one claim is part of the other")
	}
	return v
}

// partOf reports whether the words of one claim appear, in order and
// together, inside the other.
func partOf(a, b *doc) bool {
	wa, wb := wordString(a), wordString(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	return len(wa) > 2 && strings.Contains(wb, wa)
}

func wordString(d *doc) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range d.toks {
		if !t.punct {
			b.WriteString(t.word)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// Features computes a pair's feature vector (training), and whether the
// pair can be alerted at all: a reason, and no hard guard.
func (l *Lexicon) Features(old, new Claim) ([]float64, bool) {
	a, b := l.analyse(old.Text, old.Cue), l.analyse(new.Text, new.Cue)
	l.addContext(a, old.Context, old.Speaker)
	l.addContext(b, new.Context, new.Speaker)
	x, ev := l.features(a, b)
	return x, len(ev.reasons) > 0 && !ev.blocked && !(partOf(a, b) && a.denial == "" && b.denial == "" && a.negated == b.negated)
}

// Logistic is the model's probability for features x.
func Logistic(w, x []float64) float64 {
	z := 0.0
	for i := range w {
		z += w[i] * x[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// calibrate maps a raw probability through the calibration table, linearly
// between its points.
func (s *Scorer) calibrate(p float64) float64 { return Calibrated(s.model.Calibration, p) }

// Calibrated maps p through a calibration table sorted by Raw.
func Calibrated(cal []CalPoint, p float64) float64 {
	if len(cal) == 0 {
		return p
	}
	if p <= cal[0].Raw {
		return cal[0].Precision
	}
	for i := 1; i < len(cal); i++ {
		if p <= cal[i].Raw {
			a, b := cal[i-1], cal[i]
			if b.Raw == a.Raw {
				return b.Precision
			}
			return a.Precision + (b.Precision-a.Precision)*(p-a.Raw)/(b.Raw-a.Raw)
		}
	}
	return cal[len(cal)-1].Precision
}
