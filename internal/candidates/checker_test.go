package candidates

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"newsbot/internal/contradict"
	"newsbot/internal/ingest"
	"newsbot/internal/ingest/ingesttest"
	"newsbot/internal/store"
	"newsbot/internal/textindex"
)

func newChecker(t testing.TB, o Options) *Checker {
	t.Helper()
	sc, err := contradict.New()
	if err != nil {
		t.Fatal(err)
	}
	return New(sc, o)
}

func newIngester(t testing.TB, c ingest.Checker) *ingest.Ingester {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return ingest.New(ingest.Options{Store: st, Extractor: ingesttest.Lines{}, Checker: c})
}

var day0 = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

func ingestText(t testing.TB, in *ingest.Ingester, file string, days int, text string) ingest.Result {
	t.Helper()
	res, err := in.Ingest(context.Background(), ingest.Input{File: file, Outlet: strings.TrimSuffix(file, ".txt"),
		Published: day0.AddDate(0, 0, days), Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestContradictionAcrossArticlesIsAlertedOnce(t *testing.T) {
	in := newIngester(t, newChecker(t, Options{Threshold: 0.8}))
	ingestText(t, in, "a.txt", 0, "Ann Lee (person): The city council has approved the budget for the new harbour.\n"+
		"Ann Lee (person): The weather was fine for the opening.")
	r := ingestText(t, in, "b.txt", 1, "Bo Chan (person): The city council has not approved the budget for the new harbour.")
	if len(r.Alerts) != 1 {
		t.Fatalf("alerts = %+v, want one", r.Alerts)
	}
	a := r.Alerts[0]
	if a.Old.Speaker != "Ann Lee" || a.New.Speaker != "Bo Chan" || len(a.Reasons) == 0 || a.SameSpeaker {
		t.Errorf("alert = %+v", a)
	}
	if !strings.Contains(a.Reasons[0], "approved") {
		t.Errorf("reason %q does not name the negated words", a.Reasons[0])
	}
	// The same claim from another outlet merges into the known statement:
	// nothing new to check, no second alert.
	r = ingestText(t, in, "c.txt", 2, "Bo Chan (person): The city council has NOT approved the budget for the new harbour!\n"+
		"Cy Diaz (person): The ferry leaves at noon.")
	if len(r.Alerts) != 0 || r.Merged != 1 {
		t.Errorf("re-carried claim: %+v", r)
	}
	// The same article again is a duplicate.
	r = ingestText(t, in, "b.txt", 1, "Bo Chan (person): The city council has not approved the budget for the new harbour.")
	if r.DuplicateOf == "" || len(r.Alerts) != 0 {
		t.Errorf("duplicate article: %+v", r)
	}
	// The checker itself never returns a pair already alerted.
	err := in.Store().View(context.Background(), func(tx *store.Tx) error {
		var fresh []uint64
		tx.ForEachStatement(func(st *store.Statement) error {
			fresh = append(fresh, st.ID)
			return nil
		})
		again, err := newChecker(t, Options{}).Check(context.Background(), tx, fresh)
		if len(again) != 0 {
			t.Errorf("pairs already alerted returned again: %+v", again)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSameSpeakerChangingPosition(t *testing.T) {
	in := newIngester(t, newChecker(t, Options{}))
	ingestText(t, in, "a.txt", 0, "Ann Lee (person): We will sign the fishing treaty with Norway.")
	r := ingestText(t, in, "b.txt", 3, "Ann Lee (person): We will not sign the fishing treaty with Norway.")
	if len(r.Alerts) != 1 || !r.Alerts[0].SameSpeaker {
		t.Fatalf("alerts = %+v, want one labelled same speaker", r.Alerts)
	}
}

func TestWithinOneArticle(t *testing.T) {
	in := newIngester(t, newChecker(t, Options{}))
	r := ingestText(t, in, "a.txt", 0, "Ann Lee (person): Repairs on the northern rail line are already underway.\n"+
		"Bo Chan (person): Repairs on the northern rail line have not started yet.")
	if len(r.Alerts) != 1 {
		t.Fatalf("alerts = %+v, want the status flip", r.Alerts)
	}
}

func TestNoAlert(t *testing.T) {
	cases := []struct{ name, old, new string }{
		{"other matter", "Ann Lee (person): The council approved the budget for the new harbour.",
			"Bo Chan (person): The striker did not score in the cup final."},
		{"hedged", "Ann Lee (person): The council approved the budget for the new harbour.",
			"Bo Chan (person): The council may not have approved the budget for the new harbour."},
		{"paraphrase", "Ann Lee (person): The council approved the budget for the new harbour.",
			"Bo Chan (person): The budget for the new harbour was approved by the council."},
		{"part of", "Ann Lee (person): The council approved the budget for the new harbour after a long debate on Tuesday.",
			"Bo Chan (person): the budget for the new harbour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := newIngester(t, newChecker(t, Options{}))
			ingestText(t, in, "a.txt", 0, c.old)
			if r := ingestText(t, in, "b.txt", 1, c.new); len(r.Alerts) != 0 {
				t.Errorf("alerts = %+v", r.Alerts)
			}
		})
	}
}

func TestWindow(t *testing.T) {
	in := newIngester(t, newChecker(t, Options{Window: 30 * 24 * time.Hour}))
	ingestText(t, in, "a.txt", 0, "Ann Lee (person): The city council has approved the budget for the new harbour.")
	if r := ingestText(t, in, "b.txt", 45, "Bo Chan (person): The city council has not approved the budget for the new harbour."); len(r.Alerts) != 0 {
		t.Errorf("45 days apart with a 30-day window: %+v", r.Alerts)
	}
	// Out of order: the older article arrives later, within the window.
	if r := ingestText(t, in, "c.txt", -10, "Cy Diaz (person): The city council has not approved the budget for the new harbour yet."); len(r.Alerts) != 1 {
		t.Errorf("10 days before: %+v", r.Alerts)
	}
}

func TestThresholdIsHonoured(t *testing.T) {
	in := newIngester(t, newChecker(t, Options{Threshold: 0.999}))
	ingestText(t, in, "a.txt", 0, "Ann Lee (person): The city council has approved the budget for the new harbour.")
	if r := ingestText(t, in, "b.txt", 1, "Bo Chan (person): The city council has not approved the budget for the new harbour."); len(r.Alerts) != 0 {
		t.Errorf("threshold 0.999: %+v", r.Alerts)
	}
}

// TestCheckStatementsAsCheck: statements handed over as stored are
// checked as if read back, those not UTF-8 as the store gives them back.
func TestCheckStatementsAsCheck(t *testing.T) {
	a := newArchive(t)
	var fresh []*store.Statement
	a.update(func(tx *store.Tx) error {
		if err := article(tx, "x", 0); err != nil {
			return err
		}
		ann, err := speaker(tx, "Ann Lee")
		if err != nil {
			return err
		}
		// The last two hold bytes that are not UTF-8, which the store
		// gives back as U+FFFD.
		for _, text := range []string{"The council has approved the budget for the new harbour.",
			"The council has not approved the budget for the new harbour.",
			"They approved the budg\xffet for harb\xffour.",
			"We have not approved the budg\xffet for harb\xffour."} {
			st := store.Statement{SpeakerID: ann, Text: text, Kind: "direct", Cue: "said",
				Sources: []store.Source{{ArticleID: "x", Sentence: text, Date: day0}},
				Terms:   textindex.Terms(text), QuoteHash: ingest.QuoteHash(text)}
			if err := tx.AddStatement(&st); err != nil {
				return err
			}
			fresh = append(fresh, &st)
		}
		return nil
	})
	err := a.st.View(context.Background(), func(tx *store.Tx) error {
		got, err := newChecker(t, Options{}).CheckStatements(context.Background(), tx, fresh)
		if err != nil {
			return err
		}
		want, err := newChecker(t, Options{}).Check(context.Background(), tx, []uint64{1, 2, 3, 4})
		if !reflect.DeepEqual(got, want) || len(want) < 2 {
			t.Errorf("handed over %+v, read back %+v", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
