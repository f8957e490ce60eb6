package bot

import (
	"container/list"
	"context"
	"errors"
	"sync"
)

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
