package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var day = time.Date(2018, 7, 20, 0, 0, 0, 0, time.UTC)

// addArticle stores an article with one statement per text, all by one
// speaker, and returns the statement ids.
func addArticle(t *testing.T, s *Store, id string, date time.Time, speaker string, texts ...string) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.Update(context.Background(), func(tx *Tx) error {
		a := &Article{ID: id, Title: "T " + id, Published: date, Ingested: date, TextHash: "h" + id, Text: strings.Join(texts, " ")}
		if err := tx.PutArticle(a); err != nil {
			return err
		}
		sp := Speaker{Name: speaker, Type: "person"}
		if found := tx.SpeakersByAlias(speaker); len(found) > 0 {
			sp.ID = found[0]
		} else if err := tx.PutSpeaker(&sp); err != nil {
			return err
		}
		for i, text := range texts {
			st := &Statement{SpeakerID: sp.ID, Text: text, Kind: "direct", Terms: strings.Fields(strings.ToLower(text)),
				QuoteHash: "q" + text, Sources: []Source{{ArticleID: id, Start: i * 10, End: i*10 + len(text), Date: date}}}
			if err := tx.AddStatement(st); err != nil {
				return err
			}
			ids = append(ids, st.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func checkClean(t *testing.T, s *Store) {
	t.Helper()
	err := s.View(context.Background(), func(tx *Tx) error {
		probs, err := tx.Check()
		for _, p := range probs {
			t.Errorf("invariant: %s", p.What)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoundTrip(t *testing.T) {
	s := openTemp(t)
	ids := addArticle(t, s, "a1", day, "Jane Doe", "we will build the bridge", "the bridge is safe")
	err := s.View(context.Background(), func(tx *Tx) error {
		st, ok, err := tx.Statement(ids[1])
		if err != nil || !ok {
			t.Fatalf("statement: %v %v", ok, err)
		}
		if st.Text != "the bridge is safe" || st.Sources[0].ArticleID != "a1" {
			t.Errorf("statement = %+v", st)
		}
		a, ok, err := tx.Article("a1")
		if err != nil || !ok || len(a.Statements) != 2 {
			t.Errorf("article = %+v, %v, %v", a, ok, err)
		}
		if got := tx.StatementsBySpeaker(st.SpeakerID, 0); len(got) != 2 || got[0] != ids[1] {
			t.Errorf("by speaker = %v, want newest first %v", got, ids)
		}
		if got := tx.StatementCount(); got != 2 {
			t.Errorf("count = %d", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, s)
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	s.Close()
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(context.Background(), func(tx *Tx) error {
		if n := tx.StatementCount(); n != 1 {
			t.Errorf("after reopen: %d statements", n)
		}
		return nil
	})
}

func TestSearchNeedsAllTermsAndRanks(t *testing.T) {
	s := openTemp(t)
	old := addArticle(t, s, "a1", day, "Ann Lee", "summit in washington went well")
	addArticle(t, s, "a2", day.AddDate(0, 0, 1), "Bo Chan", "washington is cold")
	newer := addArticle(t, s, "a3", day.AddDate(0, 0, 2), "Cy Diaz", "the washington summit failed")
	strong := addArticle(t, s, "a4", day, "Di Eve", "summit summit washington summit")
	s.View(context.Background(), func(tx *Tx) error {
		hits, err := tx.Search([]string{"washington", "summit"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint64
		for _, h := range hits {
			got = append(got, h.ID)
		}
		// a4 repeats "summit": most relevant; a1 and a3 tie on relevance
		// (same tf), so the newer a3 comes first; a2 lacks "summit".
		want := []uint64{strong[0], newer[0], old[0]}
		if len(got) != len(want) {
			t.Fatalf("hits %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("hits %v, want %v", got, want)
			}
		}
		if hits, _ := tx.Search([]string{"washington", "nowhere"}, 10); len(hits) != 0 {
			t.Errorf("unknown term matched %v", hits)
		}
		if hits, _ := tx.Search([]string{"washington"}, 2); len(hits) != 2 {
			t.Errorf("limit: %d hits", len(hits))
		}
		return nil
	})
}

func TestContextTermsWeighLess(t *testing.T) {
	s := openTemp(t)
	var inWords, inContext uint64
	s.Update(context.Background(), func(tx *Tx) error {
		tx.PutArticle(&Article{ID: "a", Ingested: day, TextHash: "h"})
		sp := Speaker{Name: "X", Type: "person"}
		tx.PutSpeaker(&sp)
		st1 := &Statement{SpeakerID: sp.ID, Text: "t1", Terms: []string{"refugee"}, Sources: []Source{{ArticleID: "a", Date: day}}}
		st2 := &Statement{SpeakerID: sp.ID, Text: "t2", Terms: []string{"return"}, ContextTerms: []string{"refugee"},
			Sources: []Source{{ArticleID: "a", Start: 5, Date: day.AddDate(1, 0, 0)}}}
		tx.AddStatement(st1)
		tx.AddStatement(st2)
		inWords, inContext = st1.ID, st2.ID
		return nil
	})
	s.View(context.Background(), func(tx *Tx) error {
		hits, _ := tx.Search([]string{"refugee"}, 10)
		if len(hits) != 2 || hits[0].ID != inWords || hits[1].ID != inContext {
			t.Errorf("hits = %+v: the statement whose words hold the term must rank first", hits)
		}
		return nil
	})
	checkClean(t, s)
}

func TestAddSourceMergesAndReindexesDate(t *testing.T) {
	s := openTemp(t)
	ids := addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	later := day.AddDate(0, 1, 0)
	err := s.Update(context.Background(), func(tx *Tx) error {
		if err := tx.PutArticle(&Article{ID: "a2", Ingested: later, Published: later, TextHash: "h2"}); err != nil {
			return err
		}
		st, err := tx.AddSource(ids[0], Source{ArticleID: "a2", Date: later})
		if len(st.Sources) != 2 {
			t.Errorf("sources = %d", len(st.Sources))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(context.Background(), func(tx *Tx) error {
		hits, _ := tx.Search([]string{"bridge"}, 1)
		if len(hits) != 1 || !hits[0].Date.Equal(later) {
			t.Errorf("hit date = %+v, want the latest source's date %v", hits, later)
		}
		if got := tx.StatementsBetween(later, later.Add(time.Hour), 0); len(got) != 1 {
			t.Errorf("time index: %v", got)
		}
		return nil
	})
	checkClean(t, s)
}

func TestDeleteArticleCascades(t *testing.T) {
	s := openTemp(t)
	a := addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe", "taxes will fall")
	b := addArticle(t, s, "a2", day, "John Roe", "the bridge is unsafe")
	ctx := context.Background()
	err := s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.AddSource(a[0], Source{ArticleID: "a2", Date: day}); err != nil {
			return err
		}
		return tx.AddAlert(&Alert{New: b[0], Old: a[1], Score: 0.9, Reasons: []string{"r"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx *Tx) error {
		stmts, alerts, err := tx.DeleteArticle("a1")
		if stmts != 1 || alerts != 1 {
			t.Errorf("deleted %d statements, %d alerts; want 1 (only a1 carried it), 1", stmts, alerts)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *Tx) error {
		if _, ok, _ := tx.Statement(a[0]); !ok {
			t.Error("statement also carried by a2 was deleted")
		}
		if _, ok, _ := tx.Statement(a[1]); ok {
			t.Error("statement only a1 carried survived")
		}
		if hits, _ := tx.Search([]string{"taxes"}, 5); len(hits) != 0 {
			t.Errorf("deleted statement still found: %v", hits)
		}
		if _, ok := tx.AlertForPair(b[0], a[1]); ok {
			t.Error("alert pair survived")
		}
		return nil
	})
	checkClean(t, s)
	if err := s.Update(ctx, func(tx *Tx) error { _, _, err := tx.DeleteArticle("nope"); return err }); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete missing: %v", err)
	}
}

func TestAlertsOncePerPair(t *testing.T) {
	s := openTemp(t)
	a := addArticle(t, s, "a1", day, "Jane Doe", "we agreed")
	b := addArticle(t, s, "a2", day, "John Roe", "nobody agreed")
	ctx := context.Background()
	var id uint64
	err := s.Update(ctx, func(tx *Tx) error {
		al := Alert{New: b[0], Old: a[0], Score: 0.8}
		if err := tx.AddAlert(&al); err != nil {
			return err
		}
		id = al.ID
		if err := tx.AddAlert(&Alert{New: a[0], Old: b[0]}); err == nil {
			t.Error("second alert on the same pair (reversed) was accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(ctx, func(tx *Tx) error {
		al, err := tx.SetAlertState(id, AlertDismissed, "slack:U1", day)
		if err != nil || al.State != AlertDismissed || al.StateBy != "slack:U1" {
			t.Errorf("dismiss: %+v %v", al, err)
		}
		if _, err := tx.SetAlertState(id, "maybe", "x", day); err == nil {
			t.Error("bad state accepted")
		}
		return nil
	})
	s.View(ctx, func(tx *Tx) error {
		open, _ := tx.Alerts(false, 0)
		all, _ := tx.Alerts(true, 0)
		if len(open) != 0 || len(all) != 1 {
			t.Errorf("open %d all %d", len(open), len(all))
		}
		return nil
	})
}

func TestSpeakerAliases(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	s.Update(ctx, func(tx *Tx) error {
		sp := Speaker{Name: "Mike Pompeo", Type: "person", Aliases: []string{"Pompeo", "Secretary Pompeo"}}
		if err := tx.PutSpeaker(&sp); err != nil {
			t.Fatal(err)
		}
		other := Speaker{Name: "Jane Pompeo", Type: "person", Aliases: []string{"Pompeo"}}
		tx.PutSpeaker(&other)
		if got := tx.SpeakersByAlias("the  POMPEO"); len(got) != 2 {
			t.Errorf("surname: %v", got)
		}
		if got := tx.SpeakersByAlias("mike pompeo"); len(got) != 1 || got[0] != sp.ID {
			t.Errorf("full name: %v", got)
		}
		// Renaming drops the old alias entries.
		sp.Aliases = nil
		tx.PutSpeaker(&sp)
		if got := tx.SpeakersByAlias("secretary pompeo"); len(got) != 0 {
			t.Errorf("stale alias: %v", got)
		}
		return nil
	})
	checkClean(t, s)
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	// A file as the first release wrote it: schema v1, no state bucket,
	// one key per posting (migrate_test.go goes through the indexes).
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	s.Close()
	downgrade(t, path, 1, false)

	// This code brings it to the current schema, keeping the data.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutState("k", []byte("v")) }); err != nil {
		t.Fatalf("state bucket after migrating v1: %v", err)
	}
	checkClean(t, s)
	s.Close()

	// A future step that adds a bucket and copies data: applied once, in order.
	next := SchemaVersion + 1
	applied := 0
	future := append(builtinMigrations(), Migration{From: SchemaVersion, Name: "add extra", Apply: func(tx *bolt.Tx) error {
		applied++
		b, err := tx.CreateBucket([]byte("extra"))
		if err != nil {
			return err
		}
		return b.Put([]byte("n"), tx.Bucket(bMeta).Get(keyStatementCount))
	}})
	s, err = Open(path, Options{migrations: future, version: next})
	if err != nil {
		t.Fatal(err)
	}
	s.db.View(func(tx *bolt.Tx) error {
		if v := schemaOf(tx); v != next {
			t.Errorf("schema = %d", v)
		}
		if tx.Bucket([]byte("extra")) == nil || getU64(tx.Bucket([]byte("extra")).Get([]byte("n"))) != 1 {
			t.Error("migration did not run on the data")
		}
		return nil
	})
	s.Close()
	if s, err = Open(path, Options{migrations: future, version: next}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if applied != 1 {
		t.Errorf("migration applied %d times", applied)
	}

	// This code refuses a newer file rather than misreading it.
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("opening a newer schema: %v", err)
	}

	// A failing migration leaves the file as it was.
	bad := append(future, Migration{From: next, Name: "fails", Apply: func(tx *bolt.Tx) error {
		tx.DeleteBucket(bStatements)
		return errors.New("boom")
	}})
	if _, err := Open(path, Options{migrations: bad, version: next + 1}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing migration: %v", err)
	}
	s, err = Open(path, Options{migrations: future, version: next})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkClean(t, s)
}

func TestStateAndUnpostedAlerts(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	addArticle(t, s, "a2", day.Add(24*time.Hour), "John Roe", "the bridge is not safe")
	err := s.Update(ctx, func(tx *Tx) error {
		if err := tx.PutState("matrix/next_batch", []byte("s42")); err != nil {
			return err
		}
		for _, pair := range [][2]uint64{{2, 1}} {
			if err := tx.AddAlert(&Alert{New: pair[0], Old: pair[1], Score: 0.9}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *Tx) error {
		if got := string(tx.State("matrix/next_batch")); got != "s42" {
			t.Errorf("state = %q", got)
		}
		if tx.State("absent") != nil {
			t.Error("absent key has a value")
		}
		owed, err := tx.AlertsNotPosted("slack", "C1")
		if err != nil || len(owed) != 1 {
			t.Errorf("owed before posting = %v, %v", owed, err)
		}
		return nil
	})
	err = s.Update(ctx, func(tx *Tx) error {
		if err := tx.AddAlertPost(1, Post{Platform: "slack", Channel: "C1", MessageID: "1.2"}); err != nil {
			return err
		}
		return tx.PutState("matrix/next_batch", nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, func(tx *Tx) error {
		if owed, _ := tx.AlertsNotPosted("slack", "C1"); len(owed) != 0 {
			t.Errorf("still owed after posting: %v", owed)
		}
		if owed, _ := tx.AlertsNotPosted("slack", "C2"); len(owed) != 1 {
			t.Errorf("another channel is owed it too: %v", owed)
		}
		if tx.State("matrix/next_batch") != nil {
			t.Error("nil did not delete the state")
		}
		return nil
	})
}

func TestRebuildIndexesRepairs(t *testing.T) {
	s := openTemp(t)
	addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	ctx := context.Background()
	// Corrupt the term index behind the store's back.
	s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bIdxTermBlocks)
		b.Put(termKey("ghost", 99), encodeBlock([]entry{{id: 99, flags: inText, tf: 1, date: day.Unix(), speaker: 1}}, true, 1))
		b.Put(termKey("junk", 5), []byte{1, 2, 3})
		return b.Delete(termKey("bridge", 1))
	})
	var before int
	s.View(ctx, func(tx *Tx) error {
		probs, _ := tx.Check()
		before = len(probs)
		malformed := false
		for _, p := range probs {
			malformed = malformed || strings.Contains(p.What, "junk") && strings.Contains(p.What, "malformed")
		}
		if !malformed {
			t.Errorf("check did not report the malformed block: %v", probs)
		}
		// Readers step over it rather than fail.
		if hits, err := tx.Search([]string{"junk"}, 5); err == nil && len(hits) != 0 {
			t.Errorf("a malformed block gave hits %v", hits)
		}
		return nil
	})
	if before == 0 {
		t.Fatal("check found nothing in a corrupted index")
	}
	if err := s.Update(ctx, func(tx *Tx) error { return tx.RebuildIndexes() }); err != nil {
		t.Fatal(err)
	}
	checkClean(t, s)
}

// TestLockedDatabase: a second process opening the file gets ErrLocked
// within the lock timeout instead of hanging.
func TestLockedDatabase(t *testing.T) {
	if os.Getenv("NEWSBOT_LOCK_CHILD") != "" {
		_, err := Open(os.Getenv("NEWSBOT_LOCK_CHILD"), Options{LockTimeout: 300 * time.Millisecond})
		if errors.Is(err, ErrLocked) && strings.Contains(err.Error(), "another newsbot") {
			os.Exit(3)
		}
		os.Exit(1)
	}
	s := openTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockedDatabase$")
	cmd.Env = append(os.Environ(), "NEWSBOT_LOCK_CHILD="+s.Path())
	start := time.Now()
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("child: %v, want exit 3 (ErrLocked with a clear message)", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("child took %s", d)
	}
}

func TestBackupIsConsistentCopy(t *testing.T) {
	s := openTemp(t)
	addArticle(t, s, "a1", day, "Jane Doe", "the bridge is safe")
	out := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.BackupFile(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	b, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkClean(t, b)
	b.View(context.Background(), func(tx *Tx) error {
		if n := tx.StatementCount(); n != 1 {
			t.Errorf("backup holds %d statements", n)
		}
		return nil
	})
}

func TestParseRef(t *testing.T) {
	for in, want := range map[string]uint64{"S12": 12, "s12": 12, "12": 12, " A7 ": 0} {
		got, err := ParseRef('S', in)
		if want == 0 {
			if err == nil {
				t.Errorf("%q: no error", in)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q = %d, %v", in, got, err)
		}
	}
}

func TestNormaliseName(t *testing.T) {
	for in, want := range map[string]string{
		"The State Department": "state department",
		"Sergei Lavrov":        "sergei lavrov",
		"  José   Núñez ":      "jose nunez",
		"U.S. Army":            "us army",
		"O’Brien":              "obrien",
	} {
		if got := NormaliseName(in); got != want {
			t.Errorf("NormaliseName(%q) = %q, want %q", in, got, want)
		}
	}
}
