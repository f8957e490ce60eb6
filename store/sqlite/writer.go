package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// op is one write for the writer goroutine. An asynchronous op has a nil
// result; a synchronous one (or a flush, whose apply is nil) gets its
// error on result and runs in its own transaction, after every op queued
// before it.
type op struct {
	name   string
	apply  func(ctx context.Context, tx *sql.Tx) error
	result chan error
}

// errClosed is what a synchronous write gets once the store is closed.
var errClosed = errors.New("store closed")

// enqueue queues an asynchronous write, or drops it (counted, warned)
// when the queue is full or the store closed: the caller is answering a
// member and must not wait for the disk.
func (s *Store) enqueue(name string, apply func(context.Context, *sql.Tx) error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.closed {
		select {
		case s.queue <- op{name: name, apply: apply}:
			if len(s.queue) >= cap(s.queue)/2 {
				s.hurry()
			}
			return
		default:
		}
	}
	n := s.dropped.Add(1)
	// One warning a second at most: a burst would otherwise flood the log.
	now := time.Now().UnixNano()
	last := s.lastDropWarn.Load()
	if now-last >= int64(time.Second) && s.lastDropWarn.CompareAndSwap(last, now) {
		s.log.Warn("store queue full or closed: write dropped", "write", name, "dropped_total", n, "queue", cap(s.queue))
	}
}

// call queues a synchronous write and waits for its result. It waits for
// room in the queue too: a moderator's command may wait, and must not be
// lost.
func (s *Store) call(ctx context.Context, name string, apply func(context.Context, *sql.Tx) error) error {
	o := op{name: name, apply: apply, result: make(chan error, 1)}
	if err := s.send(ctx, o); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	select {
	case err := <-o.result:
		return err
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", name, ctx.Err())
	}
}

// send puts o on the queue, waiting for room.
func (s *Store) send(ctx context.Context, o op) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	select {
	case s.queue <- o:
		s.hurry()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush implements store.Store: it returns once every write queued before
// it is stored, with the first error of a write since the last Flush.
func (s *Store) Flush(ctx context.Context) error {
	return s.call(ctx, "flush", nil)
}

// writeLoop is the one writer: it takes what is queued, as much as
// maxBatch at a time, and writes each batch of asynchronous ops in one
// transaction. It stops when Close closes the queue, after the rest.
//
// An asynchronous write that finds the writer idle waits up to the
// linger for others to join it (group commit): each SQLite commit costs
// about a millisecond of CPU here, and a burst of questions arrives a
// few milliseconds apart, so one transaction per write would take CPU
// from answering. A synchronous write, Close, or a queue half full ends
// the wait at once.
func (s *Store) writeLoop() {
	defer close(s.done)
	var batch []op
	var sinceFlush error // the first failure since the last Flush
	for first := range s.queue {
		if first.result == nil && s.linger > 0 && len(s.queue) < maxBatch {
			s.lingerWait()
		}
		batch = s.gather(first, batch)
		async := batch
		var sync *op
		if last := batch[len(batch)-1]; last.result != nil {
			async, sync = batch[:len(batch)-1], &last
		}
		if err := s.writeBatch(async); err != nil && sinceFlush == nil {
			sinceFlush = err
		}
		if sync == nil {
			continue
		}
		if sync.apply == nil { // a flush
			sync.result <- sinceFlush
			sinceFlush = nil
			continue
		}
		sync.result <- s.run(sync.name, sync.apply)
	}
}

// lingerWait waits for the linger, or until hurry is called.
func (s *Store) lingerWait() {
	t := time.NewTimer(s.linger)
	defer t.Stop()
	select {
	case <-t.C:
	case <-s.urgent:
	}
}

// hurry ends the writer's linger, if it is in one.
func (s *Store) hurry() {
	select {
	case s.urgent <- struct{}{}:
	default:
	}
}

// gather takes first and what else is queued, up to maxBatch, stopping
// after a synchronous op.
func (s *Store) gather(first op, batch []op) []op {
	batch = append(batch[:0], first)
	for len(batch) < maxBatch && batch[len(batch)-1].result == nil {
		select {
		case o, ok := <-s.queue:
			if !ok {
				return batch
			}
			batch = append(batch, o)
		default:
			return batch
		}
	}
	return batch
}

// writeBatch writes ops in one transaction. On failure the batch is lost:
// counted, logged and reported by Health until a later write succeeds.
func (s *Store) writeBatch(ops []op) error {
	if len(ops) == 0 {
		return nil
	}
	err := s.transact(func(ctx context.Context, tx *sql.Tx) error {
		for _, o := range ops {
			if err := o.apply(ctx, tx); err != nil {
				return fmt.Errorf("%s: %w", o.name, err)
			}
		}
		return nil
	})
	if err != nil {
		s.failed.Add(int64(len(ops)))
		s.log.Warn("store write failed; records lost", "records", len(ops), "err", err)
	}
	return err
}

// run runs one synchronous write in its own transaction.
func (s *Store) run(name string, apply func(context.Context, *sql.Tx) error) error {
	if err := s.transact(apply); err != nil {
		s.log.Warn("store write failed", "write", name, "err", err)
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// transact runs apply in a transaction and records the outcome in Health.
// Writes have their own deadline rather than a caller's context: a write
// taken off the queue is finished or failed, not abandoned half-way.
func (s *Store) transact(apply func(context.Context, *sql.Tx) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := func() error {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := apply(ctx, tx); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}()
	var r refusal
	if !errors.As(err, &r) {
		s.setHealth(err)
	}
	return err
}

// refusal is a write refused for what it asks (a name taken), not for a
// fault of the store: it leaves Health alone.
type refusal struct{ error }

func (r refusal) Unwrap() error { return r.error }
