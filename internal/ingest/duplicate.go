package ingest

import "newsbot/internal/store"

// Duplicate is the stored article an ingest found to be the same.
type Duplicate struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Ref is where it came from: its URL, else its file name.
	Ref string `json:"ref,omitempty"`
	// Why: "same URL" (the canonical URL) or "same text" (the normalised
	// words).
	Why string `json:"why"`
}

func describeDuplicate(tx *store.Tx, id, why string) *Duplicate {
	d := &Duplicate{ID: id, Why: why}
	if a, ok, err := tx.Article(id); err == nil && ok {
		d.Title, d.Ref = a.Title, a.URL
		if d.Ref == "" {
			d.Ref = a.File
		}
	}
	return d
}
