package store

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// recordingPruner sends each cut-off it is asked for.
type recordingPruner chan time.Time

func (p recordingPruner) Prune(_ context.Context, before time.Time) (int, error) {
	p <- before
	return 1, nil
}

func TestPruneOnNowAndEveryTick(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p := make(recordingPruner)
	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		pruneOn(ctx, p, 90*24*time.Hour, tick, clock, slog.New(slog.DiscardHandler))
		close(done)
	}()
	if got, want := <-p, now.AddDate(0, 0, -90); !got.Equal(want) {
		t.Errorf("first prune: got before %v, want %v", got, want)
	}
	now = now.Add(24 * time.Hour) // read by the loop only after the tick
	tick <- now
	if got, want := <-p, now.AddDate(0, 0, -90); !got.Equal(want) {
		t.Errorf("after a tick: got before %v, want %v", got, want)
	}
	cancel()
	<-done
}

func TestPruneEveryKeepsAllWhenOff(t *testing.T) {
	p := make(recordingPruner) // unbuffered: a Prune call would block forever
	PruneEvery(context.Background(), p, 0, time.Hour, slog.New(slog.DiscardHandler))
}
