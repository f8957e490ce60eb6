package scale

import (
	"context"
	"github.com/citebot/citebot/internal/logbuf"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/bench"
	"github.com/citebot/citebot/retrieval"
)

// probed is how many lists the scatter tests probe: fewer than all, so
// that the centroids choose.
const probed = 6

// clusteredIndex builds a clustered index of about chunks chunks in a
// temporary directory and returns it with its directory and version.
func clusteredIndex(t *testing.T, chunks int, seed uint64) (*retrieval.Index, string, string) {
	t.Helper()
	docs, err := bench.Generate(chunks, seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{Dir: dir, MinClustered: chunks / 4, NProbe: probed})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Lists() < 8 {
		t.Fatalf("%d lists, want a clustered index", ix.Lists())
	}
	v, err := retrieval.IndexVersion(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ix, dir, v
}

// Four workers, each holding a quarter of the lists, answer a search as
// one process holding them all does; with one of them gone the others
// still answer, and the missing lists are logged.
func TestScatterGatherOverFourHolders(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	whole, dir, version := clusteredIndex(t, 1500, 7)
	var conns []*Conn
	for i := range 4 {
		held := func(l int) bool { return l%4 == i }
		ix, err := retrieval.Load(ctx, dir, retrieval.LoadOptions{Held: held})
		if err != nil {
			t.Fatal(err)
		}
		var lists []int
		for l := range ix.Lists() {
			if held(l) {
				lists = append(lists, l)
			}
		}
		c := connect(t, srv.URL(), Options{})
		h, err := c.Hold(ctx, ix, "holder-"+string(rune('a'+i)), version, lists, 4)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(h.Close)
		conns = append(conns, c)
	}
	var logs logbuf.Buffer
	asker := connect(t, srv.URL(), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	sc, err := asker.NewScatter(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	local, err := retrieval.Load(ctx, dir, retrieval.LoadOptions{Held: func(int) bool { return false }, NProbe: probed})
	if err != nil {
		t.Fatal(err)
	}
	scattered := local.WithRemoteLists(sc.Remote(version))
	questions := bench.Questions(8, 3)
	for _, q := range questions {
		got, err1 := scattered.Search(ctx, q, 8)
		want, err2 := whole.Search(ctx, q, 8)
		if err1 != nil || err2 != nil || len(got) != len(want) {
			t.Fatalf("%q: %d results (%v), want %d (%v)", q, len(got), err1, len(want), err2)
		}
		for i := range got {
			if got[i].Chunk.ID != want[i].Chunk.ID || got[i].Vector != want[i].Vector || got[i].Fused != want[i].Fused {
				t.Errorf("%q rank %d: %s (%.6f), want %s (%.6f)", q, i+1, got[i].Chunk.ID, got[i].Vector, want[i].Chunk.ID, want[i].Vector)
			}
		}
	}
	if strings.Contains(logs.String(), "missing") {
		t.Errorf("lists missing with every holder up:\n%s", logs.String())
	}

	conns[2].Close() // one holder gone
	for _, q := range questions {
		got, err := scattered.Search(ctx, q, 8)
		if err != nil || len(got) != 8 {
			t.Errorf("%q with a holder down: %d results, %v; want 8", q, len(got), err)
		}
	}
	if !strings.Contains(logs.String(), "holder-c") {
		t.Errorf("the missing holder was not logged:\n%s", logs.String())
	}
}
