package retrieval

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"

	"github.com/citebot/citebot/corpus"
)

// assembly gathers the vectors and BM25 rows of a new index: rows carried
// over from the persisted index, then rows embedded and analysed now.
// Vectors live in one contiguous slice, row r at vecs[r*dim:(r+1)*dim];
// chromem-go's documents point into it rather than holding copies.
type assembly struct {
	dim  int
	rows int
	vecs []float32
	// unchanged is true when the persisted index is used exactly as
	// loaded: nothing to embed, nothing moved, nothing to save.
	unchanged bool
	// reuseAll is true when every row is the persisted one, in place;
	// unchanged too unless the index must be clustered or no longer be.
	reuseAll bool
	prevLex  *bm25
	lex      *bm25Builder
	// targets are the rows of the chunks being embedded, in order.
	targets []int
	// moves maps each persisted row to its new row, -1 when dropped; nil
	// when nothing was persisted or every row is reused in place.
	moves []int32
	// file holds vecs when they are the persisted data file's bytes.
	file *dataFile
}

// plan decides which documents keep their persisted rows and returns the
// chunks that need embedding. A document is reused only when its file hash
// and the hash of its chunk texts both match.
func (l *layout) plan(prev previous, minClustered int, st *Stats) (*assembly, []corpus.Chunk) {
	a := &assembly{rows: l.rows}
	reused := map[string]bool{}
	same := prev.stored != nil && prev.stored.rows == l.rows
	for i, d := range l.docs {
		old, ok := prev.docs[d.ID]
		if ok && old.Hash == d.Hash && old.Texts == l.texts[i] && old.Chunks == len(l.spans[i])/2 {
			reused[d.ID] = true
			st.Reused += old.Chunks
			same = same && old.First == l.first[i]
		} else {
			same = false
		}
	}
	for id, old := range prev.docs {
		if !reused[id] {
			st.Removed += old.Chunks
		}
	}
	if same {
		p := prev.stored
		a.dim, a.vecs, a.prevLex, a.reuseAll, a.file = p.dim, p.vecs, p.lex, true, p.file
		// Crossing the clustering threshold changes the index without
		// changing a vector.
		a.unchanged = (p.clusters != nil) == (minClustered > 0 && a.rows >= minClustered)
		return a, nil
	}
	a.lex = newBM25Builder(l.rows)
	var todo []corpus.Chunk
	if prev.stored != nil {
		a.allocate(prev.stored.dim)
		a.moves = make([]int32, prev.stored.rows)
		for i := range a.moves {
			a.moves[i] = -1
		}
	}
	for i, d := range l.docs {
		if !reused[d.ID] {
			for j, c := range l.chunks(i) {
				todo = append(todo, c)
				a.targets = append(a.targets, l.first[i]+j)
			}
			continue
		}
		old := prev.docs[d.ID]
		for j := range old.Chunks {
			a.moves[old.First+j] = int32(l.first[i] + j)
		}
		copy(a.vecs[l.first[i]*a.dim:], prev.stored.vecs[old.First*a.dim:(old.First+old.Chunks)*a.dim])
	}
	if prev.stored != nil {
		a.lex.carry(prev.stored.lex, a.moves)
	}
	return a, todo
}

// allocate sizes the vector matrix once the dimension is known.
func (a *assembly) allocate(dim int) {
	a.dim = dim
	a.vecs = make([]float32, a.rows*dim)
}

// embed computes the vectors of chunks in batches, writes them (unit
// length) into their rows, analyses their texts for BM25, and reports
// progress after each batch. A local embedder (see localEmbedder) embeds
// batches on every core while this goroutine analyses the texts in order;
// a remote one gets one request at a time, as its API's limits expect.
func (a *assembly) embed(ctx context.Context, emb Embedder, chunks []corpus.Chunk, progress func(done, total int)) error {
	batch := 256
	if b, ok := emb.(batchSizer); ok && b.BatchSize() > 0 {
		batch = b.BatchSize() * max(1, 256/b.BatchSize())
	}
	n := (len(chunks) + batch - 1) / batch
	part := func(i int) []corpus.Chunk { return chunks[i*batch : min((i+1)*batch, len(chunks))] }
	workers := 0
	if l, ok := emb.(localEmbedder); ok && l.Local() {
		workers = runtime.GOMAXPROCS(0)
	}
	results := make([]chan batchDone, n)
	for i := range results {
		results[i] = make(chan batchDone, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := atomic.Int64{}
	next.Store(1) // the first batch is embedded alone: it sets the dimension
	own := newBatcher(emb)
	for i := range n {
		if i == 1 {
			for range workers {
				go func() {
					b := newBatcher(emb)
					for j := int(next.Add(1) - 1); j < n; j = int(next.Add(1) - 1) {
						results[j] <- b.embed(ctx, a, j*batch, part(j))
					}
				}()
			}
		}
		if i == 0 || workers == 0 {
			results[i] <- own.embed(ctx, a, i*batch, part(i))
		}
		done := <-results[i]
		if done.err != nil {
			return done.err
		}
		for j, c := range part(i) {
			if done.terms != nil {
				a.lex.addCounts(a.targets[i*batch+j], done.terms[j])
			} else {
				a.lex.add(a.targets[i*batch+j], c.Text)
			}
		}
		if progress != nil {
			progress(i*batch+len(part(i)), len(chunks))
		}
	}
	return nil
}

// localEmbedder is implemented by embedders that compute on this machine,
// which indexing may then call from several goroutines at once.
type localEmbedder interface{ Local() bool }

// put stores v, normalised, as row r.
func (a *assembly) put(r int, v []float32) error {
	if err := a.shape(len(v)); err != nil {
		return err
	}
	normalizeInto(a.vecs[r*a.dim:(r+1)*a.dim], v)
	return nil
}

// shape allocates the vectors for vectors of dim values when nothing set
// their dimension yet (the first batch, embedded alone, does), and checks
// that dim is theirs.
func (a *assembly) shape(dim int) error {
	if a.vecs == nil {
		if dim == 0 {
			return fmt.Errorf("embedder returned an empty vector")
		}
		a.allocate(dim)
	}
	if dim != a.dim {
		return fmt.Errorf("embedder returned a vector of %d dimensions where the index has %d; remove the index directory to rebuild it", dim, a.dim)
	}
	return nil
}

// lexicon returns the finished BM25 index.
func (a *assembly) lexicon() (*bm25, error) {
	if a.reuseAll {
		return a.prevLex, nil
	}
	return a.lex.finish()
}

// normalizeInto copies v into dst scaled to unit length, computing the norm
// in float64 as chromem-go checks it: a stored vector chromem-go does not
// consider normalised would be copied, doubling the memory of the index. A
// zero vector becomes the first axis, matching nothing in particular.
func normalizeInto(dst, v []float32) {
	copy(dst, v)
	var sq float64
	for _, x := range dst {
		sq += float64(x) * float64(x)
	}
	normalizeInPlace(dst, sq)
}

// normalizeInPlace is normalizeInto for a vector already in place, whose
// sum of squares, computed as normalizeInto does, is sq.
func normalizeInPlace(v []float32, sq float64) {
	norm := math.Sqrt(sq)
	switch {
	case norm == 0:
		clear(v)
		v[0] = 1
	case !(math.Abs(norm-1) < 1e-7): // as written, so that NaN rescales as before
		for i, x := range v {
			v[i] = float32(float64(x) / norm)
		}
	}
}
