// Package quoteeval scores an extractor against PolNeAR-format gold
// attributions: statement content, (content, speaker) pairs and speaker
// accuracy, on the speech-cue subset and overall, by kind.
//
// The scoring rules are documented in docs/extraction.md.
package quoteeval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Span is a stretch of an article, in code points.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// GoldQuote is one gold attribution: a source mention, a cue and the
// content, each possibly in several pieces.
type GoldQuote struct {
	ID              string `json:"id"`
	HasSource       bool   `json:"has_source"`
	Source          []Span `json:"source"`
	Cue             []Span `json:"cue"`
	Content         []Span `json:"content"`
	Kind            string `json:"type_heuristic"` // direct, mixed, indirect (none: skipped)
	SourceIsPronoun bool   `json:"source_is_pronoun"`
}

// Article is one gold article: its full text (title line first) and its
// attributions.
type Article struct {
	ID     string      `json:"id"`
	Text   string      `json:"text"`
	Quotes []GoldQuote `json:"quotes"`
}

// ReadGold reads PolNeAR-format JSON lines.
func ReadGold(r io.Reader) ([]Article, error) {
	var out []Article
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var a Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("gold line %d: %w", line, err)
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading gold: %w", err)
	}
	return out, nil
}

// ReadGoldFile reads a gold file.
func ReadGoldFile(path string) ([]Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open gold: %w", err)
	}
	defer f.Close()
	arts, err := ReadGold(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return arts, nil
}
