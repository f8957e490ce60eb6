package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/sources"
)

// indexKeeper is the one way the running bot changes its index: /reindex,
// /source and the sync schedule all rebuild through it, one at a time,
// and swap the new index into live, so that questions are answered from
// the old index while the new one is built. On a gateway the rebuilt
// index is then published, and the workers switch to it.
type indexKeeper struct {
	e    *env
	live *retrieval.Live
	reg  *sources.Registry // nil: added documents cannot be managed from Discord
	// publish, when set, uploads a rebuilt index for the workers of a
	// scaled-out bot, and says which version is current.
	publish func(ctx context.Context) (string, error)

	mu     sync.Mutex // one re-index at a time
	syncMu sync.Mutex // one sync at a time: the schedule's and /source feed's
}

// rebuild re-reads the corpus and the added documents, refreshes the
// index (only changed documents are embedded) and swaps it in.
func (k *indexKeeper) rebuild(ctx context.Context) (*retrieval.Index, opened, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	ix, st, err := k.e.openIndex(ctx, nil)
	if err != nil {
		return nil, st, err
	}
	k.live.Swap(ix)
	if k.publish != nil {
		version, err := k.publish(ctx)
		if err != nil {
			return ix, st, fmt.Errorf("the index was rebuilt here but not published for the workers: %w", err)
		}
		k.e.log.Info("published the rebuilt index for the workers", "version", version)
	}
	return ix, st, nil
}

// reindex is /reindex: a rebuild, said in one line.
func (k *indexKeeper) reindex(ctx context.Context) (string, error) {
	ix, st, err := k.rebuild(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d documents, %d chunks (%d embedded, %d reused, %d removed)",
		len(ix.Documents()), ix.Len(), st.Embedded, st.Reused, st.Removed), nil
}

// sync fetches what is new or changed in the followed feeds and the pages
// added by URL, then rebuilds the index if anything changed. What a sync
// finished is kept even when it fails, so the rebuild runs then too.
func (k *indexKeeper) sync(ctx context.Context) (sources.Report, error) {
	k.syncMu.Lock()
	defer k.syncMu.Unlock()
	rep, err := k.reg.Sync(ctx, nil)
	for _, f := range rep.Failed {
		k.e.log.Warn("sync: source failed; kept its previous version", "url", f.URL, "err", f.Error)
	}
	if len(rep.Added)+len(rep.Updated) > 0 && ctx.Err() == nil {
		if _, _, rerr := k.rebuild(ctx); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	if err != nil {
		return rep, fmt.Errorf("sync: %w", err)
	}
	k.e.log.Info("synced the followed feeds", "feeds", rep.Feeds, "added", len(rep.Added), "updated", len(rep.Updated),
		"unchanged", len(rep.Unchanged), "failed", len(rep.Failed))
	return rep, nil
}
