package retrieval

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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
	opts.defaults()
	var st Stats
	lay := newLayout(docs, opts.Chunking)
	want := manifest{Version: manifestVersion, Embedder: opts.Embedder.Fingerprint(), Chunking: opts.Chunking, Docs: lay.manifestDocs()}
	prev := loadPrevious(opts.Dir, want, opts.Logger, &st)
	a, todo := lay.plan(prev.stored, prev.docs, &st)

	save := opts.Dir != "" && !a.unchanged
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
				st, prev = Stats{}, previous{}
				prev = loadPrevious(opts.Dir, want, opts.Logger, &st)
				a, todo = lay.plan(prev.stored, prev.docs, &st)
				save = !a.unchanged
			}
		}
	}

	if err := a.embed(ctx, opts.Embedder, todo, opts.Progress); err != nil {
		return nil, st, err
	}
	st.Embedded = len(todo)
	ix := &Index{emb: opts.Embedder, log: opts.Logger, queryTimeout: opts.QueryTimeout, dim: a.dim, vecs: a.vecs, lex: a.lexicon()}
	if err := ix.install(ctx, docs, lay.all); err != nil {
		return nil, st, err
	}
	if save {
		if err := ix.save(opts.Dir, want, time.Now().UnixNano()); err != nil {
			st.SaveErr = err
			opts.Logger.Warn("cannot persist the index; working in memory", "dir", opts.Dir, "err", err)
		} else {
			st.Saved = true
		}
	}
	return ix, st, nil
}

// layout is where each chunk of the corpus goes: row r of the vectors and
// of BM25 is chunk all[r], documents in corpus order.
type layout struct {
	docs   []corpus.Document
	chunks [][]corpus.Chunk // per document
	first  []int            // row of each document's first chunk
	texts  []string         // hash of each document's chunk texts
	all    []corpus.Chunk
}

func newLayout(docs []corpus.Document, opts corpus.ChunkOptions) *layout {
	l := &layout{docs: docs}
	for _, d := range docs {
		cs := corpus.ChunkDocument(d, opts)
		l.chunks = append(l.chunks, cs)
		l.first = append(l.first, len(l.all))
		l.texts = append(l.texts, textsHash(cs))
		l.all = append(l.all, cs...)
	}
	return l
}

// textsHash identifies a document's chunk texts: 128 bits of SHA-256 over
// each text with its length.
func textsHash(chunks []corpus.Chunk) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, c := range chunks {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(c.Text)))])
		h.Write([]byte(c.Text))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (l *layout) manifestDocs() map[string]manifestDoc {
	m := make(map[string]manifestDoc, len(l.docs))
	for i, d := range l.docs {
		m[d.ID] = manifestDoc{Hash: d.Hash, Chunks: len(l.chunks[i]), First: l.first[i], Texts: l.texts[i]}
	}
	return m
}

// previous is the persisted index as loadPrevious found it.
type previous struct {
	// stored and docs are nil when starting from scratch.
	stored *stored
	docs   map[string]manifestDoc
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
			err = checkRows(m.Docs, s.rows)
		}
		if err != nil {
			st.Rebuilt = "unreadable index data"
			log.Warn("persisted index is corrupt; rebuilding", "dir", dir, "err", err)
			return previous{data: m.Data}
		}
		st.Loaded = true
		return previous{stored: s, docs: m.Docs, data: m.Data}
	}
}

// maxSwapRetries bounds the reads of a reader that keeps losing the race
// with writers; each retry means a whole new index was saved meanwhile.
const maxSwapRetries = 5

// checkRows verifies that the manifest's documents tile the data's rows.
func checkRows(docs map[string]manifestDoc, rows int) error {
	total := 0
	for id, d := range docs {
		if d.First < 0 || d.Chunks < 0 || d.First+d.Chunks > rows {
			return fmt.Errorf("document %s claims rows %d..%d of %d", id, d.First, d.First+d.Chunks, rows)
		}
		total += d.Chunks
	}
	if total != rows {
		return fmt.Errorf("the manifest lists %d chunks, the data holds %d", total, rows)
	}
	return nil
}
