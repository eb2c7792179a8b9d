package commands

import (
	"slices"
	"strings"
)

// suggest returns the command names close to a mistyped one: within two
// edits (Damerau-Levenshtein), or the unique name it begins.
func suggest(name string, names []string) []string {
	var close []string
	for _, n := range names {
		if editDistance(name, n) <= 2 {
			close = append(close, n)
		}
	}
	if len(close) == 0 {
		var prefixed []string
		for _, n := range names {
			if len(name) >= 2 && strings.HasPrefix(n, name) {
				prefixed = append(prefixed, n)
			}
		}
		if len(prefixed) == 1 {
			close = prefixed
		}
	}
	slices.Sort(close)
	return slices.Compact(close)
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
