package commands

import (
	"slices"
	"strconv"
	"strings"
)

// timelineNames is how many speakers a timeline line names before "N more".
const timelineNames = 6

// timeline is a story's statements per day, oldest first: a line a day
// with how many statements and who made them. A story of a common word
// spans hundreds of days, so the lines are built with few allocations.
func (v *viewer) timeline(stmts []*storyHit) (Section, error) {
	type day struct {
		key   string
		n     int
		names []string
	}
	var days []day
	index := map[string]int{}
	var buf [16]byte
	for _, sh := range stmts {
		b := sh.first.AppendFormat(buf[:0], "2006-01-02")
		i, ok := index[string(b)] // no string made for a day already seen
		if !ok {
			i = len(days)
			days = append(days, day{key: string(b)})
			index[days[i].key] = i
		}
		d := &days[i]
		d.n++
		sp, err := v.speaker(sh.speaker)
		if err != nil {
			return Section{}, err
		}
		if !slices.Contains(d.names, sp.Name) {
			d.names = append(d.names, sp.Name)
		}
	}
	slices.SortFunc(days, func(a, b day) int { return strings.Compare(a.key, b.key) })
	sec := Section{Heading: "Timeline"}
	if len(days) > 0 {
		sec.Lines = make([]string, len(days))
	}
	var line []byte
	for i, d := range days {
		line = timelineLine(line[:0], d.key, d.n, d.names)
		sec.Lines[i] = string(line)
	}
	return sec, nil
}

// timelineLine appends "2024-05-01: 3 statements (Ann, Bob)" to dst.
func timelineLine(dst []byte, day string, n int, names []string) []byte {
	dst = append(dst, day...)
	dst = append(dst, ": "...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	if n == 1 {
		dst = append(dst, " statement ("...)
	} else {
		dst = append(dst, " statements ("...)
	}
	for i, name := range names[:min(len(names), timelineNames)] {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, name...)
	}
	if len(names) > timelineNames {
		dst = append(dst, ", "...)
		dst = strconv.AppendInt(dst, int64(len(names)-timelineNames), 10)
		dst = append(dst, " more"...)
	}
	return append(dst, ')')
}
