package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"newsbot/internal/extract"
)

// extractLine is one statement in `bot extract --json` output (the
// contract in DESIGN.md).
type extractLine struct {
	File    string `json:"file"`
	Speaker string `json:"speaker"`
	Mention string `json:"mention"`
	Text    string `json:"text"`
	Kind    string `json:"kind"`
	Cue     string `json:"cue"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	// Beyond the contract: what the bot would store with the speaker.
	SpeakerType string `json:"speaker_type,omitempty"`
	Role        string `json:"role,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
}

// runExtract prints the statements found in article files (first line the
// headline), without a store: JSON lines with --json, else readable text.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("extract", "[--json] FILE...", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per statement")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("extract needs article files")
	}
	items, err := expand(fs.Args())
	if err != nil {
		return err
	}
	ex := extract.New()
	enc := json.NewEncoder(stdout)
	failed := 0
	for _, file := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(file)
		if err == nil && !utf8.Valid(data) {
			err = fmt.Errorf("not UTF-8 text")
		}
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "%s: %v\n", file, err)
			continue
		}
		// Offsets count code points into the file content exactly as read.
		found := ex.Extract(extract.Document{Text: string(data), Headline: true})
		for _, st := range found {
			line := extractLine{File: file, Speaker: st.Speaker.Name, Mention: st.Speaker.Mention, Text: st.Text,
				Kind: string(st.Kind), Cue: st.Cue, Start: st.Start, End: st.End,
				SpeakerType: string(st.Speaker.Type), Role: st.Speaker.Role, Affiliation: st.Speaker.Affiliation}
			if *asJSON {
				if err := enc.Encode(line); err != nil {
					return err
				}
				continue
			}
			who := line.Speaker
			if line.Role != "" {
				who += " (" + line.Role + ")"
			}
			fmt.Fprintf(stdout, "%s:%d-%d %s [%s, %s]: %q\n", file, line.Start, line.End, who, line.Kind, line.Cue, line.Text)
		}
		fmt.Fprintf(stderr, "%s: %d statements\n", file, len(found))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(items))
	}
	return nil
}
