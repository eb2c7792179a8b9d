package commands

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
)

type testBot struct {
	reg *Registry
	st  *store.Store
	in  *ingest.Ingester
}

func newTestBot(t *testing.T) *testBot {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// A clock that ticks a minute per reading, so ingest order is time order.
	var mu sync.Mutex
	clock := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
	in := ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}, Now: now})
	reg, err := New(Deps{Store: st, Ingester: in, Now: now, MaxStatements: 3,
		ReadFile: func(string) ([]byte, error) { return []byte("Filed\nAnn Lee (person): from a file"), nil }})
	if err != nil {
		t.Fatal(err)
	}
	return &testBot{reg: reg, st: st, in: in}
}

func (b *testBot) ask(t *testing.T, admin bool, line string) *Reply {
	t.Helper()
	return b.reg.Dispatch(context.Background(), &Request{Platform: "test", User: "u1", Text: line, IsAdmin: admin})
}

func (b *testBot) add(t *testing.T, outlet, date, text string) {
	t.Helper()
	d, _ := time.Parse("2006-01-02", date)
	if _, err := b.in.Ingest(context.Background(), ingest.Input{Text: text, Headline: true, Outlet: outlet, Published: d}); err != nil {
		t.Fatal(err)
	}
}

func allText(r *Reply) string {
	var b strings.Builder
	b.WriteString(r.Title + "\n" + r.Text + "\n")
	for _, s := range r.Sections {
		b.WriteString(s.Heading + " | " + s.Subheading + "\n")
		for _, f := range s.Fields {
			b.WriteString(f.Name + ": " + f.Value + "\n")
		}
		for _, l := range s.Lines {
			b.WriteString(l + "\n")
		}
		for _, st := range s.Statements {
			b.WriteString(st.Speaker + ": " + st.Text + "\n")
		}
	}
	return b.String()
}

func seedBridge(t *testing.T, b *testBot) {
	b.add(t, "Post", "2024-03-05", "Bridge\nElena Ruiz (person, mayor): the riverside bridge will open in May\nTom Baker (person, councillor): the bridge budget is not credible\n")
	b.add(t, "Star", "2024-03-06", "Bridge again\nElena Ruiz (person, mayor): the riverside bridge will open in May\nTom Baker (person, councillor): the summit on the bridge went badly\n")
}

func TestWhoSaidGroupsBySpeakerWithSources(t *testing.T) {
	b := newTestBot(t)
	seedBridge(t, b)
	r := b.ask(t, false, "who-said bridge")
	if r.Error || len(r.Sections) != 2 {
		t.Fatalf("reply: %s", allText(r))
	}
	var ruiz *Section
	for i := range r.Sections {
		if r.Sections[i].Heading == "Elena Ruiz" {
			ruiz = &r.Sections[i]
		}
	}
	if ruiz == nil || ruiz.Subheading != "mayor" || len(ruiz.Statements) != 1 {
		t.Fatalf("Ruiz section: %+v", ruiz)
	}
	srcs := ruiz.Statements[0].Sources
	if len(srcs) != 2 || srcs[0].Outlet != "Post" || srcs[1].Outlet != "Star" || srcs[1].Published.Format("2006-01-02") != "2024-03-06" {
		t.Errorf("the quote both outlets carried: sources %+v", srcs)
	}
	// Hyphen and space are the same; every term must match.
	if got := b.ask(t, false, "who-said riverside-bridge"); len(got.Sections) != 1 || got.Sections[0].Heading != "Elena Ruiz" {
		t.Errorf("riverside-bridge: %s", allText(got))
	}
	if got := b.ask(t, false, "who-said riverside bridge budget"); len(got.Sections) != 0 {
		t.Errorf("all terms required: %s", allText(got))
	}
	if got := b.ask(t, false, "who-said the"); !got.Error {
		t.Errorf("stop words only: %s", allText(got))
	}
}

