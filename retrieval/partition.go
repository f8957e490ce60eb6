package retrieval

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	chromem "github.com/philippgille/chromem-go"
)

// A clustered index (an inverted file, IVF) splits its vectors into about
// √N lists by k-means (see kmeans.go), each list its own chromem-go
// collection. A search scores the list centroids, asks chromem-go for the
// nearest chunks of the few most similar lists only, concurrently, and
// merges them; BM25 still sees every chunk. chromem-go's query cost grows
// with the documents it visits (about 1 µs each at 768 dimensions on the
// bench machine), so visiting a tenth of them is what brings a 100k-chunk
// search from 95 ms to a few. Below DefaultMinClustered chunks the index
// is one collection searched exhaustively, as before clustering existed.

// DefaultMinClustered is the corpus size, in chunks, from which the index
// is clustered. Below it an exhaustive search takes under 20 ms (10k chunks:
// 8 ms on the bench machine), every result is exact, and the clustering's
// training is not worth its seconds; see BENCHMARKS.md.
const DefaultMinClustered = 20_000

// Exhaustive as Options.NProbe (or WithNProbe) scans every list: the exact
// search, for measuring recall or when every last match matters.
const Exhaustive = -1

// defaultNProbe is how many lists a search scans unless told otherwise,
// for an index of k lists: the smallest share of them that kept the hybrid
// recall@10 at or above 0.98 against the exhaustive search on the bench
// corpora (BENCHMARKS.md). The built-in embedder's vectors are bags of
// hashed words with little cluster structure, and the vector half's best
// matches for a question are often near-noise similarities that no list
// holds more than another: 0.98 took 64 of 142 lists at 20,000 chunks, 64
// of 317 at 100,000 and 3 in 10 at a million. Vectors from an embedding
// model gather by topic, and a few percent of the lists are enough. Never
// fewer than 8 lists: a small index can afford them.
func defaultNProbe(k int, builtin bool) int {
	n := max(8, k/32)
	if builtin {
		n = max(64, 3*k/10)
	}
	return min(k, n)
}

