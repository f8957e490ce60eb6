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

// install lays the chunks, whose vectors are ix.vecs, out in lists: one
// holding every chunk, or one per list when ix.clusters is set. Each list
// becomes a chromem-go collection the first time a search probes it (see
// collection): chromem-go checks the norm of every vector it is given,
// which was most of loading a 100k-chunk index, and a command asking one
// question probes a fraction of the lists.
func (ix *Index) install(chunks chunkTable) {
	ix.chunks = chunks
	rows := [][]int32{nil}
	if ix.clusters != nil {
		rows = make([][]int32, ix.clusters.k())
		for r, l := range ix.member {
			rows[l] = append(rows[l], int32(r))
		}
	} else {
		rows[0] = make([]int32, chunks.len())
		for r := range rows[0] {
			rows[0][r] = int32(r)
		}
	}
	ix.db = chromem.NewDB()
	ix.lists = make([]*list, len(rows))
	for l := range rows {
		ix.lists[l] = &list{name: "list-" + strconv.Itoa(l), rows: rows[l]}
	}
}

// list is one list of the index and, once a search has probed it, its
// chromem-go collection.
type list struct {
	name string
	rows []int32
	once sync.Once
	col  *chromem.Collection
	err  error
}

// collection returns the chromem-go collection of l, filling it on first
// use. A fill is not interrupted by the search's context: a half-filled
// collection would be kept.
func (ix *Index) collection(l *list) (*chromem.Collection, error) {
	l.once.Do(func() { l.col, l.err = ix.fill(l.name, l.rows) })
	return l.col, l.err
}

// Fill makes the chromem-go collection of every list now, on every core,
// rather than when a search first probes it: for measuring an index's
// memory, or before a process answers many questions.
func (ix *Index) Fill() error {
	var failed atomic.Pointer[error]
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(len(ix.lists), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for l := int(next.Add(1) - 1); l < len(ix.lists); l = int(next.Add(1) - 1) {
				if !ix.dist.holds(l) {
					continue // held by another process (lists.go)
				}
				if _, err := ix.collection(ix.lists[l]); err != nil {
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

// fill makes a collection of the given rows, adding them one document at
// a time: AddDocuments starts a goroutine per document, and parked
// goroutines cost more than the add. No metadata: a chunk's document is
// in its ID.
func (ix *Index) fill(name string, rows []int32) (*chromem.Collection, error) {
	col, err := ix.db.CreateCollection(name, nil, refuseEmbedding)
	if err != nil {
		return nil, fmt.Errorf("create collection: %w", err)
	}
	for _, r := range rows {
		// No content either: results are found again by ID, and a text
		// kept by chromem-go would keep a mapped data file alive.
		doc := chromem.Document{ID: ix.chunks.id(int(r)), Embedding: row(ix.vecs, ix.dim, int(r))}
		if err := col.AddDocument(context.Background(), doc); err != nil {
			return nil, fmt.Errorf("add passage %s: %w", doc.ID, err)
		}
	}
	if col.Count() != len(rows) {
		return nil, fmt.Errorf("collection holds %d vectors for %d chunks", col.Count(), len(rows))
	}
	return col, nil
}

// Lists is the number of lists of a clustered index, 0 for an index of
// one collection.
func (ix *Index) Lists() int {
	if ix.clusters == nil {
		return 0
	}
	return ix.clusters.k()
}

// nearest returns the n chunks most similar to qv among the lists probed.
func (ix *Index) nearest(ctx context.Context, qv []float32, n int) ([]scored, error) {
	// chromem-go reads the vectors through its documents, which do not
	// keep the mapped data file alive: the index must.
	defer runtime.KeepAlive(ix.file)
	if ix.dist != nil && ix.dist.remote != nil {
		return ix.remoteNearest(ctx, qv, n) // lists held elsewhere (lists.go)
	}
	lists := ix.probe(qv)
	var out []scored
	var err error
	if len(lists) == 1 {
		out, err = ix.query(ctx, lists[0], qv, n)
	} else {
		out, err = ix.queryAll(ctx, lists, qv, n)
	}
	if err != nil {
		return nil, err
	}
	// chromem-go leaves equal similarities in no particular order (its
	// documents are a map); chunk order makes rankings repeatable.
	slices.SortFunc(out, byRank)
	return out[:min(n, len(out))], nil
}

// probe returns the lists to search for qv: every one for an
// exhaustive search, else the ix.nprobe non-empty lists whose centroids
// are the most similar to qv (ties to the lower list).
func (ix *Index) probe(qv []float32) []*list {
	if ix.nprobe == Exhaustive || ix.clusters == nil {
		return ix.lists
	}
	type cand struct {
		list int
		sim  float32
	}
	cands := make([]cand, 0, len(ix.lists))
	for l, li := range ix.lists {
		if len(li.rows) > 0 {
			cands = append(cands, cand{l, dotProduct(qv, ix.clusters.list(l))})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(b.sim, a.sim); c != 0 {
			return c
		}
		return cmp.Compare(a.list, b.list)
	})
	out := make([]*list, 0, ix.nprobe)
	for _, c := range cands[:min(ix.nprobe, len(cands))] {
		out = append(out, ix.lists[c.list])
	}
	return out
}

// queryAll queries lists concurrently, one worker per core, and returns
// every result; each list keeps its own best n.
func (ix *Index) queryAll(ctx context.Context, lists []*list, qv []float32, n int) ([]scored, error) {
	workers := min(len(lists), runtime.GOMAXPROCS(0))
	parts := make([][]scored, workers)
	errs := make([]error, workers)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(lists) && errs[w] == nil; i = int(next.Add(1) - 1) {
				res, err := ix.query(ctx, lists[i], qv, n)
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

// query asks one list for its n chunks most similar to qv.
func (ix *Index) query(ctx context.Context, l *list, qv []float32, n int) ([]scored, error) {
	n = min(n, len(l.rows)) // chromem-go refuses more than it holds
	if n == 0 {
		return nil, nil
	}
	col, err := ix.collection(l)
	if err != nil {
		return nil, err
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
