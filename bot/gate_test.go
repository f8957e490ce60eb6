package bot

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// gateResult is what one goroutine's enter returned.
type gateResult struct {
	release  func()
	position int
	err      error
}

// gateEnterQueued enters g in a new goroutine and returns once that
// goroutine waits in line, with its position and where its enter result
// will arrive.
func gateEnterQueued(ctx context.Context, t *testing.T, g *gate) (int, <-chan gateResult) {
	t.Helper()
	queued := make(chan int, 1)
	done := make(chan gateResult, 1)
	go func() {
		release, pos, err := g.enterNotify(ctx, func(p int) { queued <- p })
		done <- gateResult{release, pos, err}
	}()
	select {
	case p := <-queued:
		return p, done
	case r := <-done:
		t.Fatalf("enter: got position %d, %v at once, want to wait in line", r.position, r.err)
		return 0, nil
	}
}

// gateTakeAll takes the n free slots of g and returns their release funcs.
func gateTakeAll(t *testing.T, g *gate, n int) []func() {
	t.Helper()
	var releases []func()
	for i := range n {
		release, pos, err := g.enter(t.Context())
		if err != nil || pos != 0 {
			t.Fatalf("enter %d: got position %d, %v, want 0, nil", i+1, pos, err)
		}
		releases = append(releases, release)
	}
	return releases
}

func TestGateQueueFIFO(t *testing.T) {
	tests := []struct {
		name              string
		concurrent, queue int
	}{
		{"one slot", 1, 4},
		{"three slots", 3, 5},
		{"no queue", 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGate(tt.concurrent, tt.queue)
			toRelease := gateTakeAll(t, g, tt.concurrent)
			// Each waiter reports its number on admitted once it gets a slot.
			type admission struct {
				waiter int
				gateResult
			}
			admitted := make(chan admission, tt.queue)
			for i := range tt.queue {
				pos, done := gateEnterQueued(t.Context(), t, g)
				if pos != i+1 {
					t.Fatalf("waiter %d: got position %d, want %d", i+1, pos, i+1)
				}
				go func() { admitted <- admission{i + 1, <-done} }()
			}
			if _, _, err := g.enter(t.Context()); !errors.Is(err, errQueueFull) {
				t.Fatalf("enter with a full queue: got %v, want %v", err, errQueueFull)
			}
			if running, queued := g.stats(); running != tt.concurrent || queued != tt.queue {
				t.Fatalf("stats: got %d, %d, want %d, %d", running, queued, tt.concurrent, tt.queue)
			}
			for i := range tt.queue {
				toRelease[0]()
				toRelease = toRelease[1:]
				r := <-admitted
				if r.waiter != i+1 || r.err != nil || r.position != i+1 {
					t.Fatalf("next admitted: got waiter %d (position %d, %v), want waiter %d", r.waiter, r.position, r.err, i+1)
				}
				toRelease = append(toRelease, r.release)
			}
			for _, release := range toRelease {
				release()
			}
			if running, queued := g.stats(); running != 0 || queued != 0 {
				t.Errorf("stats at the end: got %d, %d, want 0, 0", running, queued)
			}
		})
	}
}

// gateWork enters g and, while it holds a slot, counts itself in cur and
// records the highest count seen in peak.
func gateWork(ctx context.Context, g *gate, cur, peak *atomic.Int64) error {
	release, _, err := g.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	n := cur.Add(1)
	defer cur.Add(-1)
	for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
	}
	runtime.Gosched()
	return nil
}

func TestGateConcurrencyBound(t *testing.T) {
	tests := []struct {
		name        string
		concurrent  int
		cancelEvery int // every nth goroutine's context is cancelled while it may wait; 0 never
	}{
		{"one slot", 1, 0},
		{"three slots", 3, 0},
		{"eight slots with cancellations", 8, 3},
	}
	const goroutines = 200
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGate(tt.concurrent, goroutines)
			var cur, peak atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for i := range goroutines {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.cancelEvery > 0 && i%tt.cancelEvery == 0 {
					wg.Go(cancel)
				}
				wg.Go(func() {
					if err := gateWork(ctx, g, &cur, &peak); err != nil && !errors.Is(err, context.Canceled) {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("enter: got %v, want nil or context.Canceled", err)
			}
			if p := peak.Load(); p > int64(tt.concurrent) || p < 1 {
				t.Errorf("got at most %d running at once, want 1..%d", p, tt.concurrent)
			}
			if running, queued := g.stats(); running != 0 || queued != 0 {
				t.Errorf("stats at the end: got %d, %d, want 0, 0", running, queued)
			}
		})
	}
}

