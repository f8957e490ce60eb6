package retrieval

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/citebot/citebot/corpus"
)

// clusterMin clusters the test corpora, which are far below the default.
const clusterMin = 100

// openClustered opens docs in dir ("" for memory) with the crash tests'
// chunking, clustered from clusterMin chunks unless minClustered says
// otherwise, and returns the logs too.
func openClustered(t *testing.T, dir string, docs []corpus.Document, minClustered, nprobe int) (*Index, Stats, string) {
	t.Helper()
	var logs bytes.Buffer
	ix, st, err := Open(context.Background(), docs, Options{Dir: dir, Chunking: crashChunking, MinClustered: minClustered,
		NProbe: nprobe, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return ix, st, logs.String()
}

var clusterQueries = []string{"dossier gouvernement à bakville", "santé et éducation", "université et calcul à fbkville", "énergie défense", "calcul sécurité recherche"}

// clusterCorpus generates n documents of a dozen short sentences, each
// with a name of its own so that no two chunks have the same vector: ties
// at the cut of a ranking are broken by chromem-go's map order.
func clusterCorpus(t testing.TB, n int) []corpus.Document {
	t.Helper()
	docs := make([]corpus.Document, n)
	for i := range docs {
		name := fmt.Sprintf("%c%c%c", 'b'+i%20, 'a'+i/20%5, 'k'+i/100%10) + "ville"
		var b strings.Builder
		for s := range 12 {
			w1 := crashWords[(i+s)%len(crashWords)]
			w2 := crashWords[(i*7+s*3)%len(crashWords)]
			fmt.Fprintf(&b, "À %s, le dossier traite du %s et de la %s, étape %s. ", name, w1, w2, crashWords[s%len(crashWords)])
		}
		d, err := corpus.Parse(fmt.Sprintf("doc%04d.txt", i), []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = d
	}
	return docs
}

// sameVectorRanking checks that two indexes find the same nearest chunks
// with the same scores. Chunks tied with the last one kept may differ:
// which of them chromem-go keeps depends on its map order.
func sameVectorRanking(t *testing.T, got, want *Index, queries ...string) {
	t.Helper()
	for _, q := range queries {
		qv := got.emb.(*Hashed).EmbedQuery(q, got.lex.idf)
		a, err1 := got.nearest(context.Background(), qv, 20)
		b, err2 := want.nearest(context.Background(), qv, 20)
		if err1 != nil || err2 != nil || !sameUpToTies(a, b) {
			t.Errorf("%q: got %v (%v), want %v (%v)", q, a, err1, b, err2)
		}
	}
}

// sameUpToTies reports whether two rankings have the same scores, and the
// same chunks above the last score.
func sameUpToTies(a, b []scored) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].score != b[i].score || a[i].score != a[len(a)-1].score && a[i].doc != b[i].doc {
			return false
		}
	}
	return true
}

func TestExhaustiveClusteredSearchIsTheFlatOne(t *testing.T) {
	docs := clusterCorpus(t, 40)
	flat, st, _ := openClustered(t, "", docs, -1, 0)
	if st.Lists != 0 || flat.Lists() != 0 {
		t.Fatalf("got %d lists with clustering off, want 0", st.Lists)
	}
	ix, st, _ := openClustered(t, "", docs, clusterMin, Exhaustive)
	if want := listsFor(ix.Len()); st.Lists < want/2 || st.Lists > 2*want || st.Clustered == "" {
		t.Fatalf("got %+v for %d chunks, want about %d lists, trained", st, ix.Len(), want)
	}
	sameResults(t, ix, flat, clusterQueries...)
	sameVectorRanking(t, ix, flat, clusterQueries...)
	// A partial search finds a subset of the same chunks, scored alike.
	partial := ix.WithNProbe(2)
	for _, q := range clusterQueries {
		rs, err := partial.Search(context.Background(), q, 5)
		if err != nil || len(rs) != 5 {
			t.Fatalf("%q: got %d results, %v, want 5", q, len(rs), err)
		}
	}
}

func TestClusteringIsDeterministic(t *testing.T) {
	docs := clusterCorpus(t, 30)
	a, _, _ := openClustered(t, "", docs, clusterMin, 0)
	b, _, _ := openClustered(t, "", docs, clusterMin, 0)
	if !slices.Equal(a.clusters.lists, b.clusters.lists) || !slices.Equal(a.member, b.member) {
		t.Error("got two clusterings of the same vectors, want one")
	}
	sizes := make([]int, a.Lists())
	for _, l := range a.member {
		sizes[l]++
	}
	if err := a.Fill(); err != nil {
		t.Fatal(err)
	}
	for l, n := range sizes {
		if n != a.lists[l].col.Count() {
			t.Errorf("list %d: got %d documents in chromem-go, want %d", l, a.lists[l].col.Count(), n)
		}
	}
}

