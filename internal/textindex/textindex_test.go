package textindex

import (
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestTerms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Refugees returned home", "refuge return home"},
		{"washington-summit", "washington summit"},
		{"the Washington summit", "washington summit"},
		{"Russia's proposals", "russia propos"},
		{"U.S. and U.N. officials", "u.s u.n offici"},
		{"us and them", ""},
		{"José Núñez said 25,000 people", "jose nunez said 25 000 peopl"},
		{"Agreements reached; agreement reaches", "agreement reach agreement reach"},
		{"Mr. Trump", "mr trump"},
		{"", ""},
	} {
		if got := strings.Join(Terms(c.in), " "); got != c.want {
			t.Errorf("Terms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestQueryTermsMatchTextTerms(t *testing.T) {
	text := Terms("“We discussed the refugees’ safe return,” the Kremlin aide said after the Helsinki summit.")
	for _, q := range []string{"refugees", "refugee return", "helsinki-summit", "Kremlin"} {
		for _, term := range QueryTerms(q) {
			if !slices.Contains(text, term) {
				t.Errorf("query %q term %q not among the text's terms %v", q, term, text)
			}
		}
	}
	if got := QueryTerms("summit summit Summit"); len(got) != 1 {
		t.Errorf("repeats kept: %v", got)
	}
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"U.S.", "a.b.c.", "..", "Ünïcödé—dash", "x.y", "3.5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range Terms(s) {
			if term == "" || strings.ContainsAny(term, " \t\n") {
				t.Fatalf("bad term %q from %q", term, s)
			}
		}
	})
}

func BenchmarkTerms(b *testing.B) {
	text := strings.Repeat("Specific proposals on how work could be organised to ensure that refugees can return home "+
		"have been sent to the American side, senior ministry official General Mikhail Mizintsev said in a statement. ", 30)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Terms(text)
	}
}

func TestAnalyzerGivesTheTermsOfTerms(t *testing.T) {
	a := NewAnalyzer(3) // tiny: shards empty and refill all the time
	texts := []string{"Refugees returned home", "U.S. and U.N. officials", "José Núñez said 25,000 people",
		"Agreements reached; agreement reaches", "Refugees REFUGEES refugees", "", "Mr. Trump", "x.y.z. 3.5%",
		strings.Repeat("Supercalifragilisticexpialidocious", 2) + " words"}
	for range 3 {
		for _, s := range texts {
			if got, want := a.Terms(s), Terms(s); !slices.Equal(got, want) {
				t.Errorf("Analyzer.Terms(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// A term must not hold on to the text it came from: an analysed article's
// text would then stay in memory as long as any of its terms.
func TestTermsDoNotAliasTheText(t *testing.T) {
	text := "ministers 2026 u.s talks"
	a := NewAnalyzer(100)
	for _, terms := range [][]string{Terms(text), a.Terms(text)} {
		for _, term := range terms {
			if i := strings.Index(text, term); i >= 0 && unsafe.StringData(text[i:]) == unsafe.StringData(term) {
				t.Errorf("term %q shares the text's memory", term)
			}
		}
	}
}

func FuzzAnalyzerTerms(f *testing.F) {
	for _, s := range []string{"U.S.", "a.b.c.", "..", "Ünïcödé—dash", "x.y", "3.5%", "Refugees refugees"} {
		f.Add(s)
	}
	a := NewAnalyzer(64)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := a.Terms(s), Terms(s); !slices.Equal(got, want) {
			t.Fatalf("Analyzer.Terms(%q) = %q, Terms gives %q", s, got, want)
		}
	})
}

func BenchmarkAnalyzerTerms(b *testing.B) {
	text := strings.Repeat("Specific proposals on how work could be organised to ensure that refugees can return home "+
		"have been sent to the American side, senior ministry official General Mikhail Mizintsev said in a statement. ", 30)
	a := NewAnalyzer(100_000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		a.Terms(text)
	}
}