func TestGateCancelFreesQueuePlace(t *testing.T) {
	g := newGate(1, 1)
	release, _, _ := g.enter(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pos, cancelled := gateEnterQueued(ctx, t, g)
	if pos != 1 {
		t.Fatalf("waiter: got position %d, want 1", pos)
	}
	if _, _, err := g.enter(t.Context()); !errors.Is(err, errQueueFull) {
		t.Fatalf("enter with a full queue: got %v, want %v", err, errQueueFull)
	}
	cancel()
	if r := <-cancelled; !errors.Is(r.err, context.Canceled) || r.position != 1 {
		t.Fatalf("cancelled waiter: got position %d, %v, want 1, %v", r.position, r.err, context.Canceled)
	}
	if running, queued := g.stats(); running != 1 || queued != 0 {
		t.Fatalf("stats after the cancel: got %d, %d, want 1, 0", running, queued)
	}
	pos, done := gateEnterQueued(t.Context(), t, g)
	if pos != 1 {
		t.Fatalf("newcomer: got position %d, want 1", pos)
	}
	release()
	r := <-done
	if r.err != nil {
		t.Fatalf("newcomer: got %v, want admitted", r.err)
	}
	r.release()
	if running, queued := g.stats(); running != 0 || queued != 0 {
		t.Errorf("stats at the end: got %d, %d, want 0, 0", running, queued)
	}
}

// TestGateAbandonAfterHandover covers a waiter whose context ends just as
// a slot is handed to it: the slot must go on, not leak.
func TestGateAbandonAfterHandover(t *testing.T) {
	g := newGate(1, 2)
	release, _, _ := g.enter(t.Context())
	ready := make(chan struct{})
	g.mu.Lock()
	el := g.waiters.PushBack(ready)
	g.mu.Unlock()
	_, next := gateEnterQueued(t.Context(), t, g)
	release() // hands the slot to the first waiter, whose context then ends
	g.abandon(el, ready)
	if running, queued := g.stats(); running != 1 || queued != 0 {
		t.Fatalf("stats after the abandon: got %d, %d, want 1, 0 (slot passed on)", running, queued)
	}
	r := <-next
	if r.err != nil {
		t.Fatalf("next waiter: got %v, want the slot passed on", r.err)
	}
	r.release()
	if running, queued := g.stats(); running != 0 || queued != 0 {
		t.Errorf("stats at the end: got %d, %d, want 0, 0", running, queued)
	}
}

// TestGateObservesEveryChange checks that the gate reports its counts on
// each change, releases and abandons included, so gauges fed by it come
// back to zero once the work is done.
func TestGateObservesEveryChange(t *testing.T) {
	g := newGate(1, 2)
	var got [][2]int
	g.observe = func(running, waiting int) { got = append(got, [2]int{running, waiting}) } // under g.mu
	release, _, _ := g.enter(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, cancelled := gateEnterQueued(ctx, t, g)
	_, next := gateEnterQueued(t.Context(), t, g)
	cancel()
	<-cancelled
	release()
	(<-next).release()
	g.mu.Lock()
	defer g.mu.Unlock()
	want := [][2]int{{1, 0}, {1, 1}, {1, 2}, {1, 1}, {1, 0}, {0, 0}}
	if !slices.Equal(got, want) {
		t.Errorf("got reports (running, waiting) %v, want %v", got, want)
	}
}

// TestGateCloseLetsAdmittedWorkFinish checks that close refuses newcomers
// while what already runs or waits carries on.
func TestGateCloseLetsAdmittedWorkFinish(t *testing.T) {
	g := newGate(1, 2)
	release, _, _ := g.enter(t.Context())
	_, queued := gateEnterQueued(t.Context(), t, g)
	g.close()
	g.close() // closing twice is harmless
	if _, _, err := g.enter(t.Context()); !errors.Is(err, errClosed) {
		t.Fatalf("enter after close: got %v, want %v", err, errClosed)
	}
	release()
	r := <-queued
	if r.err != nil {
		t.Fatalf("queued before close: got %v, want admitted", r.err)
	}
	r.release()
	if running, waiting := g.stats(); running != 0 || waiting != 0 {
		t.Errorf("stats at the end: got %d, %d, want 0, 0", running, waiting)
	}
}

func TestGateDoubleRelease(t *testing.T) {
	g := newGate(2, 1)
	release, _, _ := g.enter(t.Context())
	release()
	release()
	if running, queued := g.stats(); running != 0 || queued != 0 {
		t.Fatalf("stats after a double release: got %d, %d, want 0, 0", running, queued)
	}

	a, _, _ := g.enter(t.Context())
	b, _, _ := g.enter(t.Context())
	_, done := gateEnterQueued(t.Context(), t, g)
	a()
	a()
	r := <-done
	if running, queued := g.stats(); running != 2 || queued != 0 {
		t.Fatalf("stats after handing a slot over twice: got %d, %d, want 2, 0", running, queued)
	}
	// Both slots are still taken: a newcomer must wait in line.
	pos, next := gateEnterQueued(t.Context(), t, g)
	if pos != 1 {
		t.Fatalf("newcomer: got position %d, want 1", pos)
	}
	b()
	(<-next).release()
	r.release()
	if running, queued := g.stats(); running != 0 || queued != 0 {
		t.Errorf("stats at the end: got %d, %d, want 0, 0", running, queued)
	}
}

func TestGateRefusals(t *testing.T) {
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	closed := newGate(1, 1)
	closed.close()
	full := newGate(1, 0)
	full.enter(t.Context())
	tests := []struct {
		name string
		g    *gate
		ctx  context.Context
		want error
	}{
		{"closed", closed, t.Context(), errClosed},
		{"queue full", full, t.Context(), errQueueFull},
		{"context already done", newGate(1, 1), cancelled, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release, pos, err := tt.g.enter(tt.ctx)
			if !errors.Is(err, tt.want) || pos != 0 {
				t.Fatalf("got position %d, %v, want 0, %v", pos, err, tt.want)
			}
			release() // a no-op, safe to defer before checking err
		})
	}
}
