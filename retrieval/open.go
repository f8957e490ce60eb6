package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
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
	// Read and Parsed count the files OpenFiles read and parsed: those
	// whose size or modification time changed, then those whose content
	// did.
	Read, Parsed int
	// Skipped lists the files OpenFiles could not use, with the reason.
	Skipped []corpus.Skipped
	// Lists is the number of lists of a clustered index, 0 for one
	// collection; Clustered says whether Open trained them, and why.
	Lists     int
	Clustered string
	// Saved is true when the index was written to disk.
	Saved bool
	// SaveErr is why a new or changed index could not be written; the
	// index then works in memory only. Nil when it was saved or had
	// nothing to save.
	SaveErr error
}

// Open builds the index of docs, reusing the vectors and BM25 postings
// persisted in opts.Dir for documents whose content has not changed and
// saving the result there. A missing, corrupt or incompatible persisted
// index is rebuilt with a warning; a directory that cannot be written
// leaves a working in-memory index with a warning (and Stats.SaveErr).
// Reading takes no lock; an index that must be written is planned, embedded
// and saved under the directory's lock, waiting for another writer (see
// Options.OnWait) up to Options.LockTimeout, after which the error wraps
// ErrBusy. A failing embedder or a cancelled context is an error too.
func Open(ctx context.Context, docs []corpus.Document, opts Options) (*Index, Stats, error) {
	srcs := make([]source, len(docs))
	for i := range docs {
		srcs[i] = source{doc: &docs[i]}
	}
	return openSources(ctx, srcs, opts)
}

// OpenFiles is Open for files not read yet (corpus.ScanDir): a file whose
// name, size and modification time are those the persisted index recorded
// is taken from it without being read, and one whose bytes are those it
// recorded is not parsed again. Files that cannot be read or parsed are
// reported in Stats.Skipped; when no file is usable the error wraps
// corpus.ErrNoDocuments.
func OpenFiles(ctx context.Context, files []corpus.File, opts Options) (*Index, Stats, error) {
	srcs := make([]source, len(files))
	for i := range files {
		srcs[i] = source{file: &files[i]}
	}
	return openSources(ctx, srcs, opts)
}

func openSources(ctx context.Context, srcs []source, opts Options) (*Index, Stats, error) {
	opts.defaults()
	var st Stats
	want := manifest{Version: manifestVersion, Embedder: opts.Embedder.Fingerprint(), Chunking: opts.Chunking, Corpus: corpus.Version}
	prev := loadPrevious(opts.Dir, want, opts.Logger, &st)
	lay := resolve(srcs, prev, opts.Chunking, &st)
	if len(srcs) > 0 && len(lay.docs) == 0 {
		return nil, st, corpus.NoDocuments(st.Skipped)
	}
	want.Docs = lay.manifestDocs()
	a, todo := lay.plan(prev, opts.MinClustered, &st)
	touched := a.unchanged && !prev.current(want.Docs)
	save := opts.Dir != "" && (!a.unchanged || touched)
	if save {
		lock, err := lockDir(ctx, opts.Dir, opts.LockTimeout, opts.OnWait)
		switch {
		case errors.Is(err, ErrBusy) || ctx.Err() != nil:
			return nil, st, err
		case err != nil:
			save, st.SaveErr = false, err
			opts.Logger.Warn("cannot persist the index; working in memory", "dir", opts.Dir, "err", err)
		default:
			defer lock.unlock()
			// Another writer may have saved since the read above (while
			// this one waited, say): plan again from what is there now.
			if m, _ := readManifest(opts.Dir); m.Data != prev.data {
				st = Stats{Read: st.Read, Parsed: st.Parsed, Skipped: st.Skipped}
				prev = loadPrevious(opts.Dir, want, opts.Logger, &st)
				a, todo = lay.plan(prev, opts.MinClustered, &st)
				touched = a.unchanged && !prev.current(want.Docs)
				save = !a.unchanged || touched
			}
		}
	}
	ix, err := build(ctx, a, todo, lay, prev, opts, &st)
	if err != nil {
		return nil, st, err
	}
	if save {
		st.SaveErr = persist(opts.Dir, want, prev, a, ix, lay, touched)
		st.Saved = st.SaveErr == nil
		if st.SaveErr != nil {
			opts.Logger.Warn("cannot persist the index; working in memory", "dir", opts.Dir, "err", st.SaveErr)
		}
	}
	return ix, st, nil
}

// build embeds what the plan left to embed, clusters the vectors when the
// index is large enough, and installs everything in chromem-go.
func build(ctx context.Context, a *assembly, todo []corpus.Chunk, lay *layout, prev previous, opts Options, st *Stats) (*Index, error) {
	if err := a.embed(ctx, opts.Embedder, todo, opts.Progress); err != nil {
		return nil, err
	}
	st.Embedded = len(todo)
	lex, err := a.lexicon()
	if err != nil {
		return nil, err
	}
	ix := &Index{emb: opts.Embedder, log: opts.Logger, queryTimeout: opts.QueryTimeout, dim: a.dim, vecs: a.vecs, file: a.file, lex: lex}
	ix.clusters, ix.member, st.Clustered = a.cluster(prev.stored, opts.MinClustered)
	if st.Clustered != "" {
		opts.Logger.Info("clustered the index", "lists", ix.clusters.k(), "chunks", a.rows, "why", st.Clustered)
	}
	st.Lists = ix.Lists()
	if opts.NProbe < Exhaustive {
		return nil, fmt.Errorf("nprobe %d: want a positive number of lists, or Exhaustive", opts.NProbe)
	}
	ix.nprobe = ix.resolveNProbe(opts.NProbe)
	ix.setDocs(lay)
	if !a.reuseAll {
		lay.detach() // the new index does not keep the old data file
	}
	ix.install(newChunkTable(lay))
	return ix, nil
}

