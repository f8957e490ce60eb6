package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/citebot/citebot/retrieval"
)

// Config says what Run measures.
type Config struct {
	// Sizes are the corpus sizes, in chunks.
	Sizes []int
	// Queries is the number of generated questions timed per size.
	Queries int
	// Seed makes the corpus, the questions and the mixture reproducible.
	Seed uint64
	// TempDir is where the corpus files and the persisted indexes are
	// written (and removed); empty means os.TempDir().
	TempDir string
	// Embedders names the embedders to measure each size with: "hashed"
	// (the built-in one) and "mixture" (1536-dimensional vectors shaped
	// like an embedding API's, see Mixture). Empty means hashed.
	Embedders []string
	// NProbes are the numbers of lists the recall sweep measures; those
	// at or above an index's lists are left out. Nil means powers of two.
	NProbes []int
	// MinClustered is the clustering threshold (0: retrieval's default).
	MinClustered int
	// Progress, when set, is told what is being measured.
	Progress func(msg string)
}

// K is the number of passages a timed search returns, as the CLI's default.
const K = 8

// vectorPool is how many vector candidates Search asks chromem-go for when
// K passages are wanted (max(4K, 40)); the vector timings use the same.
const vectorPool = 40

// recallK is the depth at which recall is measured: recall@10.
const recallK = 10

// Result holds the measurements for one corpus size and embedder.
// Durations are in milliseconds or seconds as their names say, memory in
// bytes.
type Result struct {
	Embedder  string `json:"embedder"`
	Dim       int    `json:"dim"`
	Chunks    int    `json:"chunks"`
	Documents int    `json:"documents"`
	Queries   int    `json:"queries"`

	IndexSeconds    float64 `json:"index_seconds"`
	ChunksPerSecond float64 `json:"chunks_per_second"`
	// IndexPeakRSS is the process's peak resident memory after indexing
	// (VmHWM): meaningful for the largest size, or one size a run.
	IndexPeakRSS int64   `json:"index_peak_rss_bytes"`
	IndexBytes   int64   `json:"index_bytes"`
	LoadSeconds  float64 `json:"load_seconds"`
	// FirstQueryMs is the first question after the load, which makes the
	// chromem-go collections of the lists it probes; FillSeconds is then
	// making all the others (Index.Fill).
	FirstQueryMs float64 `json:"first_query_ms"`
	FillSeconds  float64 `json:"fill_seconds"`

	// Lists is the number of lists of the clustered index (0: one
	// collection); NProbe how many a search scans by default (-1: all).
	Lists  int `json:"lists"`
	NProbe int `json:"nprobe"`

	QueryP50Ms  float64 `json:"query_p50_ms"`
	QueryP95Ms  float64 `json:"query_p95_ms"`
	VectorP50Ms float64 `json:"vector_p50_ms"`
	// ExhaustiveP50Ms is the hybrid query scanning every list.
	ExhaustiveP50Ms float64 `json:"exhaustive_p50_ms"`
	// The floors: the same question vectors against the same rows, in
	// row order, with the one-sum loop chromem-go runs (Scan), with four
	// sums (Unrolled), and with four sums on every core (Unrolled2).
	ScanP50Ms      float64 `json:"scan_p50_ms"`
	UnrolledP50Ms  float64 `json:"unrolled_scan_p50_ms"`
	Unrolled2P50Ms float64 `json:"unrolled_scan_all_cores_p50_ms"`
	// VectorVsScan is VectorP50Ms / ScanP50Ms.
	VectorVsScan float64 `json:"vector_vs_scan"`

	// VectorRecall and HybridRecall are the recall@10 of the default
	// search against the exhaustive one; Sweep gives them for other
	// numbers of lists.
	VectorRecall float64 `json:"vector_recall_at_10"`
	HybridRecall float64 `json:"hybrid_recall_at_10"`
	Sweep        []Probe `json:"sweep,omitempty"`

	// HeapInuse and RSS are read after the persisted index is loaded and
	// every list filled.
	HeapInuse uint64 `json:"heap_inuse_bytes"`
	RSS       int64  `json:"rss_bytes"`
	// IndexHeap is the heap the loaded index added; PerChunkBeyondVector
	// is that per chunk. The vectors, the BM25 postings and the
	// documents' texts are not in it: they are the mapped data file (page
	// cache, counted in RSS). TextPerChunk is about what the texts add to
	// each chunk there, MappedPerChunk what the index on disk holds beyond
	// the vectors (postings, texts, the manifest), per chunk.
	IndexHeap            int64   `json:"index_heap_bytes"`
	PerChunkBeyondVector float64 `json:"per_chunk_beyond_vector_bytes"`
	TextPerChunk         float64 `json:"text_per_chunk_bytes"`
	MappedPerChunk       float64 `json:"mapped_per_chunk_bytes"`
	heapBefore           uint64

	// PipelineP50Ms is question to prompt-ready on the built-in corpus
	// (see Pipeline); it does not depend on the size and is measured once.
	PipelineP50Ms float64 `json:"pipeline_p50_ms"`
}

// Probe is the search with a given number of lists.
type Probe struct {
	NProbe       int     `json:"nprobe"`
	VectorRecall float64 `json:"vector_recall_at_10"`
	HybridRecall float64 `json:"hybrid_recall_at_10"`
	HybridP50Ms  float64 `json:"hybrid_p50_ms"`
}

// Run measures every size with every embedder in cfg, then the pipeline
// overhead, and returns one Result per size and embedder.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Queries <= 0 {
		return nil, errors.New("bench: queries must be positive")
	}
	if len(cfg.Embedders) == 0 {
		cfg.Embedders = []string{"hashed"}
	}
	progress := cfg.Progress
	if progress == nil {
		progress = func(string) {}
	}
	var out []Result
	for _, n := range cfg.Sizes {
		for _, name := range cfg.Embedders {
			progress(fmt.Sprintf("size %d, %s embedder: generating, indexing, loading, querying", n, name))
			r, err := measureSize(ctx, n, name, cfg, progress)
			if err != nil {
				return out, fmt.Errorf("bench %d chunks, %s: %w", n, name, err)
			}
			out = append(out, r)
		}
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

// NewEmbedder returns the embedder the bench calls name.
func NewEmbedder(name string, seed uint64) (retrieval.Embedder, error) {
	switch name {
	case "hashed":
		return retrieval.NewHashed(), nil
	case "mixture":
		return NewMixture(seed), nil
	}
	return nil, fmt.Errorf("unknown embedder %q (want hashed or mixture)", name)
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
