package retrieval

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	chromem "github.com/philippgille/chromem-go"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/corpus"
)

// DocInfo is what a result or a listing shows about a document.
type DocInfo struct {
	ID, Title, Date, URL, Lang string
	Chunks                     int
}

// Result is one retrieved passage with every score that ranked it, so that
// users (and the eval) can see why it came up.
type Result struct {
	Chunk corpus.Chunk
	Doc   DocInfo
	// Fused is the reciprocal rank fusion score that orders results.
	Fused float64
	// Vector is the cosine similarity with the question (0 when the chunk
	// was not among the vector candidates); BM25 likewise.
	Vector, BM25 float64
	// VectorRank and BM25Rank are 1-based ranks in each list, 0 when absent.
	VectorRank, BM25Rank int
}

// Index answers searches over the chunks of a corpus. It is safe for
// concurrent searches once opened.
type Index struct {
	emb Embedder
	// lists are the chromem-go collections, each made on first use: one
	// holding every chunk, or one per list of a clustered index (see
	// partition.go), all in db.
	lists []*list
	db    *chromem.DB
	// clusters is nil for an index of one collection; otherwise it holds
	// the list centroids, and member the list of each row.
	clusters *clustering
	member   []int32
	// nprobe is how many lists a search scans; Exhaustive for all.
	nprobe int
	// vecs holds every chunk's vector, row r for chunk r, dim float32 each;
	// the chromem-go documents' embeddings are slices of it. When the
	// index was loaded, they are the bytes of file, which must stay
	// reachable while a search reads them (see nearest).
	vecs   []float32
	file   *dataFile
	dim    int
	chunks chunkTable
	docs   map[string]DocInfo
	order  []string // document IDs, sorted
	lex    *bm25
	log    *slog.Logger
	// queryTimeout bounds the embedding of a question by a remote model.
	queryTimeout time.Duration
	// dist shares the lists with other processes (lists.go); nil when
	// this process holds them all.
	dist *distribution
}

// Options configure Open.
type Options struct {
	// Dir holds the persisted index; empty keeps everything in memory.
	Dir string
	// Embedder embeds passages and questions; nil means NewHashed().
	Embedder Embedder
	// Chunking splits documents; the zero value means the corpus defaults.
	Chunking corpus.ChunkOptions
	// Progress, when set, is told how many chunks are embedded so far.
	Progress func(done, total int)
	// Logger receives warnings (corrupt index, unwritable directory).
	Logger *slog.Logger
	// LockTimeout bounds the wait for another process writing Dir;
	// zero means DefaultLockTimeout.
	LockTimeout time.Duration
	// QueryTimeout bounds the embedding of each question by a remote
	// model; past it, Search ranks by BM25 alone (see DegradedError).
	// Zero means DefaultQueryTimeout.
	QueryTimeout time.Duration
	// OnWait, when set, is called once when Open starts waiting for
	// another writer of Dir, with what identifies it ("pid 1234"), so
	// that a user knows why nothing happens.
	OnWait func(holder string)
	// MinClustered is the number of chunks from which the vectors are
	// partitioned into lists (see partition.go); zero means
	// DefaultMinClustered, a negative value never.
	MinClustered int
	// NProbe is how many lists of a clustered index a search scans: zero
	// means the default for the index's size and embedder, Exhaustive all of them (an exact search). A
	// value above the number of lists scans them all, with a warning.
	NProbe int
}

func (o *Options) defaults() {
	if o.Embedder == nil {
		o.Embedder = NewHashed()
	}
	if o.Chunking == (corpus.ChunkOptions{}) {
		o.Chunking = corpus.DefaultChunkOptions()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.MinClustered == 0 {
		o.MinClustered = DefaultMinClustered
	}
}

// refuseEmbedding stands in for chromem-go's default embedding function,
// which would call OpenAI one text at a time: every vector we add or query
// is computed by our own Embedder, in batches.
func refuseEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("chromem-go must not embed: vectors come from the index's embedder")
}

// setDocs builds the document table of the layout.
func (ix *Index) setDocs(l *layout) {
	ix.docs = make(map[string]DocInfo, len(l.docs))
	ix.order = make([]string, 0, len(l.docs))
	for i, d := range l.docs {
		ix.docs[d.ID] = DocInfo{ID: d.ID, Title: d.Title, Date: d.Date, URL: d.URL, Lang: d.Lang, Chunks: len(l.spans[i]) / 2}
		ix.order = append(ix.order, d.ID)
	}
	slices.Sort(ix.order)
}

