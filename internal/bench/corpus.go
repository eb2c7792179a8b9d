package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"newsbot/internal/ingest"
)

// ErrNoCorpus is returned when the corpus directory is missing or holds no
// articles.
var ErrNoCorpus = errors.New("no corpus")

// LoadCorpus reads every article under dir: one article per .txt file, its
// first line the headline (the layout of ../shared/corpus/bbc). Files are
// read in path order; README files are skipped. limit > 0 keeps the first
// limit articles.
func LoadCorpus(dir string, limit int) ([]ingest.Input, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%w: %s is not there (the corpus is ../shared/corpus/bbc beside the repository; pass --corpus DIR): %w", ErrNoCorpus, dir, err)
	}
	var paths []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") || strings.HasPrefix(strings.ToUpper(d.Name()), "README") {
			return nil
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read corpus %s: %w", dir, err)
	}
	slices.Sort(paths)
	if limit > 0 && len(paths) > limit {
		paths = paths[:limit]
	}
	out := make([]ingest.Input, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read corpus: %w", err)
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, ingest.Input{Text: string(b), Headline: true, File: rel, Outlet: "BBC"})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no .txt articles under %s", ErrNoCorpus, dir)
	}
	return out, nil
}

// FindShared looks for the shared data directory beside the repository:
// ../shared from the first directory at or above start that holds go.mod.
func FindShared(start string) (string, bool) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if st, err := os.Stat(shared); err == nil && st.IsDir() {
				return shared, true
			}
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
