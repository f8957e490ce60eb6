package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// Config says what Run measures.
type Config struct {
	// Sizes are the corpus sizes, in chunks.
	Sizes []int
	// Queries is the number of generated questions timed per size.
	Queries int
	// Seed makes the corpus and the questions reproducible.
	Seed uint64
	// TempDir is where the persisted indexes are written (and removed);
	// empty means os.TempDir().
	TempDir string
	// Progress, when set, is told what is being measured.
	Progress func(msg string)
}

// K is the number of passages a timed search returns, as the CLI's default.
const K = 8

// vectorPool is how many vector candidates Search asks chromem-go for when
// K passages are wanted (max(4K, 40)); the vector timings use the same.
const vectorPool = 40

// Result holds the measurements for one corpus size. Durations are in
// milliseconds or seconds as their names say, memory in bytes.
type Result struct {
	Chunks    int `json:"chunks"`
	Documents int `json:"documents"`
	Queries   int `json:"queries"`

	IndexSeconds    float64 `json:"index_seconds"`
	ChunksPerSecond float64 `json:"chunks_per_second"`
	IndexBytes      int64   `json:"index_bytes"`
	LoadSeconds     float64 `json:"load_seconds"`

	QueryP50Ms  float64 `json:"query_p50_ms"`
	QueryP95Ms  float64 `json:"query_p95_ms"`
	VectorP50Ms float64 `json:"vector_p50_ms"`
	ScanP50Ms   float64 `json:"scan_p50_ms"`
	// UnrolledP50Ms is the same scan with four accumulators: what the
	// vector half would cost with a store of our own instead of chromem-go.
	UnrolledP50Ms float64 `json:"unrolled_scan_p50_ms"`
	// VectorVsScan is VectorP50Ms / ScanP50Ms: 1 is the floor.
	VectorVsScan float64 `json:"vector_vs_scan"`

	// HeapInuse and RSS are read after the persisted index is loaded, with
	// the generated corpus still in memory.
	HeapInuse uint64 `json:"heap_inuse_bytes"`
	RSS       int64  `json:"rss_bytes"`
	// IndexHeap is the heap the loaded index added; PerChunkBeyondVector
	// is that per chunk, less the vector itself.
	IndexHeap            int64   `json:"index_heap_bytes"`
	PerChunkBeyondVector float64 `json:"per_chunk_beyond_vector_bytes"`

	// PipelineP50Ms is question to prompt-ready on the built-in corpus
	// (see Pipeline); it does not depend on the size and is measured once.
	PipelineP50Ms float64 `json:"pipeline_p50_ms"`
}

// Run measures every size in cfg, then the pipeline overhead, and returns
// one Result per size.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Queries <= 0 {
		return nil, errors.New("bench: queries must be positive")
	}
	progress := cfg.Progress
	if progress == nil {
		progress = func(string) {}
	}
	var out []Result
	for _, n := range cfg.Sizes {
		progress(fmt.Sprintf("size %d: generating, indexing, loading, querying", n))
		r, err := measureSize(ctx, n, cfg)
		if err != nil {
			return out, fmt.Errorf("bench %d chunks: %w", n, err)
		}
		out = append(out, r)
	}
	progress("pipeline overhead on the built-in corpus")
	p, err := Pipeline(ctx, max(cfg.Queries, 50))
	if err != nil {
		return out, err
	}
	for i := range out {
		out[i].PipelineP50Ms = ms(p)
	}
	return out, nil
}

func measureSize(ctx context.Context, n int, cfg Config) (Result, error) {
	docs, err := Generate(n, cfg.Seed)
	if err != nil {
		return Result{}, err
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "citebot-bench-*")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	emb := retrieval.NewHashed()
	opts := retrieval.Options{Dir: dir, Embedder: emb}

	start := time.Now()
	ix, st, err := retrieval.Open(ctx, docs, opts)
	if err != nil {
		return Result{}, fmt.Errorf("index: %w", err)
	}
	built := time.Since(start)
	if !st.Saved {
		return Result{}, errors.New("index: the index was not saved")
	}
	r := Result{Chunks: ix.Len(), Documents: len(docs), Queries: cfg.Queries}
	r.IndexSeconds = built.Seconds()
	r.ChunksPerSecond = float64(r.Chunks) / built.Seconds()
	ix = nil
	if r.IndexBytes, err = dirSize(dir); err != nil {
		return r, err
	}

	before := settledHeap()
	start = time.Now()
	ix, st, err = retrieval.Open(ctx, docs, opts)
	if err != nil {
		return r, fmt.Errorf("load: %w", err)
	}
	r.LoadSeconds = time.Since(start).Seconds()
	if !st.Loaded || st.Embedded > 0 {
		return r, fmt.Errorf("load: got %+v, want the persisted index reused", st)
	}
	r.HeapInuse = settledHeap()
	r.RSS = rss()
	r.IndexHeap = int64(r.HeapInuse) - int64(before)
	r.PerChunkBeyondVector = float64(r.IndexHeap)/float64(r.Chunks) - float64(4*emb.Dim)

	if err := r.timeQueries(ctx, ix, emb, Questions(cfg.Queries, cfg.Seed+1)); err != nil {
		return r, err
	}
	runtime.KeepAlive(docs)
	return r, nil
}

// timeQueries times Search, the vector query alone, and the plain and
// unrolled scan floors over the same questions.
func (r *Result) timeQueries(ctx context.Context, ix *retrieval.Index, emb *retrieval.Hashed, qs []string) error {
	search := make([]time.Duration, len(qs))
	for i, q := range qs {
		start := time.Now()
		if _, err := ix.Search(ctx, q, K); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		search[i] = time.Since(start)
	}
	r.QueryP50Ms, r.QueryP95Ms = ms(percentile(search, 50)), ms(percentile(search, 95))

	idf := func(t string) float64 { w, _ := ix.IDF(t); return w }
	qvs := make([][]float32, len(qs))
	for i, q := range qs {
		qvs[i] = emb.EmbedQuery(analysis.Expand(q), idf)
	}
	vector := make([]time.Duration, len(qs))
	for i, qv := range qvs {
		start := time.Now()
		if _, err := ix.VectorSearch(ctx, qv, vectorPool); err != nil {
			return err
		}
		vector[i] = time.Since(start)
	}
	_, flat := ix.Vectors()
	scan := timeScan(flat, qvs, dotPlain)
	r.VectorP50Ms, r.ScanP50Ms = ms(percentile(vector, 50)), ms(percentile(scan, 50))
	r.UnrolledP50Ms = ms(percentile(timeScan(flat, qvs, dot4), 50))
	if r.ScanP50Ms > 0 {
		r.VectorVsScan = r.VectorP50Ms / r.ScanP50Ms
	}
	return nil
}

func timeScan(flat []float32, qvs [][]float32, dot func(a, b []float32) float32) []time.Duration {
	ds := make([]time.Duration, len(qvs))
	for i, qv := range qvs {
		start := time.Now()
		scanTop(flat, qv, vectorPool, dot)
		ds[i] = time.Since(start)
	}
	return ds
}

// settledHeap is the heap in use after a full collection, with freed pages
// returned to the OS so that RSS read next means something.
func settledHeap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
		}
		return err
	})
	return total, err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
