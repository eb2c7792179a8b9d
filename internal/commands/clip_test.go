package commands

import (
	"fmt"
	"strings"
	"testing"
)

// clipByRunes is how clip was first written; clip must give the same.
func clipByRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func TestClipAsByRunes(t *testing.T) {
	for _, s := range []string{
		"", "short", "exactly ten", strings.Repeat("a", 200), strings.Repeat("é", 200),
		"we will build " + strings.Repeat("the bridge ", 30), "ends in space at the cut " + strings.Repeat(" ", 20) + "x",
		strings.Repeat("引用🗞️", 70), "bad \xff bytes " + strings.Repeat("\xfe", 170), strings.Repeat("ab\xc3", 90),
	} {
		for _, n := range []int{1, 2, 5, 10, 11, 12, 160} {
			if got, want := clip(s, n), clipByRunes(s, n); got != want {
				t.Errorf("clip(%.30q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

func FuzzClip(f *testing.F) {
	f.Add("we will build the bridge", 10)
	f.Add("bad \xff bytes", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 400 {
			return
		}
		if got, want := clip(s, n), clipByRunes(s, n); got != want {
			t.Fatalf("clip(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}

// timelineLine builds what fmt did before.
func TestTimelineLineAsFormatted(t *testing.T) {
	all := []string{"Ann Ek", "Bo “Bob” Li", "", "Ünal", "E", "F", "G", "H", "I"}
	for n := range 4 {
		for k := 0; k <= len(all); k++ {
			names := all[:k]
			want := fmt.Sprintf("%s: %s (%s)", "2024-05-01", plural(n, "statement", "statements"), strings.Join(clipList(names, 6), ", "))
			if got := string(timelineLine([]byte("junk")[:0], "2024-05-01", n, names)); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		}
	}
}