func TestChromemSimilarityIsChromemGos(t *testing.T) {
	ix, _, _ := openClustered(t, "", clusterCorpus(t, 20), -1, 0)
	for _, q := range clusterQueries {
		qv := ix.emb.(*Hashed).EmbedQuery(q, ix.lex.idf)
		col, err := ix.collection(ix.lists[0])
		if err != nil {
			t.Fatal(err)
		}
		res, err := col.QueryEmbedding(context.Background(), qv, 10, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			i, ok := ix.chunks.row(r.ID)
			if got := chromemSimilarity(chromemQuery(qv), row(ix.vecs, ix.dim, i)); !ok || got != r.Similarity {
				t.Errorf("%q, %s: got %v, chromem-go says %v", q, r.ID, got, r.Similarity)
			}
		}
	}
}

func TestNProbeOption(t *testing.T) {
	docs := clusterCorpus(t, 30)
	ix, _, _ := openClustered(t, "", docs, clusterMin, 0)
	k := ix.Lists()
	if ix.NProbe() != defaultNProbe(k, true) {
		t.Errorf("got nprobe %d by default, want %d", ix.NProbe(), defaultNProbe(k, true))
	}
	if got := ix.WithNProbe(3).NProbe(); got != 3 {
		t.Errorf("got nprobe %d, want 3", got)
	}
	big, _, logs := openClustered(t, "", docs, clusterMin, k+5)
	if big.NProbe() != Exhaustive || !strings.Contains(logs, "nprobe is larger than the number of lists") {
		t.Errorf("got nprobe %d and logs %q for %d of %d lists, want all of them and a warning", big.NProbe(), logs, k+5, k)
	}
	for _, bad := range []int{-2, -100} {
		_, _, err := Open(context.Background(), docs, Options{Chunking: crashChunking, MinClustered: clusterMin, NProbe: bad})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprint(bad)) {
			t.Errorf("nprobe %d: got %v, want an error naming it", bad, err)
		}
	}
	small, _, _ := openClustered(t, "", docs, -1, 7)
	if small.NProbe() != Exhaustive {
		t.Errorf("got nprobe %d on an index of one collection, want Exhaustive", small.NProbe())
	}
}

// TestListsFilledOnFirstUse checks that the chromem-go collections made
// when searches first probe them hold every row of their list, whether
// the first search was cancelled or many searches raced to make them.
func TestListsFilledOnFirstUse(t *testing.T) {
	docs := clusterCorpus(t, 30)
	want, _, _ := openClustered(t, "", docs, clusterMin, 0)
	if err := want.Fill(); err != nil {
		t.Fatal(err)
	}
	cancelled, _, _ := openClustered(t, "", docs, clusterMin, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	qv := cancelled.emb.(*Hashed).EmbedQuery(clusterQueries[0], cancelled.lex.idf)
	if _, err := cancelled.WithNProbe(Exhaustive).nearest(ctx, qv, 10); err == nil {
		t.Error("got no error from a cancelled search, want one")
	}
	sameVectorRanking(t, cancelled, want, clusterQueries...)
	raced, _, _ := openClustered(t, "", docs, clusterMin, Exhaustive)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, q := range clusterQueries {
				if _, err := raced.Search(context.Background(), q, 5); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for l, li := range raced.lists {
		if li.col == nil || li.col.Count() != len(li.rows) {
			t.Fatalf("list %d: got %v, want a collection of its %d rows", l, li.col, len(li.rows))
		}
	}
	sameVectorRanking(t, raced, want.WithNProbe(Exhaustive), clusterQueries...)
}

// TestDefaultNProbeFollowsTheMeasuredCurve checks the default against the
// measured points and between them.
func TestDefaultNProbeFollowsTheMeasuredCurve(t *testing.T) {
	for _, p := range builtinNProbe {
		if got := defaultNProbe(p.lists, true); got != p.nprobe {
			t.Errorf("%d lists: got %d, want the measured %d", p.lists, got, p.nprobe)
		}
	}
	cases := []struct{ k, builtin, model int }{
		{20, 20, 8},     // a small index: every list
		{100, 55, 8},    // below the first measured size
		{230, 51, 8},    // half-way between 142 and 317 lists
		{658, 168, 20},  // half-way between 317 and 999
		{2000, 577, 62}, // the last share, 288 of 999
	}
	for _, c := range cases {
		if got := defaultNProbe(c.k, true); got != c.builtin {
			t.Errorf("%d lists, built-in embedder: got %d, want %d", c.k, got, c.builtin)
		}
		if got := defaultNProbe(c.k, false); got != c.model {
			t.Errorf("%d lists, a model's vectors: got %d, want %d", c.k, got, c.model)
		}
	}
}
