package scale

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/citebot/citebot/bench"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// savedIndex indexes about chunks chunks of generated articles, their
// files named with prefix, in a temporary directory.
func savedIndex(t *testing.T, prefix string, chunks int, seed uint64) string {
	t.Helper()
	gen, err := bench.Generate(chunks, seed)
	if err != nil {
		t.Fatal(err)
	}
	var docs []corpus.Document
	for i, d := range gen {
		doc, err := corpus.Parse(fmt.Sprintf("%s%04d.txt", prefix, i), []byte(d.Title+"\n\n"+d.Text))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	dir := t.TempDir()
	if _, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFollowIndexWithoutOne(t *testing.T) {
	c := connect(t, server(t).URL(), Options{})
	err := c.FollowIndex(testContext(t), t.TempDir(), func(string, string) error { return nil })
	if !errors.Is(err, ErrNoIndex) {
		t.Errorf("following an unpublished index: %v, want ErrNoIndex", err)
	}
}

// A new index published while questions flow is swapped in without an
// error, and the answers after the swap come from it.
func TestPublishWhileQuestionsFlow(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	pub := connect(t, srv.URL(), Options{})
	first, err := pub.PublishIndex(ctx, savedIndex(t, "a", 400, 1))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := pub.PublishIndex(ctx, savedIndex(t, "a", 400, 1)); err != nil || again != first {
		t.Errorf("republishing the same index: version %s (%v), want %s", again, err, first)
	}

	var live *retrieval.Live
	swapped := make(chan string, 4)
	use := func(dir, version string) error {
		ix, err := retrieval.Load(ctx, dir, retrieval.LoadOptions{})
		if err != nil {
			return err
		}
		if live == nil {
			live = retrieval.NewLive(ix)
		} else {
			live.Swap(ix)
		}
		swapped <- version
		return nil
	}
	worker := connect(t, srv.URL(), Options{})
	if err := worker.FollowIndex(ctx, t.TempDir(), use); err != nil {
		t.Fatal(err)
	}
	if v := <-swapped; v != first {
		t.Fatalf("started on %s, want %s", v, first)
	}

	stop := make(chan struct{})
	var failures, searches atomic.Int64
	var wg sync.WaitGroup
	for _, q := range bench.Questions(4, 2) {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if rs, err := live.Search(ctx, q, 5); err != nil || len(rs) == 0 {
					failures.Add(1)
				}
				searches.Add(1)
			}
		})
	}
	second, err := pub.PublishIndex(ctx, savedIndex(t, "b", 400, 2))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-swapped:
		if v != second {
			t.Fatalf("switched to %s, want %s", v, second)
		}
	case <-ctx.Done():
		t.Fatal("the worker never switched to the new index")
	}
	close(stop)
	wg.Wait()
	if failures.Load() != 0 || searches.Load() == 0 {
		t.Errorf("%d of %d searches failed while the index changed", failures.Load(), searches.Load())
	}
	for _, q := range bench.Questions(4, 2) {
		rs, err := live.Search(ctx, q, 5)
		if err != nil || len(rs) == 0 || !strings.HasPrefix(rs[0].Doc.ID, "b") {
			t.Errorf("%q after the switch: %v (%v), want passages of the new index", q, rs, err)
		}
	}
}