// persist saves the index, or only the manifest when nothing but the
// files' modification times changed.
func persist(dir string, want manifest, prev previous, a *assembly, ix *Index, lay *layout, touched bool) error {
	if touched {
		m := want
		m.Data, m.Size, m.CRC32C = prev.data, prev.size, prev.crc
		return saveManifest(dir, m)
	}
	s := &stored{dim: ix.dim, rows: a.rows, vecs: ix.vecs, lex: ix.lex, docs: lay.storedDocs(), clusters: ix.clusters, member: ix.member}
	return save(dir, want, s, time.Now().UnixNano())
}

// current reports whether the persisted manifest records docs as they
// are, files included, under this corpus.Version: else it must be
// written again even when no vector changed.
func (p previous) current(docs map[string]manifestDoc) bool {
	if !p.trusted || len(p.docs) != len(docs) {
		return false
	}
	for id, x := range p.docs {
		if y, ok := docs[id]; !ok || x != y {
			return false
		}
	}
	return true
}

// previous is the persisted index as loadPrevious found it.
type previous struct {
	// stored and docs are nil when starting from scratch.
	stored *stored
	docs   map[string]manifestDoc
	// trusted is true when the stored documents were parsed and chunked
	// as this build would (the same corpus.Version).
	trusted bool
	// size and crc are the data file's, as the manifest records them.
	size int64
	crc  uint32
	// data is the data file the manifest named, "" without a readable
	// manifest: a writer compares it under the lock to see whether
	// another one saved in the meantime.
	data string
}

// loadPrevious reads the persisted index when it is usable with the
// current embedder and chunking.
//
// It takes no lock. A writer may swap the manifest and delete the data
// file the old one named between the two reads: a data file that is gone
// while the manifest now names another is read again from the new
// manifest, so that a reader gets the old pair or the new one, never a
// mix, and never mistakes a swap for damage.
func loadPrevious(dir string, want manifest, log *slog.Logger, st *Stats) previous {
	if dir == "" {
		return previous{}
	}
	m, err := readManifest(dir)
	return loadFrom(dir, m, err, want, log, st)
}

// loadFrom is loadPrevious once the manifest m has been read (err is the
// outcome of reading it).
func loadFrom(dir string, m manifest, err error, want manifest, log *slog.Logger, st *Stats) previous {
	for try := 1; ; try++ {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			st.Rebuilt = "no index yet"
			return previous{}
		case errors.Is(err, errOldFormat):
			st.Rebuilt = "index format changed"
			log.Info("the index was written in an older format; rebuilding it once", "dir", dir, "err", err)
			return previous{data: m.Data}
		case err != nil:
			st.Rebuilt = "unreadable manifest"
			log.Warn("persisted index is unreadable; rebuilding", "dir", dir, "err", err)
			return previous{}
		case m.Embedder != want.Embedder:
			st.Rebuilt = fmt.Sprintf("embedder changed from %s to %s", m.Embedder, want.Embedder)
			log.Info("embedder changed; rebuilding the index", "was", m.Embedder, "now", want.Embedder)
			return previous{data: m.Data}
		case m.Chunking != want.Chunking:
			st.Rebuilt = "chunking options changed"
			log.Info("chunking options changed; rebuilding the index")
			return previous{data: m.Data}
		}
		var s *stored
		s, err = readStored(dir, m)
		if errors.Is(err, fs.ErrNotExist) && try < maxSwapRetries {
			if now, nowErr := readManifest(dir); now.Data != m.Data {
				m, err = now, nowErr
				continue // swapped under us: read the new pair
			}
		}
		if err == nil {
			err = checkRows(m.Docs, s)
		}
		if err != nil {
			st.Rebuilt = "unreadable index data"
			log.Warn("persisted index is corrupt; rebuilding", "dir", dir, "err", err)
			return previous{data: m.Data}
		}
		st.Loaded = true
		return previous{stored: s, docs: m.Docs, data: m.Data, trusted: m.Corpus == corpus.Version, size: m.Size, crc: m.CRC32C}
	}
}

// maxSwapRetries bounds the reads of a reader that keeps losing the race
// with writers; each retry means a whole new index was saved meanwhile.
const maxSwapRetries = 5

// checkRows verifies that the manifest's documents are the data's, in the
// same rows.
func checkRows(docs map[string]manifestDoc, s *stored) error {
	if len(docs) != len(s.docs) {
		return fmt.Errorf("the manifest lists %d documents, the data holds %d", len(docs), len(s.docs))
	}
	row := 0
	for _, sd := range s.docs {
		d, ok := docs[sd.doc.ID]
		if !ok || d.First != row || d.Chunks != len(sd.spans)/2 || d.Hash != sd.doc.Hash {
			return fmt.Errorf("document %s: rows %d..%d in the manifest, %d..%d in the data", sd.doc.ID, d.First, d.First+d.Chunks, row, row+len(sd.spans)/2)
		}
		row += d.Chunks
	}
	return nil
}
