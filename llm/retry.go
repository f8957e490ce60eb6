package llm

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how a call retries transient failures (429, 5xx,
// timeouts of an attempt, dropped connections). go-openai retries nothing,
// and hosted APIs rate-limit routinely, so without this a busy minute would
// fail user questions. Zero fields mean the defaults below.
type RetryPolicy struct {
	// MaxAttempts counts all attempts including the first; default 4. Set
	// it to 1 to disable retries.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry, doubled for each
	// further retry; the actual wait is drawn uniformly from [0, backoff]
	// ("full jitter") so that many clients do not retry in lockstep.
	// Default 500ms.
	BaseDelay time.Duration
	// MaxDelay caps the computed backoff of one wait; default 20s. A
	// Retry-After sent by the server is honoured even when longer, because
	// retrying earlier would only be refused again.
	MaxDelay time.Duration
	// MaxTotal caps the sum of all waits of one call; default 60s. When the
	// server asks for a wait beyond what remains, the call fails at once
	// rather than sleeping for nothing.
	MaxTotal time.Duration
	// Sleep waits d or until ctx ends, returning ctx.Err() then. Nil means a
	// real timer; tests inject a recorder so they never wait.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 20 * time.Second
	}
	if p.MaxTotal <= 0 {
		p.MaxTotal = 60 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	return p
}

// sleep is the real Sleep: a timer that gives way to ctx.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// withRetry runs try until it succeeds, fails for good, or the policy is
// exhausted. try receives a context carrying a fresh *attempt; it returns
// nil, the caller's context error (returned as is), or an *Error whose
// retry flag says whether another attempt may help. zeroTemperature is
// passed to the transport through the attempt.
func (b *backend) withRetry(ctx context.Context, zeroTemperature bool, try func(ctx context.Context) error) error {
	p := b.retry
	var waited time.Duration
	for n := 1; ; n++ {
		a := &attempt{zeroTemperature: zeroTemperature}
		err := try(withAttempt(ctx, a))
		if err == nil {
			return nil
		}
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		e.attempts = n
		if !e.retry || n >= p.MaxAttempts {
			return err
		}
		ra, hasRA := a.wait()
		d, ok := p.delay(n, ra, hasRA, p.MaxTotal-waited)
		if !ok {
			e.wait = ra
			return err
		}
		if serr := p.Sleep(ctx, d); serr != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return err
		}
		waited += d
	}
}

// delay returns the wait before attempt n+1, or false when the remaining
// budget cannot cover what the server asked for. An explicit Retry-After is
// a floor: jitter may lengthen the wait but never shorten it.
func (p RetryPolicy) delay(n int, retryAfter time.Duration, hasRetryAfter bool, remaining time.Duration) (time.Duration, bool) {
	if remaining <= 0 || (hasRetryAfter && retryAfter > remaining) {
		return 0, false
	}
	backoff := p.BaseDelay
	for i := 1; i < n && backoff < p.MaxDelay; i++ {
		backoff *= 2
	}
	backoff = min(backoff, p.MaxDelay)
	d := rand.N(backoff + 1)
	if hasRetryAfter {
		d = max(d, retryAfter)
	}
	return min(d, remaining), true
}

// maxWaitSeconds bounds a parsed wait so absurd values cannot overflow a
// time.Duration; any such wait exceeds every budget anyway.
const maxWaitSeconds = 1e9

// parseRetryAfter reads the server's requested wait: OpenAI's
// retry-after-ms when present (it is more precise), else Retry-After as
// delay-seconds or an HTTP date. A date in the past means no wait.
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(min(ms, maxWaitSeconds*1e3) * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, maxWaitSeconds) * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
