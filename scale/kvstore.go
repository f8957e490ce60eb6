package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/store"
)

// Store is store.Store on JetStream, for what must be shared by every
// gateway and worker: conversations in threads and the answers behind
// the buttons (key-value buckets kept for the retention period), server
// settings and knowledge bases (kept until changed), and the question log
// and votes (a stream, read back for gaps and stats). Buckets and the log
// expire by age on their own (Options.Retention); Prune applies a shorter
// retention, and Forget and Export find a member's records
// (kvstore_privacy.go).
//
// As the interface asks, the writes made while a member waits are queued
// and done by one goroutine, in order (a thread's start before its
// turns); a full queue drops the write and counts it.
type Store struct {
	c                               *Conn
	threads, answers, settings, kbs jetstream.KeyValue
	queue                           chan func(context.Context) error
	dropped                         atomic.Int64
	failed                          atomic.Pointer[error]
	stop                            context.CancelFunc
	done                            chan struct{}
	closeOnce                       sync.Once
	log                             *slog.Logger
}

var _ store.Store = (*Store)(nil)

// storeQueue bounds the writes waiting to be stored.
const storeQueue = 4096

// keptTurns bounds a thread's stored turns; a follow-up reads the last few.
const keptTurns = 20

// NewStore opens the shared store's buckets and starts its writer.
func (c *Conn) NewStore(ctx context.Context) (*Store, error) {
	s := &Store{c: c, queue: make(chan func(context.Context) error, storeQueue), done: make(chan struct{}), log: c.log}
	var err error
	for _, b := range []struct {
		kv   *jetstream.KeyValue
		name string
		ttl  bool
	}{{&s.threads, threadsBucket, true}, {&s.answers, answersBucket, true}, {&s.settings, settingsBucket, false}, {&s.kbs, kbBucket, false}} {
		ttl := c.opts.keep()
		if !b.ttl {
			ttl = 0
		}
		if *b.kv, err = c.bucket(ctx, b.name, ttl, 1); err != nil {
			return nil, err
		}
	}
	work, stop := context.WithCancel(context.Background())
	s.stop = stop
	go s.write(work)
	return s, nil
}

// write does the queued writes in order until the store is closed.
func (s *Store) write(ctx context.Context) {
	defer close(s.done)
	for {
		select {
		case <-ctx.Done():
			return
		case w := <-s.queue:
			if err := w(ctx); err != nil {
				s.failed.Store(&err)
				s.log.Warn("a shared store write failed", "err", err)
			} else {
				s.failed.Store(nil)
			}
		}
	}
}

// enqueue queues w, or drops it when the queue is full.
func (s *Store) enqueue(w func(context.Context) error) {
	select {
	case s.queue <- w:
	default:
		s.dropped.Add(1)
	}
}

// Dropped is how many writes a full queue dropped.
func (s *Store) Dropped() int64 { return s.dropped.Load() }

// Flush waits until every write queued before it is done.
func (s *Store) Flush(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case s.queue <- func(context.Context) error { close(done); return nil }:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Health is nil while writes are stored, else the last failure.
func (s *Store) Health() error {
	if err := s.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// closeWait bounds how long Close waits for the queued writes: with NATS
// unreachable each would wait for its own timeout.
const closeWait = 10 * time.Second

// Close stops the writer once the queued writes are done or failed, or
// after closeWait; it returns the error of the wait.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeWait)
		defer cancel()
		err = s.Flush(ctx)
		s.stop()
		<-s.done
	})
	return err
}

// thread is a thread's stored record.
type thread struct {
	Owned bool         `json:"owned"`
	Turns []store.Turn `json:"turns,omitempty"`
}

// StartThread records that the bot started a thread.
func (s *Store) StartThread(id string) {
	s.enqueue(func(ctx context.Context) error {
		return s.changeThread(ctx, id, func(t *thread) { t.Owned = true })
	})
}

// AddTurn appends a turn to a thread's conversation.
func (s *Store) AddTurn(id string, turn store.Turn) {
	s.enqueue(func(ctx context.Context) error {
		return s.changeThread(ctx, id, func(t *thread) {
			t.Turns = append(t.Turns, turn)
			t.Turns = t.Turns[max(0, len(t.Turns)-keptTurns):]
		})
	})
}

// changeThread applies change to a thread's record by compare-and-set:
// two workers answering in the same thread both keep their turn.
func (s *Store) changeThread(ctx context.Context, id string, change func(*thread)) error {
	for range casTries {
		var t thread
		e, err := s.threads.Get(ctx, id)
		var rev uint64
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
		case err != nil:
			return fmt.Errorf("thread %s: %w", id, err)
		default:
			rev = e.Revision()
			if err := json.Unmarshal(e.Value(), &t); err != nil {
				return fmt.Errorf("thread %s: %w", id, err)
			}
		}
		change(&t)
		if rev == 0 {
			_, err = s.threads.Create(ctx, id, encode(t))
		} else {
			_, err = s.threads.Update(ctx, id, encode(t), rev)
		}
		if err == nil || !lostRace(err) {
			return err
		}
	}
	return fmt.Errorf("thread %s: too much contention", id)
}

// Thread says whether the bot started the thread, and its last turns.
func (s *Store) Thread(ctx context.Context, id string, max int) (bool, []store.Turn, error) {
	e, err := s.threads.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("thread %s: %w", id, err)
	}
	var t thread
	if err := json.Unmarshal(e.Value(), &t); err != nil {
		return false, nil, fmt.Errorf("thread %s: %w", id, err)
	}
	return t.Owned, t.Turns[len(t.Turns)-min(max, len(t.Turns)):], nil
}

// PutAnswer keeps what the buttons under an answer need.
func (s *Store) PutAnswer(key string, a store.KeptAnswer) {
	s.enqueue(func(ctx context.Context) error {
		_, err := s.answers.Put(ctx, key, encode(a))
		return err
	})
}

// Answer returns the answer kept under key, and whether there is one.
func (s *Store) Answer(ctx context.Context, key string) (store.KeptAnswer, bool, error) {
	var a store.KeptAnswer
	e, err := s.answers.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("answer %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value(), &a); err != nil {
		return a, false, fmt.Errorf("answer %s: %w", key, err)
	}
	return a, true, nil
}