// install puts the chunks, whose vectors are ix.vecs, in chromem-go: one
// collection, or one per list when ix.clusters is set. Lists are filled
// concurrently: chromem-go checks every vector's norm as it is added.
func (ix *Index) install(ctx context.Context, chunks chunkTable) error {
	ix.chunks = chunks
	lists := [][]int32{nil}
	if ix.clusters != nil {
		lists = make([][]int32, ix.clusters.k())
		for r, l := range ix.member {
			lists[l] = append(lists[l], int32(r))
		}
	} else {
		lists[0] = make([]int32, chunks.len())
		for r := range lists[0] {
			lists[0][r] = int32(r)
		}
	}
	db := chromem.NewDB()
	ix.cols = make([]*chromem.Collection, len(lists))
	for l := range lists {
		col, err := db.CreateCollection("list-"+strconv.Itoa(l), nil, refuseEmbedding)
		if err != nil {
			return fmt.Errorf("create collection: %w", err)
		}
		ix.cols[l] = col
	}
	var failed atomic.Pointer[error]
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(len(lists), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for l := int(next.Add(1) - 1); l < len(lists) && failed.Load() == nil; l = int(next.Add(1) - 1) {
				if !ix.dist.holds(l) {
					continue // held by another process (lists.go)
				}
				if err := ix.fill(ctx, ix.cols[l], lists[l]); err != nil {
					failed.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return *err
	}
	return nil
}

// fill adds the given rows to col, one document at a time: AddDocuments
// starts a goroutine per document, and parked goroutines cost more than
// the add. No metadata: a chunk's document is in its ID.
func (ix *Index) fill(ctx context.Context, col *chromem.Collection, rows []int32) error {
	for i, r := range rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		// No content either: results are found again by ID, and a text
		// kept by chromem-go would keep a mapped data file alive.
		doc := chromem.Document{ID: ix.chunks.id(int(r)), Embedding: row(ix.vecs, ix.dim, int(r))}
		if err := col.AddDocument(ctx, doc); err != nil {
			return fmt.Errorf("add passage %s: %w", doc.ID, err)
		}
	}
	if col.Count() != len(rows) {
		return fmt.Errorf("collection holds %d vectors for %d chunks", col.Count(), len(rows))
	}
	return nil
}

// Lists is the number of lists of a clustered index, 0 for an index of
// one collection.
func (ix *Index) Lists() int {
	if ix.clusters == nil {
		return 0
	}
	return ix.clusters.k()
}

// NProbe is how many lists a search scans, Exhaustive when all of them.
func (ix *Index) NProbe() int { return ix.nprobe }

// WithNProbe returns the index searching nprobe lists per question (see
// Options.NProbe); both share everything else. The bench compares an
// index with itself made exhaustive to measure recall.
func (ix *Index) WithNProbe(nprobe int) *Index {
	c := *ix
	c.nprobe = c.resolveNProbe(nprobe)
	return &c
}

// resolveNProbe turns Options.NProbe into the number of lists to scan,
// warning about a value above the number of lists.
func (ix *Index) resolveNProbe(n int) int {
	k := ix.Lists()
	switch {
	case k == 0 || n == Exhaustive:
		return Exhaustive
	case n <= 0:
		_, builtin := ix.emb.(*Hashed)
		return defaultNProbe(k, builtin)
	case n >= k:
		if n > k {
			ix.log.Warn("nprobe is larger than the number of lists; scanning them all", "nprobe", n, "lists", k)
		}
		return Exhaustive
	}
	return n
}

// nearest returns the n chunks most similar to qv among the lists probed.
func (ix *Index) nearest(ctx context.Context, qv []float32, n int) ([]scored, error) {
	// chromem-go reads the vectors through its documents, which do not
	// keep the mapped data file alive: the index must.
	defer runtime.KeepAlive(ix.file)
	if ix.dist != nil && ix.dist.remote != nil {
		return ix.remoteNearest(ctx, qv, n) // lists held elsewhere (lists.go)
	}
	cols := ix.probe(qv)
	var out []scored
	var err error
	if len(cols) == 1 {
		out, err = ix.query(ctx, cols[0], qv, n)
	} else {
		out, err = ix.queryAll(ctx, cols, qv, n)
	}
	if err != nil {
		return nil, err
	}
	// chromem-go leaves equal similarities in no particular order (its
	// documents are a map); chunk order makes rankings repeatable.
	slices.SortFunc(out, byRank)
	return out[:min(n, len(out))], nil
}

// probe returns the collections to search for qv: every one for an
// exhaustive search, else the ix.nprobe non-empty lists whose centroids
// are the most similar to qv (ties to the lower list).
func (ix *Index) probe(qv []float32) []*chromem.Collection {
	if ix.nprobe == Exhaustive || ix.clusters == nil {
		return ix.cols
	}
	type cand struct {
		list int
		sim  float32
	}
	cands := make([]cand, 0, len(ix.cols))
	for l, col := range ix.cols {
		if col.Count() > 0 {
			cands = append(cands, cand{l, dotProduct(qv, ix.clusters.list(l))})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		return cmp.Compare(a.list, b.list)
	})
	out := make([]*chromem.Collection, 0, ix.nprobe)
	for _, c := range cands[:min(ix.nprobe, len(cands))] {
		out = append(out, ix.cols[c.list])
	}
	return out
}

// queryAll queries cols concurrently, one worker per core, and returns
// every result; each collection keeps its own best n.
func (ix *Index) queryAll(ctx context.Context, cols []*chromem.Collection, qv []float32, n int) ([]scored, error) {
	workers := min(len(cols), runtime.GOMAXPROCS(0))
	parts := make([][]scored, workers)
	errs := make([]error, workers)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(cols) && errs[w] == nil; i = int(next.Add(1) - 1) {
				res, err := ix.query(ctx, cols[i], qv, n)
				parts[w], errs[w] = append(parts[w], res...), err
			}
		})
	}
	wg.Wait()
	var out []scored
	for w := range workers {
		if errs[w] != nil {
			return nil, errs[w]
		}
		out = append(out, parts[w]...)
	}
	return out, nil
}

// query asks one collection for its n chunks most similar to qv.
func (ix *Index) query(ctx context.Context, col *chromem.Collection, qv []float32, n int) ([]scored, error) {
	n = min(n, col.Count()) // chromem-go refuses more than it holds
	if n == 0 {
		return nil, nil
	}
	res, err := col.QueryEmbedding(ctx, qv, n, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	// chromem-go answers a cancelled query with no results and no error.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]scored, 0, len(res))
	for _, r := range res {
		if i, ok := ix.chunks.row(r.ID); ok {
			out = append(out, scored{doc: i, score: float64(r.Similarity)})
		}
	}
	return out, nil
}