func TestWhoSaidCapsStatements(t *testing.T) {
	b := newTestBot(t)
	for _, d := range []string{"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"} {
		b.add(t, "Post", d, "Tax "+d+"\nAnn Lee (person): taxes will fall on "+d+"\n")
	}
	r := b.ask(t, false, "who-said taxes")
	if n := len(r.Sections[0].Statements); n != 3 {
		t.Errorf("%d statements shown, want MaxStatements=3", n)
	}
	if !strings.Contains(r.Text, "5 statements; the best 3") {
		t.Errorf("text %q", r.Text)
	}
	// Equal relevance: newest first.
	if first := r.Sections[0].Statements[0].Text; !strings.Contains(first, "2024-01-05") {
		t.Errorf("first shown %q, want the newest", first)
	}
}

func TestStatus(t *testing.T) {
	b := newTestBot(t)
	seedBridge(t, b)
	r := b.ask(t, false, "status bridge")
	txt := allText(r)
	for _, want := range []string{"Statements: 3", "Speakers: 2", "2024-03-05 to 2024-03-06", "Latest developments",
		"Positions by party", "Timeline", "2024-03-05: 2 statements (Elena Ruiz, Tom Baker)", "Open contradictions", "None."} {
		if !strings.Contains(txt, want) {
			t.Errorf("status lacks %q:\n%s", want, txt)
		}
	}
	// A tracked story is found by its query.
	if r := b.ask(t, true, "track mayday \"riverside bridge\""); r.Error {
		t.Fatal(allText(r))
	}
	if r := b.ask(t, false, "status mayday"); !strings.Contains(allText(r), "Statements: 1") {
		t.Errorf("tracked story: %s", allText(r))
	}
	if r := b.ask(t, false, "stories"); !strings.Contains(allText(r), `mayday — "riverside bridge"`) {
		t.Errorf("stories: %s", allText(r))
	}
}

func TestSpeakerAndSourcesAndStats(t *testing.T) {
	b := newTestBot(t)
	seedBridge(t, b)
	r := b.ask(t, false, "speaker baker")
	if r.Error || r.Title != "Tom Baker" || !strings.Contains(allText(r), "Statements: 2") {
		t.Errorf("speaker: %s", allText(r))
	}
	if r := b.ask(t, false, "speaker nobody"); !r.Error {
		t.Errorf("unknown speaker: %s", allText(r))
	}
	r = b.ask(t, false, "sources 1")
	if len(r.Sections) != 1 || len(r.Sections[0].Lines) != 1 || !strings.Contains(r.Sections[0].Lines[0], "Bridge again") {
		t.Errorf("sources 1: %s", allText(r))
	}
	if r := b.ask(t, false, "sources lots"); !r.Error {
		t.Errorf("bad N accepted")
	}
	if r := b.ask(t, false, "stats"); !strings.Contains(allText(r), "Articles: 2") || !strings.Contains(allText(r), "Statements: 3") {
		t.Errorf("stats: %s", allText(r))
	}
}

func TestAdminCommandsRefusedForOthers(t *testing.T) {
	b := newTestBot(t)
	for _, line := range []string{"ingest Some text", "forget abc", "track x y", "untrack x"} {
		r := b.ask(t, false, line)
		if !r.Error || !strings.Contains(r.Text, "admins only") {
			t.Errorf("%q by a non-admin: %s", line, allText(r))
		}
	}
	if r := b.ask(t, true, "ingest \"Ann Lee (person): pasted words\""); r.Error {
		t.Errorf("admin ingest: %s", allText(r))
	}
}

