package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalQuotes(t *testing.T) {
	text := "Title.\n\n“The bridge is safe,” Anna Berg said.\n\nThe mayor thinks rates will rise."
	rs := []rune(text)
	at := func(s string) (int, int) {
		i := len([]rune(text[:strings.Index(text, s)]))
		return i, i + len([]rune(s))
	}
	cs, ce := at("“The bridge is safe,”")
	ss, se := at("Anna Berg")
	ks, ke := at("said")
	gold := map[string]any{"id": "a1", "text": text, "quotes": []any{map[string]any{
		"id": "E1", "has_source": true, "type_heuristic": "direct", "source_is_pronoun": false,
		"source":  []any{map[string]any{"start": ss, "end": se, "text": string(rs[ss:se])}},
		"cue":     []any{map[string]any{"start": ks, "end": ke, "text": "said"}},
		"content": []any{map[string]any{"start": cs, "end": ce, "text": string(rs[cs:ce])}},
	}}}
	line, err := json.Marshal(gold)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(path, append(line, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := dispatch(context.Background(), []string{"eval", "quotes", "--gold", path, "--json"}, &out, &errOut); err != nil {
		t.Fatalf("eval quotes: %v (%s)", err, errOut.String())
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("want one JSON line, got %q", out.String())
	}
	var rep struct {
		Rows []struct {
			Subset, Kind      string
			Gold, System      int
			Precision, Recall float64
			PairF1            float64 `json:"pair_f1"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.Subset == "speech" && r.Kind == "all" {
			if r.Gold != 1 || r.System != 1 || r.Precision != 1 || r.Recall != 1 || r.PairF1 != 1 {
				t.Fatalf("speech/all row %+v", r)
			}
			return
		}
	}
	t.Fatal("no speech/all row")
}

func TestEvalUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	for _, args := range [][]string{{"eval"}, {"eval", "nosuch"}, {"eval", "quotes"}} {
		err := dispatch(context.Background(), args, &out, &errOut)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: want a usage error, got %v", args, err)
		}
	}
}
