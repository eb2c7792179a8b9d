package slack

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
)

type ran struct {
	name string
	at   time.Time
}

func TestQueuePerChannelOrderAndSpacing(t *testing.T) {
	q := newQueues(quietLog(), 80*time.Millisecond, backoff{10 * time.Millisecond, 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.run(ctx); close(done) }()
	var mu sync.Mutex
	var log []ran
	var wg sync.WaitGroup
	add := func(ch, name string, do func() error) {
		wg.Add(1)
		q.add(ch, &job{name: name, done: func(error) { wg.Done() }, do: func(context.Context) error {
			mu.Lock()
			log = append(log, ran{name, time.Now()})
			mu.Unlock()
			return do()
		}})
	}
	ok := func() error { return nil }
	failOnce := true
	add("A", "a1", ok)
	add("A", "a2", func() error { // rate limited once: the channel pauses, a2 goes again first
		if failOnce {
			failOnce = false
			return &slackapi.RateLimitedError{RetryAfter: 300 * time.Millisecond}
		}
		return nil
	})
	add("A", "a3", ok)
	add("B", "b1", ok)
	wg.Wait()
	cancel()
	<-done
	var a []ran
	var b ran
	for _, r := range log {
		if r.name == "b1" {
			b = r
		} else {
			a = append(a, r)
		}
	}
	names := ""
	for _, r := range a {
		names += r.name + " "
	}
	if names != "a1 a2 a2 a3 " {
		t.Fatalf("channel A ran %q, want a1 a2 a2 a3 (a2 retried before a3)", names)
	}
	if gap := a[1].at.Sub(a[0].at); gap < 80*time.Millisecond {
		t.Errorf("posts %s apart in one channel, want at least the spacing", gap)
	}
	if gap := a[2].at.Sub(a[1].at); gap < 300*time.Millisecond {
		t.Errorf("retried %s after a 429 asking for 300ms", gap)
	}
	if !b.at.Before(a[2].at) {
		t.Errorf("channel B waited for channel A's rate limit")
	}
}

func TestQueueGivesUpOnRepliesButNotOnPersistentJobs(t *testing.T) {
	q := newQueues(quietLog(), 0, backoff{time.Millisecond, 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.run(ctx)
	fail := errors.New("internal_error")
	var replyTries, alertTries int
	replyDone := make(chan error, 1)
	q.add("C", &job{name: "reply", do: func(context.Context) error { replyTries++; return fail },
		done: func(err error) { replyDone <- err }})
	alertDone := make(chan error, 1)
	q.add("C", &job{name: "alert", persistent: true, do: func(context.Context) error {
		alertTries++
		if alertTries < 10 {
			return fail
		}
		return nil
	}, done: func(err error) { alertDone <- err }})
	if err := <-replyDone; !errors.Is(err, fail) || replyTries != maxAttempts {
		t.Errorf("reply: %v after %d tries, want failure after %d", err, replyTries, maxAttempts)
	}
	if err := <-alertDone; err != nil || alertTries != 10 {
		t.Errorf("persistent job: %v after %d tries", err, alertTries)
	}
}

func TestBackoffDoublesUpToTheMaximum(t *testing.T) {
	b := backoff{2 * time.Second, 5 * time.Minute}
	for n, want := range map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second, 9: 5 * time.Minute, 50: 5 * time.Minute} {
		if got := b.wait(n); got != want {
			t.Errorf("wait(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestQueueAnswersPeopleBeforeABacklog(t *testing.T) {
	q := newQueues(quietLog(), 0, backoff{time.Millisecond, time.Millisecond})
	var order []string
	var wg sync.WaitGroup
	add := func(name string, urgent bool) {
		wg.Add(1)
		q.add("A", &job{name: name, urgent: urgent, done: func(error) { wg.Done() },
			do: func(context.Context) error { order = append(order, name); return nil }})
	}
	// Queued before the queues run, so the order is decided by priority.
	add("alert1", false)
	add("alert2", false)
	add("reply1", true)
	add("alert3", false)
	add("reply2", true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.run(ctx); close(done) }()
	wg.Wait()
	cancel()
	<-done
	if got := strings.Join(order, " "); got != "reply1 reply2 alert1 alert2 alert3" {
		t.Errorf("ran %s", got)
	}
}
