package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/scale"
)

// workerIndex is the index a worker answers from: the newest published
// one (or, when none was, the one built here from the corpus), swapped
// into live when a new version is published. With --partitions-held it
// holds only some lists of a clustered index and asks the holders of the
// others.
type workerIndex struct {
	e       *env
	c       *scale.Conn
	id      string
	held    func(list int) bool // nil: every list, searched here
	slots   int
	scatter *scale.Scatter // set when held is
	grace   time.Duration  // how long a replaced holder still answers

	mu     sync.Mutex
	live   *retrieval.Live
	holder *scale.Holder
}

// start loads the index, following the published versions.
func (w *workerIndex) start(ctx context.Context) error {
	err := w.c.FollowIndex(ctx, filepath.Join(w.e.dataDir, "published"), w.use)
	if !errors.Is(err, scale.ErrNoIndex) {
		return err
	}
	w.e.log.Warn("no index was published; using the one built here from the corpus (citebot index --publish distributes one)")
	if _, _, err := w.e.openIndex(ctx, nil); err != nil {
		return err
	}
	version, err := retrieval.IndexVersion(w.e.indexDir())
	if err != nil {
		return err
	}
	return w.use(w.e.indexDir(), version)
}

// use loads the index in dir and swaps it in; the holder of the previous
// version's lists answers for grace more, for questions that started on it.
func (w *workerIndex) use(dir, version string) error {
	emb, err := w.e.embedder()
	if err != nil {
		return err
	}
	nprobe, err := w.e.nprobe()
	if err != nil {
		return err
	}
	ix, err := retrieval.Load(context.Background(), dir, retrieval.LoadOptions{Embedder: emb, Logger: w.e.log, NProbe: nprobe,
		QueryTimeout: w.e.duration("CITEBOT_EMBED_TIMEOUT", retrieval.DefaultQueryTimeout), Held: w.held})
	if err != nil {
		return err
	}
	asking, holder := ix, (*scale.Holder)(nil)
	if w.held != nil {
		lists := heldLists(ix)
		if holder, err = w.c.Hold(context.Background(), ix, w.id, version, lists, w.slots); err != nil {
			return err
		}
		asking = ix.WithRemoteLists(w.scatter.Remote(version))
		w.e.log.Info("holding lists of the index", "version", version, "lists", len(lists), "of", max(1, ix.Lists()))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.live == nil {
		w.live = retrieval.NewLive(asking)
	} else {
		w.live.Swap(asking)
	}
	if old := w.holder; old != nil {
		time.AfterFunc(w.grace, old.Close)
	}
	w.holder = holder
	return nil
}

// close withdraws the held lists.
func (w *workerIndex) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.holder != nil {
		w.holder.Close()
	}
}

// heldLists are the lists of ix this worker holds; an index of one
// collection has one list, 0.
func heldLists(ix *retrieval.Index) []int {
	var out []int
	for l := range max(1, ix.Lists()) {
		if ix.Holds(l) {
			out = append(out, l)
		}
	}
	return out
}

// parseLists reads --partitions-held: list numbers and ranges separated by
// commas ("0-15", "0-7,32-39", "3").
func parseLists(s string) (func(int) bool, error) {
	type span struct{ lo, hi int }
	var spans []span
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 0 || b < a {
			return nil, usagef("--partitions-held: want list numbers and ranges such as 0-15,32-47, got %q", part)
		}
		spans = append(spans, span{a, b})
	}
	return func(l int) bool {
		for _, sp := range spans {
			if l >= sp.lo && l <= sp.hi {
				return true
			}
		}
		return false
	}, nil
}

// heldNote says what a worker holds, for its start-up line.
func heldNote(spec string) string {
	if spec == "" {
		return "every list"
	}
	return fmt.Sprintf("lists %s", spec)
}
