// Package sharedtest finds the data sets in ../shared (beside the
// repository root) for tests and benchmarks, and skips when they are absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns ../shared/<rel> relative to the repository root (the
// nearest directory above the working directory holding go.mod), or skips
// the test with a message saying what is missing.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Skipf("no working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("no go.mod above the working directory: cannot find ../shared/%s", rel)
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s is absent (the shared data sets sit beside the repository): %v", p, err)
	}
	return p
}
