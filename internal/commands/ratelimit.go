package commands

import (
	"sync"
	"time"
)

// rateLimiter allows each user a number of commands per minute: a token
// bucket per user that refills continuously.
type rateLimiter struct {
	perMinute int
	now       func() time.Time
	mu        sync.Mutex
	buckets   map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	return &rateLimiter{perMinute: perMinute, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for user; when none is left it says how long until
// one is.
func (l *rateLimiter) allow(user string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rate := float64(l.perMinute) / float64(time.Minute) // tokens per nanosecond
	b, ok := l.buckets[user]
	if !ok {
		b = &bucket{tokens: float64(l.perMinute), last: now}
		l.buckets[user] = b
	}
	b.tokens = min(float64(l.perMinute), b.tokens+float64(now.Sub(b.last))*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if len(l.buckets) > 10_000 { // forget users whose buckets are full again
		for k, o := range l.buckets {
			if o.tokens+float64(now.Sub(o.last))*rate >= float64(l.perMinute) {
				delete(l.buckets, k)
			}
		}
	}
	return false, time.Duration((1 - b.tokens) / rate)
}
