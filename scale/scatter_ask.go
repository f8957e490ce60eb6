package scale

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/retrieval"
)

// Scatter sends the list searches of a question to the workers holding
// those lists (see scatter.go).
type Scatter struct {
	c       *Conn
	timeout time.Duration

	mu      sync.RWMutex
	holders map[string]holding // by announcement key

	stop context.CancelFunc
	done chan struct{}
}

// NewScatter follows the announcements of held lists; a search waits at
// most timeout for the holders' replies.
func (c *Conn) NewScatter(ctx context.Context, timeout time.Duration) (*Scatter, error) {
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

// Remote is the retrieval.RemoteLists of an index of version: it asks
// the holders of that version only, so that questions still running on
// the previous index after a swap ask the holders of the previous one.
func (s *Scatter) Remote(version string) retrieval.RemoteLists {
	return func(ctx context.Context, qv []float32, lists []int, n int) ([]retrieval.ListHit, error) {
		return s.search(ctx, version, qv, lists, n)
	}
}

// Close stops following the announcements.
func (s *Scatter) Close() {
	s.stop()
	<-s.done
}

// search asks the holders of lists for the n chunks most similar to qv.
// It answers with what the holders that replied in time found; the lists
// nobody answered for are logged, and an error is returned only when the
// question's own context ends.
func (s *Scatter) search(ctx context.Context, version string, qv []float32, lists []int, n int) ([]retrieval.ListHit, error) {
	plan, missing := s.assign(version, lists)
	ask, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	type result struct {
		p    *askPlan
		hits []retrieval.ListHit
		err  error
	}
	results := make(chan result, len(plan))
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
func (s *Scatter) assign(version string, lists []int) (plan []*askPlan, missing []int) {
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
