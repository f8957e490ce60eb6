package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// rateMemory is how long a member's bucket is kept after their last
// question: by then it has refilled (unless the burst is more than ten
// minutes' worth of questions), and a fresh bucket is the same bucket.
const rateMemory = 10 * time.Minute

// Limiter bounds each member's questions across every process that shares
// the NATS server: a token bucket of PerMinute questions a minute with a
// burst of Burst, kept in a key-value bucket and changed by
// compare-and-set, so that two gateways (or shards) admitting questions
// of the same member at the same instant spend one token each.
type Limiter struct {
	kv        jetstream.KeyValue
	perMinute int
	burst     int
	now       func() time.Time
}

// bucketState is a member's token bucket: tokens left at At.
type bucketState struct {
	Tokens float64   `json:"tokens"`
	At     time.Time `json:"at"`
}

// NewLimiter returns the shared limiter of perMinute questions a minute per
// member with a burst of burst (at least 1); perMinute <= 0 allows
// everything.
func (c *Conn) NewLimiter(ctx context.Context, perMinute, burst int) (*Limiter, error) {
	kv, err := c.bucket(ctx, ratesBucket, rateMemory, 1)
	if err != nil {
		return nil, err
	}
	return &Limiter{kv: kv, perMinute: perMinute, burst: max(1, burst), now: time.Now}, nil
}

// With returns the limiter with another rate (a server's own setting),
// sharing the members' buckets.
func (l *Limiter) With(perMinute, burst int) *Limiter {
	c := *l
	c.perMinute, c.burst = perMinute, max(1, burst)
	return &c
}

// casTries bounds the compare-and-set retries of one decision: each retry
// means another process changed the same member's bucket meanwhile.
const casTries = 16

// Allow reports whether the member keyed key may ask now and, if not, how
// long until they may. A refused question spends no token.
func (l *Limiter) Allow(ctx context.Context, key string) (bool, time.Duration, error) {
	if l.perMinute <= 0 {
		return true, 0, nil
	}
	perSec := float64(l.perMinute) / 60
	for range casTries {
		now := l.now()
		st, rev, err := l.read(ctx, key, now)
		if err != nil {
			return false, 0, err
		}
		// Refill since the last question, up to the burst.
		st.Tokens = math.Min(float64(l.burst), st.Tokens+now.Sub(st.At).Seconds()*perSec)
		st.At = now
		if st.Tokens < 1 {
			wait := time.Duration((1 - st.Tokens) / perSec * float64(time.Second))
			return false, wait.Round(time.Second) + time.Second/2, nil
		}
		st.Tokens--
		if rev == 0 {
			_, err = l.kv.Create(ctx, key, encode(st))
		} else {
			_, err = l.kv.Update(ctx, key, encode(st), rev)
		}
		if err == nil {
			return true, 0, nil
		}
		if !lostRace(err) {
			return false, 0, fmt.Errorf("rate limit of %s: %w", key, err)
		}
	}
	return false, 0, fmt.Errorf("rate limit of %s: too much contention", key)
}

// read returns the member's bucket and its revision, 0 for a member
// without one (a full bucket).
func (l *Limiter) read(ctx context.Context, key string, now time.Time) (bucketState, uint64, error) {
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return bucketState{Tokens: float64(l.burst), At: now}, 0, nil
	}
	if err != nil {
		return bucketState{}, 0, fmt.Errorf("rate limit of %s: %w", key, err)
	}
	var st bucketState
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		st = bucketState{Tokens: float64(l.burst), At: now}
	}
	if st.At.After(now) {
		st.At = now // another process's clock runs ahead: never refill from the future
	}
	return st, e.Revision(), nil
}

// Dedupe tells the first delivery of a Discord event from the next ones
// across every gateway process: Discord may deliver an event twice after a
// resume, and two shards never see the same one, but a restarted gateway
// may.
type Dedupe struct{ kv jetstream.KeyValue }

// NewDedupe returns the shared duplicate filter; it remembers an event
// for the job stream's deduplication window.
func (c *Conn) NewDedupe(ctx context.Context) (*Dedupe, error) {
	kv, err := c.bucket(ctx, eventsBucket, dedupeWindow, 1)
	if err != nil {
		return nil, err
	}
	return &Dedupe{kv: kv}, nil
}

// First reports whether id is seen for the first time. An empty ID is
// always new: it cannot be told from another.
func (d *Dedupe) First(ctx context.Context, id string) (bool, error) {
	if id == "" {
		return true, nil
	}
	_, err := d.kv.Create(ctx, id, nil)
	switch {
	case err == nil:
		return true, nil
	case lostRace(err):
		return false, nil
	}
	return false, fmt.Errorf("event %s: %w", id, err)
}
