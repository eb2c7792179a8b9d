package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract: arbitrary input never panics, and every statement's
// offsets lie inside the text, in order.
func FuzzExtract(f *testing.F) {
	f.Add("Title\n“We will win,” Petrov said.")
	f.Add("T\nAccording to the ministry, “the roads are open\n\n“and safe,” he said, adding that")
	f.Add("\"\"\"“”‘’'\n\n, said , according to , said: “")
	ex := New()
	f.Fuzz(func(t *testing.T, text string) {
		for _, headline := range []bool{true, false} {
			n := utf8.RuneCountInString(text)
			for _, st := range ex.Extract(Document{Text: text, Headline: headline}) {
				if st.Start < 0 || st.End < st.Start || st.End > n || st.MentionEnd < st.MentionStart || st.MentionEnd > n {
					t.Fatalf("bad offsets %+v in %q", st, text)
				}
				if st.Kind == Direct && utf8.ValidString(text) && string([]rune(text)[st.Start:st.End]) != st.Text {
					t.Fatalf("direct text %q is not at %d-%d", st.Text, st.Start, st.End)
				}
			}
		}
	})
}

// bigArticle is about 1 MB of text written for this test: quotations,
// reported speech, an unclosed quotation and long runs without breaks.
func bigArticle() string {
	var b strings.Builder
	b.WriteString("A long day at the council\n")
	paras := []string{
		"“We are ready to help,” Col. Gen. Ivan Petrov, the head of the centre, said on Monday.",
		"Anna Berg, a council aide, said the bridge would reopen, adding that repairs “will take a year.”",
		"According to the State Department, the talks ended. The aide said: “Nothing has changed.",
		"“It is late,” he said, “and it is dark.” She told reporters that the vote was close, officials said.",
		strings.Repeat("said according to “ ", 40),
	}
	for b.Len() < 1<<20 {
		for _, p := range paras {
			b.WriteString(p)
			b.WriteString("\n\n")
		}
	}
	b.WriteString(strings.Repeat("word, said ", 20000)) // one paragraph of 200 KB
	return b.String()
}

func TestLargeArticleFinishes(t *testing.T) {
	got := New().Extract(Document{Text: bigArticle(), Headline: true})
	if len(got) == 0 {
		t.Fatal("no statements in the large article")
	}
}

func BenchmarkExtract1MB(b *testing.B) {
	text := bigArticle()
	ex := New()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ex.Extract(Document{Text: text, Headline: true})
	}
}
