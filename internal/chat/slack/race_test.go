package slack

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/internal/candidates"
	"newsbot/internal/commands"
	"newsbot/internal/config"
	"newsbot/internal/extract"
	"newsbot/internal/ingest"
	"newsbot/internal/store"
)

// Queries, a bulk ingest with the real extractor and contradiction checker,
// and the alerts it raises being posted, all at once (run it with -race):
// every query is answered, every alert raised is posted once, and the
// store's invariants hold at the end.
func TestConcurrentQueriesIngestAndAlertPosting(t *testing.T) {
	def := config.Default().Alerts
	checker, err := candidates.NewDefault(def.Threshold, def.WindowDays)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{extractor: extract.New(), checker: checker})
	reg, err := commands.New(commands.Deps{Store: e.st, Ingester: e.ingester, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 12
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	raised := 0
	wg.Go(func() { // the bulk ingest: each round's second article contradicts its first
		defer cancel()
		for i := range rounds {
			w := word(i + 30)
			for j, not := range []string{"", "not "} {
				text := fmt.Sprintf("Plan %s news %d\n\n\"The %s bridge will %sopen in March,\" Mayor Ann Lee said on Monday.\n\n"+
					"\"We will %sraise taxes for the %s bridge,\" Ann Lee said.\n", w, j, w, not, not, w)
				res, err := e.ingester.Ingest(ctx, ingest.Input{Text: text, Headline: true, Outlet: "Wire"})
				if err != nil {
					t.Errorf("ingest %d/%d: %v", i, j, err)
					return
				}
				mu.Lock()
				raised += len(res.Alerts)
				mu.Unlock()
			}
		}
	})
	queries := 0
	for g := range 2 { // users asking through Socket Mode while it runs
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				cmd, text := "/who-said", "bridge"
				if n%2 == 1 {
					cmd, text = "/status", "taxes "+word(30+n%rounds)
				}
				p := e.slash(cmd, text, reader, newsCh)
				id := e.f.envelope("slash_commands", p)
				a, took := e.f.waitAck(id, 5*time.Second)
				if took > 3*time.Second {
					t.Errorf("%s %s by user %d: ack after %s", cmd, text, g, took)
				}
				if len(a.Payload) == 0 || string(a.Payload) == "null" {
					// Too long for the ack: the answer follows through the response_url.
					e.f.waitCall(10*time.Second, 1, cmd+" "+text, toResponse(p))
				}
				mu.Lock()
				queries++
				mu.Unlock()
			}
		})
	}
	wg.Go(func() { // and commands straight at the registry (console, control socket)
		for ctx.Err() == nil {
			for _, line := range []string{"who-said taxes", "alerts", "stats", "speaker Ann Lee"} {
				if r := reg.Dispatch(context.Background(), &commands.Request{Platform: "console", User: "op", Text: line, IsAdmin: true}); r.Error && strings.Contains(r.Text, "Internal error") {
					t.Errorf("%s: %s", line, r.Text)
				}
			}
		}
	})
	wg.Wait()
	if raised == 0 {
		t.Fatal("the ingest raised no alerts, so nothing was posted concurrently")
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(e.f.callsOf(toAlerts)) < raised && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := len(e.f.callsOf(toAlerts)); got != raised {
		t.Errorf("%d alerts raised, %d posted", raised, got)
	}
	var problems []store.Problem
	if err := e.st.View(context.Background(), func(tx *store.Tx) error {
		var err error
		problems, err = tx.Check()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("store invariants broken: %v", problems)
	}
	t.Logf("%d articles, %d alerts raised and posted, %d Slack queries answered meanwhile", 2*rounds, raised, queries)
}
