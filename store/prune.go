package store

import (
	"context"
	"log/slog"
	"time"
)

// PruneInterval is how often PruneEvery applies the retention.
const PruneInterval = 24 * time.Hour

// Pruner is the part of a Store that PruneEvery needs.
type Pruner interface {
	Prune(ctx context.Context, before time.Time) (int, error)
}

// PruneEvery applies the retention (CITEBOT_RETENTION): it deletes the
// records older than keep at once, then every interval, until ctx ends.
// keep ≤ 0 keeps everything and returns at once. A failed prune is
// logged and tried again at the next tick: what is left is only kept
// longer than it should be.
func PruneEvery(ctx context.Context, p Pruner, keep, interval time.Duration, log *slog.Logger) {
	if keep <= 0 || interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	pruneOn(ctx, p, keep, t.C, time.Now, log)
}

// pruneOn prunes now and on every tick.
func pruneOn(ctx context.Context, p Pruner, keep time.Duration, tick <-chan time.Time, now func() time.Time, log *slog.Logger) {
	for {
		n, err := p.Prune(ctx, now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("retention: pruning old records failed", "err", err)
		case n > 0:
			log.Info("retention: old records deleted", "records", n, "older_than", keep)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
