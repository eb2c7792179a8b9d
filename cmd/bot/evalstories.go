package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"newsbot/internal/candidates"
	"newsbot/internal/contradict"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// Story folders in the BASIL layout (../shared/eval/basil_dev/README.md):
// three articles, meta.json with outlets and dates, gold.json with labelled
// contradictions and compatible pairs, each side a key: an exact substring
// carrying the claim.
type storyMeta struct {
	Articles []struct {
		File   string `json:"file"`
		Outlet string `json:"outlet"`
		Title  string `json:"title"`
		Date   string `json:"date"`
		URL    string `json:"url"`
	} `json:"articles"`
}

type goldSide struct {
	Doc     string `json:"doc"`
	Speaker string `json:"speaker"`
	Key     string `json:"key"`
}

type goldPair struct {
	A        goldSide `json:"a"`
	B        goldSide `json:"b"`
	Type     string   `json:"type"`
	Strength string   `json:"strength"`
}

type storyGold struct {
	Contradictions []goldPair `json:"contradictions"`
	Compatible     []goldPair `json:"compatible"`
}

// runEvalStories scores contradiction alerts on story folders two ways.
// Pairs: each gold pair's two keys (with their sentences as context) judged
// by the scorer alone: how many contradictions are alerted, how many
// compatible pairs are. Ingest: the story's articles ingested in date order
// into a fresh store with the real extractor and checker; an alert matches
// a gold contradiction when its two statements contain the two keys.
func runEvalStories(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval stories", "--dir DIR [--json] [--threshold P]", stderr)
	dir := fs.String("dir", "../shared/eval/basil_dev", "folder of story folders")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	threshold := fs.Float64("threshold", 0.8, "calibrated threshold (expected precision), as alerts.threshold")
	verbose := fs.Bool("v", false, "describe every alert on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stories, err := filepath.Glob(filepath.Join(*dir, "*", "gold.json"))
	if err != nil || len(stories) == 0 {
		return fmt.Errorf("eval stories: no */gold.json under %s", *dir)
	}
	sort.Strings(stories)
	sc, err := contradict.New()
	if err != nil {
		return err
	}
	var pr pairsResult
	var ir ingestResult
	if *verbose {
		ir.log = stderr
	}
	for _, g := range stories {
		if err := ctx.Err(); err != nil {
			return err
		}
		s, err := loadStory(filepath.Dir(g))
		if err != nil {
			return err
		}
		pr.add(sc, s, *threshold, ir.log)
		if err := ir.add(ctx, sc, s, *threshold); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	pr.finish()
	ir.finish()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(map[string]any{"mode": "pairs", "threshold": *threshold, "result": pr}); err != nil {
			return err
		}
		return enc.Encode(map[string]any{"mode": "ingest", "threshold": *threshold, "result": ir})
	}
	fmt.Fprintf(stdout, "pairs (scorer alone, keys as claims), threshold %.2f:\n", *threshold)
	fmt.Fprintf(stdout, "  contradictions alerted %d/%d (clear %d/%d), compatible alerted %d/%d, precision %.3f\n",
		pr.AlertedContra, pr.Contradictions, pr.AlertedClear, pr.Clear, pr.AlertedCompat, pr.Compatible, pr.Precision)
	for _, t := range sortedKeys(pr.ByType) {
		fmt.Fprintf(stdout, "    %-10s %d/%d\n", t, pr.ByType[t][0], pr.ByType[t][1])
	}
	fmt.Fprintf(stdout, "ingest (extractor + checker), threshold %.2f:\n", *threshold)
	fmt.Fprintf(stdout, "  statements %d, alerts %d, matching a gold contradiction %d, precision %.3f; dispute recall %d/%d = %.3f; gold keys found in statements %d/%d\n",
		ir.Statements, ir.Alerts, ir.Matching, ir.Precision, ir.GroupsFound, ir.Groups, ir.DisputeRecall, ir.KeysFound, ir.Keys)
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type story struct {
	name  string
	meta  storyMeta
	gold  storyGold
	texts map[string]string // doc ("fox") → text
	dates map[string]time.Time
}

func loadStory(dir string) (*story, error) {
	s := &story{name: filepath.Base(dir), texts: map[string]string{}, dates: map[string]time.Time{}}
	for name, v := range map[string]any{"meta.json": &s.meta, "gold.json": &s.gold} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, v); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", dir, name, err)
		}
	}
	for _, a := range s.meta.Articles {
		b, err := os.ReadFile(filepath.Join(dir, a.File))
		if err != nil {
			return nil, err
		}
		doc := strings.TrimSuffix(a.File, ".txt")
		s.texts[doc] = string(b)
		s.dates[doc], _ = time.Parse("2006-01-02", a.Date)
	}
	return s, nil
}

// sentenceAround returns the sentence of text holding key, or key.
func sentenceAround(text, key string) string {
	i := strings.Index(text, key)
	if i < 0 {
		return key
	}
	start := strings.LastIndexAny(text[:i], ".!?\n") + 1
	end := i + len(key)
	if j := strings.IndexAny(text[end:], ".!?\n"); j >= 0 {
		end += j + 1
	} else {
		end = len(text)
	}
	return strings.TrimSpace(text[start:end])
}

type pairsResult struct {
	Contradictions, Clear, Compatible          int
	AlertedContra, AlertedClear, AlertedCompat int
	Precision                                  float64
	ByType                                     map[string][2]int `json:"by_type"` // alerted, total
}

