package goldentest

import (
	"path/filepath"
	"strings"
	"testing"
)

// recorder catches what Check reports instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = format
}

func TestCheckWritesThenCompares(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	Check(t, path, "a\nb\n", true)
	Check(t, path, "a\nb\n", false)
	r := &recorder{TB: t}
	Check(r, path, "a\nc\n", false)
	if !r.failed {
		t.Error("a differing output passed")
	}
	if d := Diff("a\nb\n", "a\nc\n"); !strings.Contains(d, "line 2") || !strings.Contains(d, "want: b") {
		t.Errorf("Diff = %q", d)
	}
}
