package bot

import (
	"container/list"
	"context"
	"errors"
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

// errQueueFull is returned by gate.enter when the waiting line is full, so
// the bot can tell the user to come back later rather than leave them
// waiting for minutes.
var errQueueFull = errors.New("too many questions are waiting")

// errClosed is returned once the bot is shutting down, so new work is
// refused while work already admitted finishes.
var errClosed = errors.New("shutting down")

// gate bounds concurrent answers, because each one holds an LLM request and
// the provider's rate limits and our memory are finite: at most concurrent
// run; up to queue more wait in FIFO order (first asked, first answered);
// more are refused with errQueueFull.
type gate struct {
	slots    int // concurrent answers allowed
	maxQueue int

	mu      sync.Mutex
	running int
	waiters list.List // of chan struct{}, closed when a slot is handed over
	closed  bool
	// observe, when set, is told the counts after every change. It runs
	// under the lock, so reports arrive in the order of the changes and
	// the last one is always current: gauges fed by it never go stale.
	observe func(running, waiting int)
}

// newGate returns a gate of concurrent slots (at least 1, or nothing would
// ever run) and a waiting line of queue places (at least 0).
func newGate(concurrent, queue int) *gate {
	return &gate{
		slots:    max(concurrent, 1),
		maxQueue: max(queue, 0),
	}
}

// enter waits for a slot. It returns the position the caller had in the
// queue when it arrived (0 = it started at once) so the bot can say "you
// are 3rd in line", a release func to call exactly once (calling it again
// is harmless; on error it is a no-op), and errQueueFull, errClosed or
// ctx.Err().
func (g *gate) enter(ctx context.Context) (release func(), position int, err error) {
	return g.enterNotify(ctx, nil)
}

// enterNotify is enter that also calls queued with the caller's position,
// in the caller's goroutine, as soon as it joins the line and before it
// waits, so the bot can announce "you are 3rd in line" while the user
// waits rather than after.
func (g *gate) enterNotify(ctx context.Context, queued func(position int)) (release func(), position int, err error) {
	noop := func() {}
	if err := ctx.Err(); err != nil {
		return noop, 0, err
	}
	g.mu.Lock()
	switch {
	case g.closed:
		g.mu.Unlock()
		return noop, 0, errClosed
	case g.running < g.slots && g.waiters.Len() == 0:
		g.running++
		g.changedLocked()
		g.mu.Unlock()
		return g.releaser(), 0, nil
	case g.waiters.Len() >= g.maxQueue:
		g.mu.Unlock()
		return noop, 0, errQueueFull
	}
	ready := make(chan struct{})
	el := g.waiters.PushBack(ready)
	position = g.waiters.Len()
	g.changedLocked()
	g.mu.Unlock()

	if queued != nil {
		queued(position)
	}
	select {
	case <-ready:
		return g.releaser(), position, nil
	case <-ctx.Done():
		g.abandon(el, ready)
		return noop, position, ctx.Err()
	}
}

// abandon gives up a place in the line after ctx ended. If a slot was
// handed over at the same moment, it is passed on to the next in line so
// it is not lost.
func (g *gate) abandon(el *list.Element, ready chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-ready:
		g.releaseLocked()
	default:
		g.waiters.Remove(el)
		g.changedLocked()
	}
}

// releaser returns the func that gives a slot back. It is idempotent,
// because a double release in some error path must not let more answers
// run than the bound.
func (g *gate) releaser() func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.releaseLocked()
		})
	}
}

// releaseLocked hands the slot straight to the first waiter, which keeps
// the line FIFO (no newcomer can overtake it), or frees it.
func (g *gate) releaseLocked() {
	if front := g.waiters.Front(); front != nil {
		close(g.waiters.Remove(front).(chan struct{}))
		g.changedLocked()
		return
	}
	g.running--
	g.changedLocked()
}

// changedLocked reports the counts to observe after a change.
func (g *gate) changedLocked() {
	if g.observe != nil {
		g.observe(g.running, g.waiters.Len())
	}
}

// stats reports how many answers run and wait, for the in-flight and
// queued gauges.
func (g *gate) stats() (running, waiting int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running, g.waiters.Len()
}

// close stops admitting, so a shutdown does not start answers it cannot
// finish: later enter calls fail with errClosed, while work already
// running or queued carries on.
func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
}

// dedupe remembers recently seen event IDs, because Discord may deliver the
// same MESSAGE_CREATE twice after a resume and a question must be answered
// once. It is a bounded LRU of size IDs, safe for concurrent use.
type dedupe struct {
	mu   sync.Mutex
	seen *lruMap[struct{}]
}

// newDedupe returns a dedupe remembering the last size IDs (at least 1).
func newDedupe(size int) *dedupe {
	return &dedupe{seen: newLRUMap[struct{}](max(size, 1))}
}

// first reports true the first time id is seen. An empty ID cannot be told
// apart from another, so it is always treated as new rather than dropped.
func (d *dedupe) first(id string) bool {
	if id == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.seen.get(id); ok {
		return false
	}
	d.seen.put(id, struct{}{})
	return true
}
