package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// measureSize writes a corpus of about n chunks as files, indexes it with
// the embedder called name as the CLI would (retrieval.OpenFiles over
// corpus.ScanDir), loads it again, and times the questions.
func measureSize(ctx context.Context, n int, name string, cfg Config, progress func(string)) (Result, error) {
	emb, err := NewEmbedder(name, cfg.Seed)
	if err != nil {
		return Result{}, err
	}
	dir, err := os.MkdirTemp(cfg.TempDir, "citebot-bench-*")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	corpusDir, indexDir := filepath.Join(dir, "corpus"), filepath.Join(dir, "index")
	if _, err := WriteCorpus(corpusDir, n, cfg.Seed); err != nil {
		return Result{}, err
	}
	opts := retrieval.Options{Dir: indexDir, Embedder: emb, MinClustered: cfg.MinClustered}
	r := Result{Embedder: name, Queries: cfg.Queries}
	if err := r.index(ctx, corpusDir, indexDir, opts); err != nil {
		return r, err
	}
	progress(fmt.Sprintf("size %d, %s embedder: loading", n, name))
	ix, err := r.load(ctx, corpusDir, opts)
	if err != nil {
		return r, err
	}
	qs := Questions(cfg.Queries, cfg.Seed+1)
	if err := r.warm(ctx, ix, qs[0], corpusDir, indexDir); err != nil {
		return r, err
	}
	progress(fmt.Sprintf("size %d, %s embedder: %d lists; timing questions, exhaustive searches and floors", n, name, ix.Lists()))
	if err := r.timeQueries(ctx, ix, qs, cfg.NProbes); err != nil {
		return r, err
	}
	runtime.KeepAlive(ix)
	return r, nil
}

// index builds the index of the corpus in corpusDir from scratch.
func (r *Result) index(ctx context.Context, corpusDir, indexDir string, opts retrieval.Options) error {
	start := time.Now()
	files, _, err := corpus.ScanDir(corpusDir)
	if err != nil {
		return err
	}
	ix, st, err := retrieval.OpenFiles(ctx, files, opts)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	built := time.Since(start)
	if !st.Saved {
		return errors.New("index: the index was not saved")
	}
	r.IndexPeakRSS = procStatus("VmHWM:")
	r.Chunks, r.Documents = ix.Len(), len(ix.Documents())
	r.IndexSeconds = built.Seconds()
	r.ChunksPerSecond = float64(r.Chunks) / built.Seconds()
	r.Dim, _ = ix.Vectors()
	r.IndexBytes, err = dirSize(indexDir)
	return err
}

// load opens the index of the unchanged corpus again, timing what a
// command does before it can answer: listing the corpus and loading.
func (r *Result) load(ctx context.Context, corpusDir string, opts retrieval.Options) (*retrieval.Index, error) {
	r.heapBefore = settledHeap()
	start := time.Now()
	files, _, err := corpus.ScanDir(corpusDir)
	if err != nil {
		return nil, err
	}
	ix, st, err := retrieval.OpenFiles(ctx, files, opts)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	r.LoadSeconds = time.Since(start).Seconds()
	if !st.Loaded || st.Embedded > 0 || st.Read > 0 || st.Saved {
		return nil, fmt.Errorf("load: got %+v, want the persisted index reused, no file read", st)
	}
	r.Lists, r.NProbe = ix.Lists(), ix.NProbe()
	return ix, nil
}

// warm times the first question after the load, which makes the
// chromem-go collections of the lists it probes, then makes all the
// others, and measures the memory of the whole index.
func (r *Result) warm(ctx context.Context, ix *retrieval.Index, q, corpusDir, indexDir string) error {
	start := time.Now()
	if _, err := ix.Search(ctx, q, K); err != nil {
		return err
	}
	r.FirstQueryMs = ms(time.Since(start))
	start = time.Now()
	if err := ix.Fill(); err != nil {
		return err
	}
	r.FillSeconds = time.Since(start).Seconds()
	r.HeapInuse = settledHeap()
	r.RSS = procStatus("VmRSS:")
	r.IndexHeap = int64(r.HeapInuse) - int64(r.heapBefore)
	// The vectors are the mapped data file, not heap: everything the heap
	// gained is beyond them.
	r.PerChunkBeyondVector = float64(r.IndexHeap) / float64(r.Chunks)
	// The documents' texts are about the corpus files' bytes.
	text, err := dirSize(corpusDir)
	if err != nil {
		return err
	}
	r.TextPerChunk = float64(text) / float64(r.Chunks)
	r.MappedPerChunk = float64(r.IndexBytes-int64(4*r.Dim*r.Chunks)) / float64(r.Chunks)
	return nil
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