func (r *pairsResult) add(sc *contradict.Scorer, s *story, threshold float64, log io.Writer) {
	if r.ByType == nil {
		r.ByType = map[string][2]int{}
	}
	judge := func(p goldPair, label string) bool {
		a, b := p.A, p.B
		if s.dates[b.Doc].Before(s.dates[a.Doc]) {
			a, b = b, a
		}
		ca := contradict.Claim{Text: a.Key, Context: sentenceAround(s.texts[a.Doc], a.Key), Speaker: a.Speaker}
		cb := contradict.Claim{Text: b.Key, Context: sentenceAround(s.texts[b.Doc], b.Key), Speaker: b.Speaker}
		v := sc.Judge(ca, cb)
		if log != nil {
			fmt.Fprintf(log, "%s: pair %s %s alert=%v %.3f %q %q\n  a %s: %q\n  b %s: %q\n", s.name, label, p.Type,
				v.Alert(threshold), v.Score, v.Reasons, v.Guards, a.Speaker, a.Key, b.Speaker, b.Key)
		}
		return v.Alert(threshold)
	}
	for _, p := range s.gold.Contradictions {
		r.Contradictions++
		t := r.ByType[p.Type]
		t[1]++
		if p.Strength == "clear" {
			r.Clear++
		}
		if judge(p, "contradiction/"+p.Strength) {
			r.AlertedContra++
			t[0]++
			if p.Strength == "clear" {
				r.AlertedClear++
			}
		}
		r.ByType[p.Type] = t
	}
	for _, p := range s.gold.Compatible {
		r.Compatible++
		if judge(p, "compatible") {
			r.AlertedCompat++
		}
	}
}

func (r *pairsResult) finish() {
	if n := r.AlertedContra + r.AlertedCompat; n > 0 {
		r.Precision = float64(r.AlertedContra) / float64(n)
	}
}

type ingestResult struct {
	log                          io.Writer // alerts described here when set
	Statements, Alerts, Matching int
	Precision                    float64
	Groups, GroupsFound          int
	DisputeRecall                float64 `json:"dispute_recall"`
	Keys, KeysFound              int
}

func (r *ingestResult) add(ctx context.Context, sc *contradict.Scorer, s *story, threshold float64) error {
	tmp, err := os.MkdirTemp("", "newsbot-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(filepath.Join(tmp, "eval.db"), store.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer st.Close()
	in := ingest.New(ingest.Options{Store: st, Extractor: extract.New(),
		Checker: candidates.New(sc, candidates.Options{Threshold: threshold, Window: 90 * 24 * time.Hour})})
	docs := make([]string, 0, len(s.texts))
	for d := range s.texts {
		docs = append(docs, d)
	}
	sort.Slice(docs, func(i, j int) bool {
		if !s.dates[docs[i]].Equal(s.dates[docs[j]]) {
			return s.dates[docs[i]].Before(s.dates[docs[j]])
		}
		return docs[i] < docs[j]
	})
	type alert struct{ a, b string }
	var alerts []alert
	for _, d := range docs {
		res, err := in.Ingest(ctx, ingest.Input{Text: s.texts[d], Headline: true, File: d + ".txt", Outlet: d, Published: s.dates[d]})
		if err != nil {
			return err
		}
		for _, al := range res.Alerts {
			alerts = append(alerts, alert{al.New.Text, al.Old.Text})
			if r.log != nil {
				fmt.Fprintf(r.log, "%s: alert %.3f %q\n  new %s: %q\n  old %s: %q\n", s.name, al.Score, al.Reasons,
					al.New.Speaker, al.New.Text, al.Old.Speaker, al.Old.Text)
			}
		}
	}
	var texts []string
	err = st.View(ctx, func(tx *store.Tx) error {
		return tx.ForEachStatement(func(x *store.Statement) error {
			texts = append(texts, x.Text)
			return nil
		})
	})
	if err != nil {
		return err
	}
	r.Statements += len(texts)
	holds := func(text, key string) bool {
		return strings.Contains(text, key) || len(text) > 20 && strings.Contains(key, text)
	}
	matches := func(al alert, p goldPair) bool {
		return holds(al.a, p.A.Key) && holds(al.b, p.B.Key) || holds(al.a, p.B.Key) && holds(al.b, p.A.Key)
	}
	for _, p := range s.gold.Contradictions {
		for _, k := range []string{p.A.Key, p.B.Key} {
			r.Keys++
			for _, t := range texts {
				if holds(t, k) {
					r.KeysFound++
					break
				}
			}
		}
	}
	groups := map[string]bool{}
	found := map[string]bool{}
	for _, p := range s.gold.Contradictions {
		if p.Strength != "clear" {
			continue
		}
		g := p.A.Speaker + "\x00" + p.B.Speaker
		groups[g] = true
		for _, al := range alerts {
			if matches(al, p) {
				found[g] = true
			}
		}
	}
	r.Groups += len(groups)
	r.GroupsFound += len(found)
	for _, al := range alerts {
		r.Alerts++
		for _, p := range s.gold.Contradictions {
			if matches(al, p) {
				r.Matching++
				break
			}
		}
	}
	return nil
}

func (r *ingestResult) finish() {
	if r.Alerts > 0 {
		r.Precision = float64(r.Matching) / float64(r.Alerts)
	}
	if r.Groups > 0 {
		r.DisputeRecall = float64(r.GroupsFound) / float64(r.Groups)
	}
}
