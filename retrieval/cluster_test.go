package retrieval

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/citebot/citebot/corpus"
)

func TestClusteredIndexReloadsAsSaved(t *testing.T) {
	dir := t.TempDir()
	docs := clusterCorpus(t, 30)
	saved, st, _ := openClustered(t, dir, docs, clusterMin, 0)
	if !st.Saved || st.Lists == 0 {
		t.Fatalf("got %+v, want a clustered index saved", st)
	}
	loaded, st, _ := openClustered(t, dir, docs, clusterMin, 0)
	if !st.Loaded || st.Saved || st.Embedded != 0 || st.Clustered != "" || st.Lists != saved.Lists() {
		t.Errorf("got %+v, want the clustered index loaded as saved", st)
	}
	sameResults(t, loaded, saved, clusterQueries...)
	sameVectorRanking(t, loaded, saved, clusterQueries...)
}

func TestIncrementalUpdateJoinsNearestLists(t *testing.T) {
	dir := t.TempDir()
	all := clusterCorpus(t, 36)
	before, _, _ := openClustered(t, dir, all[:30], clusterMin, 0)
	ix, st, _ := openClustered(t, dir, all, clusterMin, 0)
	if st.Clustered != "" || st.Embedded == 0 || ix.Lists() != before.Lists() {
		t.Fatalf("got %+v, want the new chunks embedded into the %d lists kept", st, before.Lists())
	}
	for r := before.Len(); r < ix.Len(); r++ {
		if want := ix.clusters.assign(row(ix.vecs, ix.dim, r)); int(ix.member[r]) != want {
			t.Errorf("%s: got list %d, want its nearest, %d", ix.chunks.id(r), ix.member[r], want)
		}
	}
	flat, _, _ := openClustered(t, "", all, -1, 0)
	sameVectorRanking(t, ix.WithNProbe(Exhaustive), flat, clusterQueries...)
	reloaded, st, _ := openClustered(t, dir, all, clusterMin, 0)
	if !st.Loaded || st.Saved {
		t.Errorf("got %+v, want the updated index loaded", st)
	}
	sameVectorRanking(t, reloaded, ix, clusterQueries...)
}

func TestClusteringRetrainedWhenTheIndexDoubles(t *testing.T) {
	dir := t.TempDir()
	all := clusterCorpus(t, 40)
	openClustered(t, dir, all[:18], clusterMin, 0)
	ix, st, logs := openClustered(t, dir, all, clusterMin, 0)
	if !strings.HasPrefix(st.Clustered, "grew from") || !strings.Contains(logs, "clustered the index") {
		t.Errorf("got %+v and logs %q, want a new clustering for the grown index", st, logs)
	}
	if ix.Lists() != listsForTrained(ix) {
		t.Errorf("got %d lists, want them sized for %d chunks", ix.Lists(), ix.Len())
	}
}

// listsForTrained is how many lists train gives an index of that size.
func listsForTrained(ix *Index) int { return train(ix.vecs, ix.dim, clusterSeed).k() }

func TestCorpusShrinkingToAHandfulOfChunks(t *testing.T) {
	dir := t.TempDir()
	all := clusterCorpus(t, 30)
	openClustered(t, dir, all, clusterMin, 0)
	few := all[:1]
	ix, st, _ := openClustered(t, dir, few, clusterMin, 0)
	if st.Lists != 0 || ix.Lists() != 0 || st.Removed == 0 {
		t.Errorf("got %+v, want one collection below the threshold", st)
	}
	// Clustered however small: a few chunks, lists of one or two.
	tiny, st, _ := openClustered(t, dir, few, 1, 0)
	if st.Lists == 0 {
		t.Fatalf("got %+v, want the handful clustered", st)
	}
	for _, nprobe := range []int{0, Exhaustive} {
		rs, err := tiny.WithNProbe(nprobe).Search(context.Background(), "santé", 50)
		if err != nil || len(rs) != tiny.Len() {
			t.Errorf("nprobe %d: got %d results, %v, want all %d chunks", nprobe, len(rs), err, tiny.Len())
		}
	}
	if rs, err := tiny.WithNProbe(1).Search(context.Background(), "santé", 50); err != nil || len(rs) == 0 {
		t.Errorf("nprobe 1: got %d results, %v, want those of one list at least", len(rs), err)
	}
}

