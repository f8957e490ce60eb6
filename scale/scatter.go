package scale

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/retrieval"
)

// A worker holding some lists of a clustered index (citebot worker
// --partitions-held) announces them in a key-value bucket — its ID, the
// index version, the lists, the subject it answers on — and answers
// searches of them over NATS request/reply. A worker answering a question
// scores the centroids itself, sends one request to each holder of the
// lists it probes, merges what comes back, and answers from the holders
// that replied within its timeout, logging the lists that were missing.

// Holdings refresh: an announcement lives holderTTL, refreshed every
// holderRefresh; a holder whose announcement is older than holderStale is
// not asked.
const (
	holderTTL     = 30 * time.Second
	holderRefresh = 10 * time.Second
	holderStale   = 25 * time.Second
)

// holding is a worker's announcement.
type holding struct {
	Worker  string    `json:"worker"`
	Version string    `json:"version"`
	Lists   []int     `json:"lists"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"time"`
}

type listRequest struct {
	Version string    `json:"version"`
	Vector  []float32 `json:"vector"`
	Lists   []int     `json:"lists"`
	N       int       `json:"n"`
}

type listReply struct {
	Hits  []retrieval.ListHit `json:"hits,omitempty"`
	Error string              `json:"error,omitempty"`
}

// ListSearcher is what a holder needs of its index.
type ListSearcher interface {
	SearchLists(ctx context.Context, qv []float32, lists []int, n int) ([]retrieval.ListHit, error)
}

// Holder answers searches of the lists a worker holds until Close.
type Holder struct {
	c     *Conn
	kv    jetstream.KeyValue
	sub   *nats.Subscription
	h     holding
	stop  context.CancelFunc
	done  chan struct{}
	slots chan struct{}
}

// Hold announces that worker holds lists of index version and answers
// their searches with ix, up to slots at once.
func (c *Conn) Hold(ctx context.Context, ix ListSearcher, worker, version string, lists []int, slots int) (*Holder, error) {
	kv, err := c.bucket(ctx, holdersBucket, holderTTL, 1)
	if err != nil {
		return nil, err
	}
	key := subjectToken(worker) + "_" + subjectToken(version)
	h := &Holder{c: c, kv: kv, done: make(chan struct{}), slots: make(chan struct{}, max(1, slots)),
		h: holding{Worker: worker, Version: version, Lists: slices.Sorted(slices.Values(lists)), Subject: "citebot.lists." + key}}
	h.sub, err = c.nc.Subscribe(h.h.Subject, func(m *nats.Msg) {
		h.slots <- struct{}{}
		go func() { defer func() { <-h.slots }(); h.answer(ix, m) }()
	})
	if err != nil {
		return nil, fmt.Errorf("hold lists: %w", err)
	}
	if err := h.announce(ctx, key); err != nil {
		h.sub.Unsubscribe()
		return nil, err
	}
	refresh, stop := context.WithCancel(context.WithoutCancel(ctx))
	h.stop = stop
	go h.keepAnnounced(refresh, key)
	return h, nil
}

func (h *Holder) announce(ctx context.Context, key string) error {
	h.h.Time = time.Now()
	if _, err := h.kv.Put(ctx, key, encode(h.h)); err != nil {
		return fmt.Errorf("announce lists: %w", err)
	}
	return nil
}

func (h *Holder) keepAnnounced(ctx context.Context, key string) {
	defer close(h.done)
	t := time.NewTicker(holderRefresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			h.kv.Delete(context.Background(), key)
			return
		case <-t.C:
			if err := h.announce(ctx, key); err != nil && ctx.Err() == nil {
				h.c.log.Warn("cannot renew the announcement of held lists", "err", err)
			}
		}
	}
}

// answer replies to one search request.
func (h *Holder) answer(ix ListSearcher, m *nats.Msg) {
	var req listRequest
	var rep listReply
	switch err := json.Unmarshal(m.Data, &req); {
	case err != nil:
		rep.Error = "bad request: " + err.Error()
	case req.Version != h.h.Version:
		rep.Error = fmt.Sprintf("holding index %s, asked about %s", h.h.Version, req.Version)
	default:
		hits, err := ix.SearchLists(context.Background(), req.Vector, req.Lists, req.N)
		if err != nil {
			rep.Error = err.Error()
		}
		rep.Hits = hits
	}
	m.Respond(encode(rep))
}

// Close stops answering and withdraws the announcement.
func (h *Holder) Close() {
	h.sub.Unsubscribe()
	h.stop()
	<-h.done
}

// subjectToken makes s usable in a subject and a key.
func subjectToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, s)
}