// Documents lists the indexed documents by ID.
func (ix *Index) Documents() []DocInfo {
	out := make([]DocInfo, 0, len(ix.order))
	for _, id := range ix.order {
		out = append(out, ix.docs[id])
	}
	return out
}

// Len is the number of indexed chunks.
func (ix *Index) Len() int { return ix.chunks.len() }

// Chunks returns the chunks of one document in order, for summaries; nil for
// an unknown ID.
func (ix *Index) Chunks(docID string) []corpus.Chunk { return ix.chunks.docChunks(docID) }

// IDF is the inverse document frequency of an analysed term over the
// chunks (see analysis.Terms), and whether any chunk contains it; absent
// terms get the highest value. Answerers use it to weigh which question
// words matter.
func (ix *Index) IDF(term string) (float64, bool) { return ix.lex.idf(term), ix.lex.has(term) }

// Search returns the k passages that best match query, by fused rank.
// When the question cannot be embedded, the passages are ranked by BM25
// alone and returned with a *DegradedError; a cancelled ctx is an error
// without results.
func (ix *Index) Search(ctx context.Context, query string, k int) ([]Result, error) {
	if k <= 0 || ix.Len() == 0 {
		return nil, nil
	}
	pool := min(max(4*k, 40), ix.Len())
	// An English question is expanded with French equivalents of its words
	// for the lexical and hashed searches; a remote embedding model is
	// multilingual and gets the question as asked.
	expanded := analysis.Expand(query)
	lex := ix.lex.search(analysis.Terms(expanded), max(pool, ix.lexicalCandidates()))
	var vec []scored
	var degraded *DegradedError
	qv, err := ix.embedQuestion(ctx, query, expanded)
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		degraded = &DegradedError{Cause: err}
		ix.log.Warn("cannot embed the question; ranking passages by BM25 alone", "err", err)
	default:
		if vec, err = ix.nearest(ctx, qv, pool); err != nil {
			return nil, err
		}
		vec = ix.withLexical(vec, qv, lex, pool)
	}
	lex = lex[:min(pool, len(lex))]
	vecScore := map[int]float64{}
	for _, s := range vec {
		vecScore[s.doc] = s.score
	}
	lexScore := map[int]float64{}
	for _, s := range lex {
		lexScore[s.doc] = s.score
	}
	var out []Result
	for _, f := range fuse(vec, lex) {
		if len(out) == k {
			break
		}
		c := ix.chunks.chunk(f.doc)
		out = append(out, Result{
			Chunk: c, Doc: ix.docs[c.DocID], Fused: f.score,
			Vector: vecScore[f.doc], BM25: lexScore[f.doc],
			VectorRank: f.vectorRank, BM25Rank: f.bm25Rank,
		})
	}
	if degraded != nil {
		return out, degraded
	}
	return out, nil
}

// VectorSearch runs only chromem-go's nearest-neighbour query for a
// question vector the caller computed, and returns the IDs of the n most
// similar chunks. It exists so that the bench package can time the vector
// half of Search against a plain scan of the same vectors; answering
// questions goes through Search.
func (ix *Index) VectorSearch(ctx context.Context, qv []float32, n int) ([]string, error) {
	n = min(n, ix.Len())
	if n <= 0 {
		return nil, nil
	}
	res, err := ix.nearest(ctx, qv, n)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = ix.chunks.id(r.doc)
	}
	return ids, nil
}

// Vectors returns every chunk's vector, row r (dim values) for chunk r,
// so that the bench package can scan exactly what the index searches. The
// rows are the index's own, not a copy (a million 1536-dimensional rows
// are 6 GiB): the caller must not change them.
func (ix *Index) Vectors() (dim int, rows []float32) {
	return ix.dim, ix.vecs
}

// QueryVector returns the vector Search compares passages with for the
// question q, so that the bench can time the vector search alone.
func (ix *Index) QueryVector(ctx context.Context, q string) ([]float32, error) {
	return ix.embedQuestion(ctx, q, analysis.Expand(q))
}
