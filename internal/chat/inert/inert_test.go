package inert

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\nline":                 "plain\ttext\nline",
		"\x1b[31mred\x1b[0m":                "[31mred[0m",
		"bell\a and \u009b C1":              "bell and  C1",
		"\u202eevil\u202c override":         "evil override",
		"family \U0001F468\u200d\U0001F469": "family \U0001F468\u200d\U0001F469",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
