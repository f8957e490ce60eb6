package bot

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// rateIdleAfter is how long a user's bucket may go unused before it is
	// forgotten, so a server full of one-time askers costs no memory. Unless
	// the burst is more than ten minutes' worth of questions, the bucket has
	// refilled by then, and a fresh one is the same bucket.
	rateIdleAfter = 10 * time.Minute
	// rateMaxUsers bounds the buckets kept at once, so that a raid of new
	// accounts cannot grow memory without limit.
	rateMaxUsers = 10_000
)

// rateLimiter bounds questions per user, so one member cannot spend the
// whole LLM budget or crowd out everyone else. Each user ID has a token
// bucket of perMinute questions a minute with a burst of burst. Buckets
// unused for rateIdleAfter are forgotten lazily on allow, and at most
// rateMaxUsers are tracked: beyond that the least recently used goes.
type rateLimiter struct {
	limit rate.Limit // questions per second; 0 means limiting is off
	burst int

	mu    sync.Mutex
	users *lruMap[*userBucket]
}

// userBucket is one user's token bucket and when it was last consulted,
// which is what idle eviction looks at.
type userBucket struct {
	lim  *rate.Limiter
	last time.Time
}

// newRateLimiter returns a limiter of perMinute questions a minute per user
// with a burst of burst (at least 1, or no question would ever pass).
// perMinute <= 0 disables limiting, so operators can turn it off by config.
func newRateLimiter(perMinute, burst int) *rateLimiter {
	if perMinute <= 0 {
		return &rateLimiter{}
	}
	return &rateLimiter{
		limit: rate.Limit(float64(perMinute) / 60),
		burst: max(burst, 1),
		users: newLRUMap[*userBucket](rateMaxUsers),
	}
}

// allow reports whether userID may ask now and, if not, how long until the
// next question is allowed, so the bot can say "try again in 12s" instead
// of ignoring the user. A refused question does not consume a token. Time
// comes from now rather than the clock so tests and callers stay in control.
func (r *rateLimiter) allow(userID string, now time.Time) (bool, time.Duration) {
	if r == nil || r.limit == 0 {
		return true, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgetIdle(now)
	b, ok := r.users.get(userID)
	if !ok {
		b = &userBucket{lim: rate.NewLimiter(r.limit, r.burst)}
		r.users.put(userID, b)
	}
	b.last = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	return false, r.untilNext(b.lim, now)
}

// forgetIdle drops the buckets unused for rateIdleAfter. The LRU order is
// the order of last use, so it only ever looks at the oldest entries.
func (r *rateLimiter) forgetIdle(now time.Time) {
	for {
		b, ok := r.users.oldest()
		if !ok || now.Sub(b.last) < rateIdleAfter {
			return
		}
		r.users.removeOldest()
	}
}

// untilNext is the wait until lim holds a whole token again, rounded up to
// the millisecond and checked against the limiter itself, so that asking
// again exactly after the announced wait always succeeds despite rounding.
func (r *rateLimiter) untilNext(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	wait := time.Duration(math.Ceil(missing/float64(r.limit)*1000)) * time.Millisecond
	wait = max(wait, time.Millisecond)
	for lim.TokensAt(now.Add(wait)) < 1 {
		wait += time.Millisecond
	}
	return wait
}
