package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/citebot/citebot/corpus"
)

// Stats tells what Open did, for logs and for tests that must know whether
// anything was re-embedded.
type Stats struct {
	// Loaded is true when a persisted index was read and reused.
	Loaded bool
	// Rebuilt explains why the persisted index was discarded, if it was.
	Rebuilt string
	// Embedded, Reused and Removed count chunks.
	Embedded, Reused, Removed int
	// Saved is true when the index was written to disk.
	Saved bool
}

// Open builds the index of docs, reusing the vectors persisted in
// opts.Dir for documents whose content has not changed and saving the
// result there. A missing, corrupt or incompatible persisted index is
// rebuilt with a warning; a directory that cannot be written leaves a
// working in-memory index with a warning. Only a failing embedder or a
// cancelled context is an error.
func Open(ctx context.Context, docs []corpus.Document, opts Options) (*Index, Stats, error) {
	opts.defaults()
	var st Stats
	ix, err := newIndex(opts.Embedder, opts.Logger)
	if err != nil {
		return nil, st, err
	}
	chunks := map[string][]corpus.Chunk{}
	for _, d := range docs {
		chunks[d.ID] = corpus.ChunkDocument(d, opts.Chunking)
	}
	want := manifest{Version: manifestVersion, Embedder: opts.Embedder.Fingerprint(), Chunking: opts.Chunking}
	prev := ix.loadPrevious(opts.Dir, want, &st)

	todo, err := ix.reconcile(ctx, docs, chunks, prev, &st)
	if err != nil {
		return nil, st, err
	}
	if err := ix.embed(ctx, todo, opts.Progress); err != nil {
		return nil, st, err
	}
	st.Embedded = len(todo)

	var all []corpus.Chunk
	want.Docs = make(map[string]manifestDoc, len(docs))
	for _, d := range docs {
		all = append(all, chunks[d.ID]...)
		want.Docs[d.ID] = manifestDoc{Hash: d.Hash, Chunks: len(chunks[d.ID])}
	}
	ix.setChunks(docs, all)
	if ix.col.Count() != len(all) {
		return nil, st, fmt.Errorf("index holds %d vectors for %d chunks", ix.col.Count(), len(all))
	}

	changed := !st.Loaded || st.Embedded > 0 || st.Removed > 0
	if opts.Dir != "" && changed {
		if err := ix.save(opts.Dir, want, time.Now().UnixNano()); err != nil {
			opts.Logger.Warn("cannot persist the index; working in memory", "dir", opts.Dir, "err", err)
		} else {
			st.Saved = true
		}
	}
	return ix, st, nil
}

// loadPrevious reads the persisted index when it is usable with the
// current embedder and chunking, and returns its document table (nil when
// starting from scratch).
func (ix *Index) loadPrevious(dir string, want manifest, st *Stats) map[string]manifestDoc {
	if dir == "" {
		return nil
	}
	m, err := readManifest(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st.Rebuilt = "no index yet"
		return nil
	case err != nil:
		st.Rebuilt = "unreadable manifest"
		ix.log.Warn("persisted index is unreadable; rebuilding", "dir", dir, "err", err)
		return nil
	case m.Embedder != want.Embedder:
		st.Rebuilt = fmt.Sprintf("embedder changed from %s to %s", m.Embedder, want.Embedder)
		ix.log.Info("embedder changed; rebuilding the index", "was", m.Embedder, "now", want.Embedder)
		return nil
	case m.Chunking != want.Chunking:
		st.Rebuilt = "chunking options changed"
		ix.log.Info("chunking options changed; rebuilding the index")
		return nil
	}
	if err := ix.loadVectors(dir, m); err != nil {
		st.Rebuilt = "unreadable vectors"
		ix.log.Warn("persisted index is corrupt; rebuilding", "dir", dir, "err", err)
		ix.resetCollection()
		return nil
	}
	total := 0
	for _, d := range m.Docs {
		total += d.Chunks
	}
	if ix.col.Count() != total {
		st.Rebuilt = "vectors and manifest disagree"
		ix.log.Warn("persisted index is inconsistent; rebuilding", "dir", dir, "vectors", ix.col.Count(), "chunks", total)
		ix.resetCollection()
		return nil
	}
	st.Loaded = true
	return m.Docs
}

func (ix *Index) resetCollection() {
	fresh, err := newIndex(ix.emb, ix.log)
	if err == nil {
		ix.db, ix.col = fresh.db, fresh.col
	}
}

// reconcile removes the vectors of deleted and changed documents and returns
// the chunks that need embedding. A document is reused only when its file
// hash matches and each stored passage is still the text the chunker makes
// now, so a change in the cleaning or splitting code cannot leave vectors
// attached to the wrong text.
func (ix *Index) reconcile(ctx context.Context, docs []corpus.Document, chunks map[string][]corpus.Chunk, prev map[string]manifestDoc, st *Stats) ([]corpus.Chunk, error) {
	var todo []corpus.Chunk
	current := map[string]bool{}
	for _, d := range docs {
		current[d.ID] = true
		old, ok := prev[d.ID]
		if ok && old.Hash == d.Hash && ix.storedMatches(ctx, chunks[d.ID]) {
			st.Reused += len(chunks[d.ID])
			continue
		}
		if ok {
			if err := ix.deleteChunks(ctx, d.ID, old.Chunks); err != nil {
				return nil, err
			}
			st.Removed += old.Chunks
		}
		todo = append(todo, chunks[d.ID]...)
	}
	for id, old := range prev {
		if !current[id] {
			if err := ix.deleteChunks(ctx, id, old.Chunks); err != nil {
				return nil, err
			}
			st.Removed += old.Chunks
		}
	}
	return todo, nil
}

func (ix *Index) storedMatches(ctx context.Context, chunks []corpus.Chunk) bool {
	for _, c := range chunks {
		doc, err := ix.col.GetByID(ctx, c.ID)
		if err != nil || doc.Content != c.Text {
			return false
		}
	}
	return true
}

func (ix *Index) deleteChunks(ctx context.Context, docID string, n int) error {
	if n == 0 {
		return nil
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s#%d", docID, i)
	}
	if err := ix.col.Delete(ctx, nil, nil, ids...); err != nil {
		return fmt.Errorf("remove chunks of %s: %w", docID, err)
	}
	return nil
}

// embed computes the vectors of chunks in batches and adds them to the
// collection, reporting progress after each batch.
func (ix *Index) embed(ctx context.Context, chunks []corpus.Chunk, progress func(done, total int)) error {
	batch := 256
	if b, ok := ix.emb.(batchSizer); ok && b.BatchSize() > 0 {
		batch = b.BatchSize() * max(1, 256/b.BatchSize())
	}
	for start := 0; start < len(chunks); start += batch {
		part := chunks[start:min(start+batch, len(chunks))]
		texts := make([]string, len(part))
		ids := make([]string, len(part))
		for i, c := range part {
			texts[i], ids[i] = c.Text, c.ID
		}
		vecs, err := ix.emb.Embed(ctx, texts)
		if err != nil {
			return fmt.Errorf("embed passages: %w", err)
		}
		if len(vecs) != len(part) {
			return fmt.Errorf("embedder returned %d vectors for %d passages", len(vecs), len(part))
		}
		// No metadata: a chunk's document is in its ID, and a one-entry
		// map per chunk cost about 300 bytes of memory each.
		if err := ix.col.Add(ctx, ids, vecs, nil, texts); err != nil {
			return fmt.Errorf("add passages: %w", err)
		}
		if progress != nil {
			progress(start+len(part), len(chunks))
		}
	}
	return nil
}
