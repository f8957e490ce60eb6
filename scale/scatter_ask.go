package scale

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/retrieval"
)

// Scatter sends the list searches of a question to the workers holding
// those lists (see scatter.go). Its Search is a retrieval.RemoteLists.
type Scatter struct {
	c       *Conn
	version atomic.Pointer[string]
	timeout time.Duration

	mu      sync.RWMutex
	holders map[string]holding // by announcement key

	stop context.CancelFunc
	done chan struct{}
}

// NewScatter follows the announcements of held lists and asks the holders
// of index version, waiting at most timeout for their replies.
func (c *Conn) NewScatter(ctx context.Context, version string, timeout time.Duration) (*Scatter, error) {
	kv, err := c.bucket(ctx, holdersBucket, holderTTL, 1)
	if err != nil {
		return nil, err
	}
	watchCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	w, err := kv.WatchAll(watchCtx)
	if err != nil {
		stop()
		return nil, fmt.Errorf("follow held lists: %w", err)
	}
	s := &Scatter{c: c, timeout: timeout, holders: map[string]holding{}, stop: stop, done: make(chan struct{})}
	s.SetVersion(version)
	// The watcher first replays every current announcement, then a nil:
	// wait for it, so the first question already knows the holders.
	for e := range w.Updates() {
		if e == nil {
			break
		}
		s.apply(e)
	}
	go func() {
		defer close(s.done)
		for e := range w.Updates() {
			if e != nil {
				s.apply(e)
			}
		}
	}()
	return s, nil
}

func (s *Scatter) apply(e jetstream.KeyValueEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Operation() != jetstream.KeyValuePut {
		delete(s.holders, e.Key())
		return
	}
	var h holding
	if json.Unmarshal(e.Value(), &h) == nil {
		s.holders[e.Key()] = h
	}
}

// SetVersion switches to the holders of another index version (after the
// index was swapped).
func (s *Scatter) SetVersion(v string) { s.version.Store(&v) }

// Close stops following the announcements.
func (s *Scatter) Close() {
	s.stop()
	<-s.done
}

// Search asks the holders of lists for the n chunks most similar to qv.
// It answers with what the holders that replied in time found; the lists
// nobody answered for are logged, and an error is returned only when the
// question's own context ends.
func (s *Scatter) Search(ctx context.Context, qv []float32, lists []int, n int) ([]retrieval.ListHit, error) {
	plan, missing := s.assign(lists)
	ask, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	type result struct {
		p    *askPlan
		hits []retrieval.ListHit
		err  error
	}
	results := make(chan result, len(plan))
	version := *s.version.Load()
	for _, p := range plan {
		go func() {
			hits, err := s.request(ask, p.h, listRequest{Version: version, Vector: qv, Lists: p.lists, N: n})
			results <- result{p, hits, err}
		}()
	}
	var hits []retrieval.ListHit
	var failed []string
	for range plan {
		r := <-results
		if r.err != nil {
			failed = append(failed, r.p.h.Worker+": "+r.err.Error())
			missing = append(missing, r.p.lists...)
			continue
		}
		hits = append(hits, r.hits...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		s.c.log.Warn("answering without some lists: their holders did not reply", "missing", missing, "failed", failed, "asked", len(plan))
	}
	return hits, nil
}

// request sends one holder its lists.
func (s *Scatter) request(ctx context.Context, h holding, req listRequest) ([]retrieval.ListHit, error) {
	msg, err := s.c.nc.RequestWithContext(ctx, h.Subject, encode(req))
	if err != nil {
		return nil, err
	}
	var rep listReply
	if err := json.Unmarshal(msg.Data, &rep); err != nil {
		return nil, err
	}
	if rep.Error != "" {
		return nil, errors.New(rep.Error)
	}
	return rep.Hits, nil
}

// askPlan is one holder and the lists it is asked for.
type askPlan struct {
	h     holding
	lists []int
}

// assign gives each list to one live holder of this version, preferring
// holders already asked (fewer requests), then the least loaded, then by
// name; lists nobody holds are missing.
func (s *Scatter) assign(lists []int) (plan []*askPlan, missing []int) {
	version := *s.version.Load()
	s.mu.RLock()
	var live []holding
	for _, h := range s.holders {
		if h.Version == version && time.Since(h.Time) < holderStale {
			live = append(live, h)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(live, func(a, b holding) int { return cmp.Compare(a.Worker, b.Worker) })
	byWorker := map[string]*askPlan{}
	for _, l := range lists {
		var pick *askPlan
		for _, h := range live {
			if _, ok := slices.BinarySearch(h.Lists, l); !ok {
				continue
			}
			p, asked := byWorker[h.Worker]
			switch {
			case !asked && pick == nil:
				pick = &askPlan{h: h}
			case asked && (pick == nil || byWorker[pick.h.Worker] == nil || len(p.lists) < len(pick.lists)):
				pick = p
			}
		}
		if pick == nil {
			missing = append(missing, l)
			continue
		}
		if byWorker[pick.h.Worker] == nil {
			byWorker[pick.h.Worker] = pick
			plan = append(plan, pick)
		}
		pick.lists = append(pick.lists, l)
	}
	return plan, missing
}
