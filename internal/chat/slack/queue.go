package slack

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"
)

// job is one Web API call bound for a channel.
type job struct {
	name string
	// do makes one attempt.
	do func(ctx context.Context) error
	// persistent jobs (alert posts) are retried until they succeed or the
	// adapter stops; others give up after maxAttempts.
	persistent bool
	// urgent jobs (answers to people, updates after a click) go ahead of
	// the others waiting for the channel, such as a backlog of alerts.
	urgent   bool
	attempts int
	// done, if set, learns the final outcome.
	done func(err error)
}

const maxAttempts = 3

// queues runs one posting queue per channel: a channel's messages go out
// one at a time, in order, spaced by spacing (Slack allows about one
// message a second per channel). A 429 pauses the channel for the
// Retry-After Slack gave; other failures are retried with backoff.
type queues struct {
	log     *slog.Logger
	spacing time.Duration
	backoff backoff

	mu      sync.Mutex
	ctx     context.Context // set by run; nil before
	byChan  map[string]*chanQueue
	pending []pendingJob // jobs added before run
	wg      sync.WaitGroup
	// outside counts persistent jobs out of every queue: being tried, or
	// waiting to be retried (persistentDepth).
	outside atomic.Int64
}

type pendingJob struct {
	channel string
	j       *job
}

type chanQueue struct {
	mu     sync.Mutex
	jobs   []*job
	wake   chan struct{}
	active bool
}

// backoff is the wait before retry n (1-based): base·2^(n-1), at most max.
type backoff struct{ base, max time.Duration }

func (b backoff) wait(n int) time.Duration {
	d := b.base
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	return min(d, b.max)
}

func newQueues(log *slog.Logger, spacing time.Duration, b backoff) *queues {
	return &queues{log: log, spacing: spacing, backoff: b, byChan: map[string]*chanQueue{}}
}

// run starts the queues and returns when ctx is done and every channel
// worker has stopped.
func (q *queues) run(ctx context.Context) {
	q.mu.Lock()
	q.ctx = ctx
	// Jobs queued before the start are sorted in before any worker runs,
	// so that urgent ones still go first.
	for _, p := range q.pending {
		cq, ok := q.byChan[p.channel]
		if !ok {
			cq = &chanQueue{wake: make(chan struct{}, 1)}
			q.byChan[p.channel] = cq
		}
		cq.insert(p.j, false)
	}
	q.pending = nil
	for name, cq := range q.byChan {
		q.wg.Add(1)
		go q.worker(ctx, name, cq)
	}
	q.mu.Unlock()
	<-ctx.Done()
	// push adds workers only under q.mu with a live ctx: once we hold it,
	// no new worker can start and Wait sees them all.
	q.mu.Lock()
	q.mu.Unlock() //nolint:staticcheck // an empty critical section is the point
	q.wg.Wait()
}

// channel returns channel's queue, starting its worker the first time.
// q.mu is held.
func (q *queues) channel(name string) *chanQueue {
	cq, ok := q.byChan[name]
	if !ok {
		cq = &chanQueue{wake: make(chan struct{}, 1)}
		q.byChan[name] = cq
		q.wg.Add(1)
		go q.worker(q.ctx, name, cq)
	}
	return cq
}

// add queues j for channel.
func (q *queues) add(channel string, j *job) {
	q.push(channel, j, false)
}

func (q *queues) push(channel string, j *job, front bool) {
	q.mu.Lock()
	if q.ctx == nil {
		q.pending = append(q.pending, pendingJob{channel, j})
		q.mu.Unlock()
		return
	}
	if q.ctx.Err() != nil {
		q.mu.Unlock()
		if j.done != nil {
			j.done(q.ctx.Err())
		}
		return
	}
	cq := q.channel(channel)
	q.mu.Unlock()
	cq.insert(j, front)
}

