package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// startSync syncs every period in the background until ctx ends or the
// returned stop is called; stop waits for a sync in progress to give up.
// A zero period, or no registry, schedules nothing. The first sync comes
// one period after the start, so that a bot restarting in a loop does
// not hammer the sites it follows.
func (k *indexKeeper) startSync(ctx context.Context, every time.Duration) (stop func()) {
	if every <= 0 || k.reg == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	t := time.NewTicker(every)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer t.Stop()
		syncLoop(ctx, t.C, func(ctx context.Context) error { _, err := k.sync(ctx); return err }, k.e.log)
	}()
	return func() {
		cancel()
		<-done
	}
}

// syncLoop runs run at every tick until ctx ends. A failed sync is
// logged and tried again at the next tick, and a panic is recovered:
// the bot keeps answering from the index it has. The ticks are a channel
// so that tests drive the loop without waiting for time.
func syncLoop(ctx context.Context, ticks <-chan time.Time, run func(context.Context) error, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if err := syncOnce(ctx, run); err != nil && ctx.Err() == nil {
				log.Error("scheduled sync failed; trying again at the next one", "err", err)
			}
		}
	}
}

// syncOnce runs run, turning a panic into an error.
func syncOnce(ctx context.Context, run func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sync panicked: %v", r)
		}
	}()
	return run(ctx)
}

// syncEvery reads the sync period (-sync-every, CITEBOT_SYNC_EVERY): a
// Go duration of at least a minute, empty for the default hour, 0 for
// off. Anything else is a usage error, since a typo would otherwise leave
// the feeds silently stale.
func syncEvery(v string) (time.Duration, error) {
	if v == "" {
		return time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if v == "0" || (err == nil && d == 0) {
		return 0, nil
	}
	if err != nil || d < time.Minute {
		return 0, usagef("-sync-every (CITEBOT_SYNC_EVERY) must be a duration of at least 1m such as 30m or 1h, or 0 for off; got %q", v)
	}
	return d, nil
}

// syncNote says when the feeds are synced, for the start-up line.
func syncNote(period time.Duration) string {
	if period == 0 {
		return "feeds not synced (CITEBOT_SYNC_EVERY=0)"
	}
	return "feeds synced every " + period.String()
}
