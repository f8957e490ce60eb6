package bot

import (
	"cmp"
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
// bucket of perMinute questions a minute (the server's rate when it set
// one) with a burst of burst. Buckets unused for rateIdleAfter are
// forgotten lazily on allow, and at most rateMaxUsers are tracked: beyond
// that the least recently used goes.
type rateLimiter struct {
	perMinute int // the default rate; 0 or less: no limit unless a server sets one
	burst     int

	mu    sync.Mutex
	users *lruMap[*userBucket] // made on the first limited question
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
	return &rateLimiter{perMinute: perMinute, burst: max(burst, 1)}
}

// allow is allowAt at the default rate.
func (r *rateLimiter) allow(userID string, now time.Time) (bool, time.Duration) {
	return r.allowAt(userID, 0, now)
}

// allowAt reports whether userID may ask now at perMinute questions a
// minute (0: the default rate) and, if not, how long until the next
// question is allowed, so the bot can say "try again in 12s" instead of
// ignoring the user. A refused question does not consume a token. Time
// comes from now rather than the clock so tests and callers stay in
// control.
func (r *rateLimiter) allowAt(userID string, perMinute int, now time.Time) (bool, time.Duration) {
	if r == nil {
		return true, 0
	}
	if perMinute = cmp.Or(perMinute, r.perMinute); perMinute <= 0 {
		return true, 0
	}
	limit := rate.Limit(float64(perMinute) / 60)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.users == nil {
		r.users = newLRUMap[*userBucket](rateMaxUsers)
	}
	r.forgetIdle(now)
	b, ok := r.users.get(userID)
	if !ok {
		b = &userBucket{lim: rate.NewLimiter(limit, r.burst)}
		r.users.put(userID, b)
	} else if b.lim.Limit() != limit { // the server's rate changed
		b.lim.SetLimitAt(now, limit)
	}
	b.last = now
	if b.lim.AllowN(now, 1) {
		return true, 0
	}
	return false, untilNext(b.lim, now)
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
func untilNext(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	wait := time.Duration(math.Ceil(missing/float64(lim.Limit())*1000)) * time.Millisecond
	wait = max(wait, time.Millisecond)
	for lim.TokensAt(now.Add(wait)) < 1 {
		wait += time.Millisecond
	}
	return wait
}