func TestIdenticalChunksCluster(t *testing.T) {
	var docs []corpus.Document
	for i := range 150 {
		d, err := corpus.Parse(strings.Repeat("x", 1+i%3)+string(rune('a'+i%26))+string(rune('a'+i/26))+".txt", []byte("La même phrase partout."))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	ix, st, _ := openClustered(t, "", docs, clusterMin, 0)
	if st.Lists == 0 {
		t.Fatalf("got %+v, want %d identical chunks clustered", st, len(docs))
	}
	rs, err := ix.Search(context.Background(), "même phrase", 10)
	if err != nil || len(rs) != 10 {
		t.Errorf("got %d results, %v, want 10", len(rs), err)
	}
}

func TestListEmptiedByDeletions(t *testing.T) {
	dir := t.TempDir()
	all := clusterCorpus(t, 40)
	ix, _, _ := openClustered(t, dir, all, clusterMin, 0)
	// Remove every document with a chunk in the list of the first chunk,
	// as long as that leaves more than half of the index (no retraining).
	emptied := ix.member[0]
	gone := map[string]bool{}
	for r, l := range ix.member {
		if l == emptied {
			gone[ix.chunks.chunk(r).DocID] = true
		}
	}
	var kept []corpus.Document
	for _, d := range all {
		if !gone[d.ID] {
			kept = append(kept, d)
		}
	}
	after, st, _ := openClustered(t, dir, kept, clusterMin, 0)
	if st.Clustered != "" || len(after.lists[emptied].rows) != 0 {
		t.Fatalf("got %+v and %d chunks in list %d, want it empty and the clustering kept", st, len(after.lists[emptied].rows), emptied)
	}
	flat, _, _ := openClustered(t, "", kept, -1, 0)
	sameVectorRanking(t, after.WithNProbe(Exhaustive), flat, clusterQueries...)
	for _, nprobe := range []int{1, 0} {
		if rs, err := after.WithNProbe(nprobe).Search(context.Background(), "santé", 5); err != nil || len(rs) != 5 {
			t.Errorf("nprobe %d: got %d results, %v, want 5", nprobe, len(rs), err)
		}
	}
}

func TestDamagedClusteredIndexIsRebuilt(t *testing.T) {
	dir := t.TempDir()
	docs := clusterCorpus(t, 30)
	openClustered(t, dir, docs, clusterMin, 0)
	f := vectorsFile(t, dir)
	info, _ := os.Stat(f)
	// Cut inside the clustering, the last part of the file.
	if err := os.Truncate(f, info.Size()-100); err != nil {
		t.Fatal(err)
	}
	ix, st, logs := openClustered(t, dir, docs, clusterMin, 0)
	if st.Loaded || st.Rebuilt != "unreadable index data" || st.Lists == 0 || !strings.Contains(logs, "level=WARN") {
		t.Errorf("got %+v and logs %q, want a clustered rebuild with a warning", st, logs)
	}
	if rs, err := ix.Search(context.Background(), "santé", 3); err != nil || len(rs) != 3 {
		t.Errorf("got %d results, %v, want 3", len(rs), err)
	}
}

// TestMappedVectorsOutliveTheirFile checks that the vectors of a loaded
// index, which are the data file's mapped bytes, stay readable when the
// file is deleted by the next save and when only a copy of the index
// (WithNProbe) remains after collections.
func TestMappedVectorsOutliveTheirFile(t *testing.T) {
	dir := t.TempDir()
	docs := clusterCorpus(t, 30)
	openClustered(t, dir, docs, clusterMin, 0)
	loaded, st, _ := openClustered(t, dir, docs, clusterMin, 0)
	if !st.Loaded || loaded.file == nil {
		t.Fatalf("got %+v, want a load from the data file", st)
	}
	want, err := loaded.Search(context.Background(), "santé et éducation", 5)
	if err != nil {
		t.Fatal(err)
	}
	copied := loaded.WithNProbe(Exhaustive)
	loaded = nil
	openClustered(t, dir, docs[:20], clusterMin, 0) // a save that deletes the old data file
	for range 3 {
		runtime.GC()
	}
	got, err := copied.WithNProbe(0).Search(context.Background(), "santé et éducation", 5)
	if err != nil || len(got) != len(want) || got[0].Chunk.ID != want[0].Chunk.ID {
		t.Errorf("got %v, %v, want %v", ids(got), err, ids(want))
	}
}