func TestIngestForms(t *testing.T) {
	b := newTestBot(t)
	// A local file only from the console or the command line.
	r := b.reg.Dispatch(context.Background(), &Request{Platform: "console", User: "op", Text: "ingest --outlet Post notes/a.txt", IsAdmin: true})
	if r.Error || !strings.Contains(r.Text, "1 new statement") || !strings.Contains(r.Title, "Filed") {
		t.Errorf("console file: %s", allText(r))
	}
	r = b.ask(t, true, "ingest notes/a.txt")
	if r.Error || !strings.Contains(r.Text, "0 new statements") {
		t.Errorf("a chat user's path must be text, never a file read: %s", allText(r))
	}
	r = b.reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: "ingest", IsAdmin: true,
		Attachment: &Attachment{Name: "story.txt", ContentType: "text/plain", Data: []byte("Up\nBo Chan (person): uploaded words")}})
	if r.Error || !strings.Contains(r.Text, "1 new statement") {
		t.Errorf("upload: %s", allText(r))
	}
	r = b.reg.Dispatch(context.Background(), &Request{Platform: "slack", User: "U1", Text: "ingest", IsAdmin: true,
		Attachment: &Attachment{Name: "story.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}})
	if !r.Error || !strings.Contains(r.Text, "not a text file") {
		t.Errorf("pdf upload: %s", allText(r))
	}
	if r := b.ask(t, true, "ingest https://example.org/a"); !r.Error || !strings.Contains(r.Text, "not set up to fetch") {
		t.Errorf("URL without fetcher: %s", allText(r))
	}
	if r := b.ask(t, true, "ingest --date 2024-13-01 words"); !r.Error || !strings.Contains(r.Text, "YYYY-MM-DD") {
		t.Errorf("bad date: %s", allText(r))
	}
	if r := b.ask(t, true, "ingest \"Bo Chan (person): uploaded words\""); r.Error || !strings.Contains(r.Text, "1 statement already on record") {
		t.Errorf("pasted text carrying a known quote: %s", allText(r))
	}
}

func TestForget(t *testing.T) {
	b := newTestBot(t)
	seedBridge(t, b)
	var first string
	b.st.View(context.Background(), func(tx *store.Tx) error {
		arts, _ := tx.RecentArticles(10)
		for _, a := range arts {
			if a.Title == "Bridge" {
				first = a.ID
			}
		}
		return nil
	})
	if r := b.ask(t, true, "forget zzzz"); !r.Error {
		t.Errorf("unknown article: %s", allText(r))
	}
	r := b.ask(t, true, "forget "+first[:8])
	if r.Error || !strings.Contains(r.Text, "1 statement only it carried") {
		t.Fatalf("forget: %s", allText(r))
	}
	// The quote the second outlet also carried survives with one source.
	r = b.ask(t, false, "who-said riverside")
	if len(r.Sections) != 1 || len(r.Sections[0].Statements[0].Sources) != 1 {
		t.Errorf("after forget: %s", allText(r))
	}
	if r := b.ask(t, false, "who-said credible"); len(r.Sections) != 0 {
		t.Errorf("forgotten statement still found: %s", allText(r))
	}
}

func TestAlertCommands(t *testing.T) {
	b := newTestBot(t)
	seedBridge(t, b)
	ctx := context.Background()
	err := b.st.Update(ctx, func(tx *store.Tx) error {
		return tx.AddAlert(&store.Alert{New: 3, Old: 1, Score: 0.91, Reasons: []string{"B denies A"}, State: store.AlertOpen})
	})
	if err != nil {
		t.Fatal(err)
	}
	r := b.ask(t, false, "alerts")
	if len(r.Sections) != 1 || len(r.Sections[0].Statements) != 2 || len(r.Sections[0].Actions) != 2 {
		t.Fatalf("alerts: %+v", r)
	}
	if a := r.Sections[0].Actions[1]; a.ID != "alert.dismiss" || a.Command != "alert dismiss A1" {
		t.Errorf("action %+v", a)
	}
	if r := b.ask(t, false, "status bridge"); !strings.Contains(allText(r), "Contradiction A1 (open, score 0.91)") {
		t.Errorf("status lacks the open alert: %s", allText(r))
	} else {
		// The alert is a section of its own: both claims and both buttons.
		last := r.Sections[len(r.Sections)-1]
		if !strings.HasPrefix(last.Heading, "Contradiction A1") || len(last.Statements) != 2 || len(last.Actions) != 2 {
			t.Errorf("status's alert section: %+v", last)
		}
	}
	if r := b.ask(t, false, "alert dismiss A1"); r.Error || !strings.Contains(r.Text, "dismissed by test:u1") {
		t.Errorf("dismiss: %s", allText(r))
	}
	if r := b.ask(t, false, "alerts"); r.Text != "None." {
		t.Errorf("open alerts after dismiss: %s", allText(r))
	}
	if r := b.ask(t, false, "alerts all"); len(r.Sections) != 1 {
		t.Errorf("alerts all: %s", allText(r))
	}
	for _, bad := range []string{"alert dismiss A9", "alert frobnicate A1", "alert dismiss x", "alerts some"} {
		if r := b.ask(t, false, bad); !r.Error {
			t.Errorf("%q accepted: %s", bad, allText(r))
		}
	}
}
