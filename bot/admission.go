package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/citebot/citebot/answer"
)

// admission decides what work the bot takes on, so that a flood of
// events or askers cannot spend the LLM budget or memory, and knows what
// work is running, so that a shutdown can wait for it. Each event is
// handled once (seen), each asker keeps to a rate (limiter), answers run
// a few at a time with a bounded line behind them (slots), and nothing
// new starts once the bot is stopping.
type admission struct {
	seen    *dedupe
	limiter *rateLimiter
	slots   *gate

	mu      sync.Mutex // orders track's Add before close's Wait
	closing atomic.Bool
	running sync.WaitGroup
}

// newAdmission sizes the parts from the configuration. observe, when set,
// is told the running and waiting counts after every change of the
// slots, so gauges fed by it are never stale.
func newAdmission(cfg Config, observe func(running, waiting int)) *admission {
	a := &admission{seen: newDedupe(4096), limiter: newRateLimiter(cfg.RatePerMinute, cfg.RateBurst),
		slots: newGate(cfg.MaxConcurrent, cfg.MaxQueue)}
	a.slots.observe = observe
	return a
}

// rateLimitedError refuses a question asked too soon after the asker's
// last ones, saying when asking again will succeed.
type rateLimitedError struct{ retry time.Duration }

// Error says how long to wait, for logs; askers get the words of say.
func (e *rateLimitedError) Error() string {
	return fmt.Sprintf("asked too quickly: retry in %s", e.retry)
}

// firstDelivery reports whether the event id is new: Discord may deliver
// an event twice after a resume, and a question must be answered once.
func (a *admission) firstDelivery(id string) bool { return a.seen.first(id) }

// question admits a question before any work is done on it: it must be
// valid (answer.Validate's errors), within its asker's rate of perMinute
// questions a minute, the server's (0: the configured rate;
// *rateLimitedError), and come while the bot is not stopping (errClosed).
// On nil, the caller owns a running slot and must call done.
func (a *admission) question(q, user string, perMinute int, now time.Time) error {
	return a.questionWith(q, func() (bool, time.Duration, error) {
		ok, retry := a.limiter.allowAt(user, perMinute, now)
		return ok, retry, nil
	})
}

// errRateUnknown wraps the failure of a shared rate limit that cannot
// say whether the asker may ask: the question is not admitted.
var errRateUnknown = errors.New("the rate limit cannot be checked")

// questionWith is question with the asker's rate decided by allow (a
// gateway's is shared with the other gateways).
func (a *admission) questionWith(q string, allow func() (bool, time.Duration, error)) error {
	if err := answer.Validate(q); err != nil {
		return err
	}
	ok, retry, err := allow()
	if err != nil {
		return fmt.Errorf("%w: %w", errRateUnknown, err)
	}
	if !ok {
		return &rateLimitedError{retry: retry}
	}
	if !a.track() {
		return errClosed
	}
	return nil
}

// track registers work in flight, so a shutdown waits for it; it returns
// false while stopping. On true, the caller must call done.
func (a *admission) track() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closing.Load() {
		return false
	}
	a.running.Add(1)
	return true
}

// done ends work that track (or question) let in.
func (a *admission) done() { a.running.Done() }

// queue waits for an answering slot, calling queued with the caller's
// place in line if it has to wait. The caller must call release.
func (a *admission) queue(ctx context.Context, queued func(position int)) (release func(), err error) {
	release, _, err = a.slots.enterNotify(ctx, queued)
	return release, err
}

// stopping reports whether close has been called, so that errors caused
// by the shutdown read as a restart rather than a failure.
func (a *admission) stopping() bool { return a.closing.Load() }

// close stops admitting work, so a shutdown does not start what it cannot
// finish, and returns a channel closed once the work let in has ended.
func (a *admission) close() <-chan struct{} {
	a.mu.Lock()
	a.closing.Store(true)
	a.mu.Unlock()
	a.slots.close()
	idle := make(chan struct{})
	go func() {
		a.running.Wait()
		close(idle)
	}()
	return idle
}
