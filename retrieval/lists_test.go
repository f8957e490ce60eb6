package retrieval

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// holders loads the index in dir as n processes would, process i holding
// the lists l with l%n == i, and returns a RemoteLists that asks each the
// lists it holds, in process, skipping the holders in down.
func holders(t *testing.T, dir string, n int, down ...int) RemoteLists {
	t.Helper()
	ixs := make([]*Index, n)
	for i := range ixs {
		ix, err := Load(context.Background(), dir, LoadOptions{Held: func(l int) bool { return l%n == i }})
		if err != nil {
			t.Fatal(err)
		}
		ixs[i] = ix
	}
	return func(ctx context.Context, qv []float32, lists []int, k int) ([]ListHit, error) {
		var hits []ListHit
		for i, ix := range ixs {
			var mine []int
			for _, l := range lists {
				if l%n == i {
					mine = append(mine, l)
				}
			}
			if len(mine) == 0 || slices.Contains(down, i) {
				continue
			}
			h, err := ix.SearchLists(ctx, qv, mine, k)
			if err != nil {
				return nil, err
			}
			hits = append(hits, h...)
		}
		return hits, nil
	}
}

// A search whose lists are held by four processes ranks as one process
// holding them all; with one of them down it still answers, from the
// lists of the others.
func TestSearchOverListsHeldElsewhere(t *testing.T) {
	dir := t.TempDir()
	docs := clusterCorpus(t, 60)
	whole, st, _ := openClustered(t, dir, docs, clusterMin, 0)
	if st.Lists < 8 {
		t.Fatalf("%d lists, want a clustered index", st.Lists)
	}
	asker, err := Load(context.Background(), dir, LoadOptions{Held: func(int) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	scattered := asker.WithRemoteLists(holders(t, dir, 4))
	sameResults(t, scattered, whole, clusterQueries...)
	sameVectorRanking(t, scattered, whole, clusterQueries...)
	for l := range asker.Lists() {
		if asker.lists[l].col != nil {
			t.Fatalf("the asking process filled list %d, which others hold", l)
		}
	}

	degraded := asker.WithRemoteLists(holders(t, dir, 4, 2))
	for _, q := range clusterQueries {
		rs, err := degraded.Search(context.Background(), q, 6)
		if err != nil || len(rs) != 6 {
			t.Errorf("%q with a holder down: %d results, %v; want 6", q, len(rs), err)
		}
	}
}

func TestLoadChecksTheIndex(t *testing.T) {
	dir := t.TempDir()
	openClustered(t, dir, clusterCorpus(t, 20), clusterMin, 0)
	if _, err := Load(context.Background(), dir, LoadOptions{Embedder: &Hashed{Dim: 64}}); err == nil {
		t.Error("an index built with another embedder was loaded")
	}
	if _, err := Load(context.Background(), t.TempDir(), LoadOptions{}); err == nil {
		t.Error("an empty directory was loaded")
	}
	ix, err := Load(context.Background(), dir, LoadOptions{Held: func(l int) bool { return l == 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.SearchLists(context.Background(), make([]float32, ix.dim), []int{1}, 5); !errors.Is(err, ErrNotHeld) {
		t.Errorf("searching a list not held: %v, want ErrNotHeld", err)
	}
	files, err := IndexFiles(dir)
	if err != nil || len(files) != 2 || !slices.ContainsFunc(files, func(f string) bool { return f == dir+"/manifest.json" }) {
		t.Errorf("index files %v (%v)", files, err)
	}
}
