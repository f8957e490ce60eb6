package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestSyncLoop drives the schedule with a tick channel: each tick runs a
// sync; a failure and a panic are logged and the next tick syncs again;
// cancelling the context stops the loop, a sync in progress included,
// without logging that as a failure.
func TestSyncLoop(t *testing.T) {
	ticks := make(chan time.Time)
	started := make(chan int)
	results := []func(ctx context.Context) error{
		func(context.Context) error { return errors.New("feed unreachable") },
		func(context.Context) error { panic("parser bug") },
		func(context.Context) error { return nil },
		func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() },
	}
	n := 0
	run := func(ctx context.Context) error {
		n++
		started <- n
		return results[n-1](ctx)
	}
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		syncLoop(ctx, ticks, run, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	for want := 1; want <= len(results); want++ {
		ticks <- time.Now() // the loop takes it only once the previous sync returned
		if got := <-started; got != want {
			t.Fatalf("got sync %d, want %d", got, want)
		}
	}
	cancel()
	<-done
	got := logs.String()
	if strings.Count(got, "scheduled sync failed") != 2 || !strings.Contains(got, "feed unreachable") || !strings.Contains(got, "parser bug") {
		t.Errorf("got logs %q, want the failure and the panic logged, and not the cancellation", got)
	}
}

// TestSyncEvery reads CITEBOT_SYNC_EVERY: an hour by default, 0 for
// off, a usage error for anything unreadable or too frequent.
func TestSyncEvery(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", time.Hour, true}, {"0", 0, true}, {"0s", 0, true}, {"30m", 30 * time.Minute, true}, {"2h", 2 * time.Hour, true},
		{"hourly", 0, false}, {"-1h", 0, false}, {"10s", 0, false}, {"1", 0, false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := syncEvery(tt.in)
			var usage usageError
			if got != tt.want || (err == nil) != tt.ok || (err != nil && !errors.As(err, &usage)) {
				t.Errorf("got %v, %v; want %v and ok=%v (a usage error otherwise)", got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestDiscordRejectsAnUnreadableSyncPeriod(t *testing.T) {
	_, stderr, code := cli(t, map[string]string{"CITEBOT_SYNC_EVERY": "hourly", "DISCORD_TOKEN": "x"}, "discord")
	if code != 2 || !strings.Contains(stderr, "CITEBOT_SYNC_EVERY") {
		t.Errorf("got exit %d, %q; want 2 naming CITEBOT_SYNC_EVERY", code, stderr)
	}
}