// insert queues j: first, after the urgent jobs, or last.
func (cq *chanQueue) insert(j *job, front bool) {
	cq.mu.Lock()
	switch {
	case front:
		cq.jobs = append([]*job{j}, cq.jobs...)
	case j.urgent:
		i := 0
		for i < len(cq.jobs) && cq.jobs[i].urgent {
			i++
		}
		cq.jobs = slices.Insert(cq.jobs, i, j)
	default:
		cq.jobs = append(cq.jobs, j)
	}
	cq.mu.Unlock()
	select {
	case cq.wake <- struct{}{}:
	default:
	}
}

func (q *queues) worker(ctx context.Context, channel string, cq *chanQueue) {
	defer q.wg.Done()
	for {
		cq.mu.Lock()
		var j *job
		if len(cq.jobs) > 0 {
			j, cq.jobs = cq.jobs[0], cq.jobs[1:]
		}
		cq.mu.Unlock()
		if j == nil {
			select {
			case <-ctx.Done():
				q.drain(cq, ctx.Err())
				return
			case <-cq.wake:
				continue
			}
		}
		j.attempts++
		if j.persistent {
			q.outside.Add(1)
		}
		err := j.do(ctx)
		var rl *slackapi.RateLimitedError
		switch {
		case err == nil:
			if j.done != nil {
				j.done(nil)
			}
		case ctx.Err() != nil:
			if j.done != nil {
				j.done(ctx.Err())
			}
		case errors.As(err, &rl):
			// The whole channel waits: the next call would be refused too.
			wait := max(rl.RetryAfter, time.Second)
			q.log.Warn("slack rate limit: pausing channel", "channel", channel, "job", j.name, "retry_after", wait)
			q.push(channel, j, true)
			if j.persistent {
				q.outside.Add(-1)
			}
			if !sleep(ctx, wait) {
				q.drain(cq, ctx.Err())
				return
			}
			continue
		case j.persistent || j.attempts < maxAttempts:
			wait := q.backoff.wait(j.attempts)
			level := slog.LevelWarn
			if j.attempts >= 5 {
				level = slog.LevelError // still failing: someone should look
			}
			q.log.Log(ctx, level, "slack call failed: will retry", "channel", channel, "job", j.name, "attempt", j.attempts,
				"retry_in", wait, "err", err)
			q.later(ctx, channel, j, wait)
		default:
			q.log.Error("slack call failed: giving up", "channel", channel, "job", j.name, "attempts", j.attempts, "err", err)
			if j.done != nil {
				j.done(err)
			}
		}
		if j.persistent {
			q.outside.Add(-1)
		}
		if !sleep(ctx, q.spacing) {
			q.drain(cq, ctx.Err())
			return
		}
	}
}

// later re-queues j after wait, without holding up the channel meanwhile.
func (q *queues) later(ctx context.Context, channel string, j *job, wait time.Duration) {
	q.wg.Add(1)
	if j.persistent {
		q.outside.Add(1)
	}
	go func() {
		defer q.wg.Done()
		if j.persistent {
			defer q.outside.Add(-1)
		}
		if sleep(ctx, wait) {
			q.push(channel, j, false)
		} else if j.done != nil {
			j.done(ctx.Err())
		}
	}()
}

func (q *queues) drain(cq *chanQueue, err error) {
	cq.mu.Lock()
	jobs := cq.jobs
	cq.jobs = nil
	cq.mu.Unlock()
	for _, j := range jobs {
		if j.done != nil {
			j.done(err)
		}
	}
}

// sleep waits d or until ctx is done; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// withRateLimit runs fn, retrying up to maxAttempts times when Slack
// answers 429, after the Retry-After it gave. It is for calls that do not
// go through a channel queue (response_url, files).
func withRateLimit(ctx context.Context, fn func(ctx context.Context) error) error {
	var err error
	for range maxAttempts {
		err = fn(ctx)
		var rl *slackapi.RateLimitedError
		if !errors.As(err, &rl) {
			return err
		}
		if !sleep(ctx, max(rl.RetryAfter, time.Second)) {
			return ctx.Err()
		}
	}
	return err
}
