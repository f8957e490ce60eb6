package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	chromem "github.com/philippgille/chromem-go"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/corpus"
)

// collectionName is the single chromem-go collection an index holds.
const collectionName = "chunks"

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
	col *chromem.Collection
	// vecs holds every chunk's vector, row r for chunk r, dim float32 each;
	// the chromem-go documents' embeddings are slices of it.
	vecs   []float32
	dim    int
	chunks []corpus.Chunk
	byID   map[string]int
	docs   map[string]DocInfo
	order  []string // document IDs, sorted
	lex    *bm25
	log    *slog.Logger
	// queryTimeout bounds the embedding of a question by a remote model.
	queryTimeout time.Duration
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
}

// refuseEmbedding stands in for chromem-go's default embedding function,
// which would call OpenAI one text at a time: every vector we add or query
// is computed by our own Embedder, in batches.
func refuseEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("chromem-go must not embed: vectors come from the index's embedder")
}

// install puts the chunks, whose vectors are ix.vecs, in a new chromem-go
// collection and builds the document table.
func (ix *Index) install(ctx context.Context, docs []corpus.Document, chunks []corpus.Chunk) error {
	col, err := chromem.NewDB().CreateCollection(collectionName, nil, refuseEmbedding)
	if err != nil {
		return fmt.Errorf("create collection: %w", err)
	}
	ix.col, ix.chunks = col, chunks
	ix.byID = make(map[string]int, len(chunks))
	counts := map[string]int{}
	for i, c := range chunks {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		// One document at a time: AddDocuments starts a goroutine per
		// document, and parked goroutines cost more than the add. No
		// metadata: a chunk's document is in its ID.
		row := ix.vecs[i*ix.dim : (i+1)*ix.dim : (i+1)*ix.dim]
		if err := col.AddDocument(ctx, chromem.Document{ID: c.ID, Embedding: row, Content: c.Text}); err != nil {
			return fmt.Errorf("add passage %s: %w", c.ID, err)
		}
		ix.byID[c.ID] = i
		counts[c.DocID]++
	}
	if col.Count() != len(chunks) {
		return fmt.Errorf("index holds %d vectors for %d chunks", col.Count(), len(chunks))
	}
	ix.docs = make(map[string]DocInfo, len(docs))
	ix.order = ix.order[:0]
	for _, d := range docs {
		ix.docs[d.ID] = DocInfo{ID: d.ID, Title: d.Title, Date: d.Date, URL: d.URL, Lang: d.Lang, Chunks: counts[d.ID]}
		ix.order = append(ix.order, d.ID)
	}
	slices.Sort(ix.order)
	return nil
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
func (ix *Index) Len() int { return len(ix.chunks) }

// Chunks returns the chunks of one document in order, for summaries; nil for
// an unknown ID.
func (ix *Index) Chunks(docID string) []corpus.Chunk {
	var out []corpus.Chunk
	for _, c := range ix.chunks {
		if c.DocID == docID {
			out = append(out, c)
		}
	}
	return out
}

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
	if k <= 0 || len(ix.chunks) == 0 {
		return nil, nil
	}
	pool := min(max(4*k, 40), len(ix.chunks))
	// An English question is expanded with French equivalents of its words
	// for the lexical and hashed searches; a remote embedding model is
	// multilingual and gets the question as asked.
	expanded := analysis.Expand(query)
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
	}
	lex := ix.lex.search(analysis.Terms(expanded), pool)
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
		c := ix.chunks[f.doc]
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

// nearest asks chromem-go for the n chunks most similar to qv.
func (ix *Index) nearest(ctx context.Context, qv []float32, n int) ([]scored, error) {
	res, err := ix.col.QueryEmbedding(ctx, qv, n, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	// chromem-go answers a cancelled query with no results and no error.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]scored, 0, len(res))
	for _, r := range res {
		if i, ok := ix.byID[r.ID]; ok {
			out = append(out, scored{doc: i, score: float64(r.Similarity)})
		}
	}
	// chromem-go leaves equal similarities in no particular order (its
	// documents are a map); chunk order makes rankings repeatable.
	slices.SortFunc(out, byRank)
	return out, nil
}

// VectorSearch runs only chromem-go's nearest-neighbour query for a
// question vector the caller computed, and returns the IDs of the n most
// similar chunks. It exists so that the bench package can time the vector
// half of Search against a plain scan of the same vectors; answering
// questions goes through Search.
func (ix *Index) VectorSearch(ctx context.Context, qv []float32, n int) ([]string, error) {
	n = min(n, len(ix.chunks))
	if n <= 0 {
		return nil, nil
	}
	res, err := ix.nearest(ctx, qv, n)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = ix.chunks[r.doc].ID
	}
	return ids, nil
}

// Vectors returns a copy of every chunk's vector, row r (dim values) for
// chunk r, so that the bench package can scan exactly what the index
// searches.
func (ix *Index) Vectors() (dim int, rows []float32) {
	return ix.dim, slices.Clone(ix.vecs)
}
