package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"newsbot/internal/chat/console"
	"newsbot/internal/config"
	"newsbot/internal/ingest"
	"newsbot/internal/notify"
)

// The wired bot (open: real extractor, real checker) ingesting while the
// console answers who-said and status, with the alerts it raises printed
// by the console notifier between the replies. Run with -race.
func TestConcurrentConsoleQueriesIngestAndAlerts(t *testing.T) {
	cfg := config.Default()
	cfg.Database.Path = filepath.Join(t.TempDir(), "race.db")
	var con *console.Console
	var mu sync.Mutex
	posted := 0
	a, err := open(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), notify.Func(func(ctx context.Context, al notify.Alert) error {
		mu.Lock()
		posted++
		mu.Unlock()
		return con.Notifier().Post(ctx, al)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	pr, pw := io.Pipe()
	var out bytes.Buffer
	con = console.New(pr, &out, false, "operator", a.commands)
	runDone := make(chan error, 1)
	go func() { runDone <- con.Run(context.Background()) }()

	ingestDone := make(chan struct{})
	raised := 0
	go func() {
		defer close(ingestDone)
		for i := range 10 {
			for j, not := range []string{"", "not "} {
				w := string(rune('a'+i)) + "bay"
				text := fmt.Sprintf("Harbour news %s %d\n\n\"The %s harbour will %sopen in March,\" Mayor Ann Lee said on Monday.\n", w, j, w, not)
				res, err := a.ingester.Ingest(context.Background(), ingest.Input{Text: text, Headline: true, Outlet: "Wire"})
				if err != nil {
					t.Errorf("ingest: %v", err)
					return
				}
				raised += len(res.Alerts)
			}
		}
	}()
	asked := 0
	for done := false; !done; {
		select {
		case <-ingestDone:
			done = true
		default:
		}
		if _, err := io.WriteString(pw, "who-said harbour\nstatus harbour reopen\nalerts\n"); err != nil {
			t.Fatal(err)
		}
		asked += 3
	}
	pw.Close()
	if err := <-runDone; err != nil {
		t.Fatal(err)
	}
	if raised == 0 {
		t.Fatal("no alerts raised")
	}
	text := out.String()
	if got := strings.Count(text, "⚠ New contradiction alert"); got != raised || posted != raised {
		t.Errorf("%d alerts raised, %d handed to the notifier, %d printed", raised, posted, got)
	}
	if got := strings.Count(text, "Who said what about “harbour”"); got == 0 {
		t.Errorf("no who-said answers among %d commands", asked)
	}
	t.Logf("%d commands answered while 20 articles raised %d alerts", asked, raised)
}
