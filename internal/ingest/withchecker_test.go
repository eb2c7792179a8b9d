package ingest

import (
	"testing"
)

// An ingester without the checker writes the same store and raises no
// alerts; the one it came from still checks.
func TestWithCheckerNil(t *testing.T) {
	in := newIngester(t, Options{Checker: pairChecker{}})
	off := in.WithChecker(nil)
	if off.Checks() || !in.Checks() {
		t.Fatalf("Checks: without %v, with %v", off.Checks(), in.Checks())
	}
	mustIngest(t, off, Input{File: "a.txt", Text: "Ann Lee (person): agreements were reached"})
	if r := mustIngest(t, off, Input{File: "b.txt", Text: "Bo Chan (person): agreements were never reached"}); len(r.Alerts) != 0 || r.New != 1 {
		t.Errorf("without the checker: %+v", r)
	}
	if r := mustIngest(t, in, Input{File: "c.txt", Text: "Cy Diaz (person): agreements were broken"}); len(r.Alerts) == 0 {
		t.Errorf("with the checker, on the same store: no alert in %+v", r)
	}
	checkStore(t, in.Store())
}
