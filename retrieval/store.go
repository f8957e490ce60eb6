package retrieval

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/internal/atomicfile"
)

// The persisted index is two files in one directory: the data file (the
// vectors and the BM25 postings, see format.go) and a manifest that is the
// commit point. Each write goes to a temporary file that is synced and
// renamed, data first under a new name, manifest last; a crash at any
// moment leaves the previous manifest pointing at the previous, complete
// data. chromem-go's own persistence is not used: NewPersistentDB's 32-bit
// file-name hashes lose chunks on collision, and decoding its gob export
// was slower than everything else a load does together.
const (
	manifestName    = "manifest.json"
	manifestVersion = 4
	dataPrefix      = "index-"
)

// manifest records what the stored vectors were computed from, so that a
// restart re-embeds only what changed.
type manifest struct {
	Version  int                 `json:"version"`
	Embedder string              `json:"embedder"`
	Chunking corpus.ChunkOptions `json:"chunking"`
	// Corpus is the corpus.Version the stored documents were parsed and
	// chunked by; under another, every file is read again.
	Corpus int                    `json:"corpus"`
	Data   string                 `json:"data"`
	Size   int64                  `json:"size"`
	CRC32C uint32                 `json:"crc32c"`
	Docs   map[string]manifestDoc `json:"documents"`
}

// manifestDoc is one document's entry: its chunks are DOC_ID#0..Chunks-1,
// stored in rows First..First+Chunks-1 of the data file. Texts is a hash of
// the chunk texts, so that a change in the cleaning or chunking code cannot
// leave vectors attached to text they were not computed from. Name, Size
// and ModTime (Unix nanoseconds) identify the file it came from, so that
// an unchanged file need not be read (empty and 0 for documents that were
// given already parsed).
type manifestDoc struct {
	Hash    string `json:"hash"`
	Chunks  int    `json:"chunks"`
	First   int    `json:"first"`
	Texts   string `json:"texts"`
	Name    string `json:"name,omitempty"`
	Size    int64  `json:"size,omitempty"`
	ModTime int64  `json:"mtime,omitempty"`
}

// errOldFormat marks a manifest written by another version of the format:
// not damage, just one rebuild.
var errOldFormat = errors.New("index format changed")

// readManifest returns the manifest of dir; fs.ErrNotExist when there is
// none yet.
func readManifest(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("manifest: %w", err)
	}
	if m.Version != manifestVersion {
		return m, fmt.Errorf("%w: version %d, this build reads %d", errOldFormat, m.Version, manifestVersion)
	}
	if m.Data == "" || strings.ContainsAny(m.Data, `/\`) {
		return m, fmt.Errorf("manifest names no valid data file (%q)", m.Data)
	}
	return m, nil
}

// readStored maps the data file named by m, checks its size and its
// checksum, so that a truncated or damaged file is noticed before it can
// yield partial results, and decodes it.
func readStored(dir string, m manifest) (*stored, error) {
	df, err := openDataFile(filepath.Join(dir, m.Data), m.Size)
	if err != nil {
		return nil, err
	}
	if checksum(df.b) != m.CRC32C {
		return nil, fmt.Errorf("%s: checksum differs from the manifest (damaged)", m.Data)
	}
	s, err := decodeData(df.b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Data, err)
	}
	s.file = df
	return s, nil
}

// dataFile holds the bytes of a loaded data file, mapped where the system
// allows it. The vectors of every index loaded from it are those bytes, so
// they are released only once no index refers to the dataFile any more.
type dataFile struct{ b []byte }

func openDataFile(path string, size int64) (*dataFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() != size || size > math.MaxInt {
		return nil, fmt.Errorf("%s: %d bytes, the manifest says %d (truncated or damaged)", filepath.Base(path), info.Size(), size)
	}
	b, release, err := mapFile(f, int(size))
	if err != nil {
		return nil, err
	}
	df := &dataFile{b: b}
	runtime.AddCleanup(df, func(release func()) { release() }, release)
	return df, nil
}

// save writes the data file of s and then the manifest, each atomically,
// and then deletes what the manifest no longer names. The caller holds the
// directory's lock: the sweep would otherwise delete the files of a
// concurrent writer.
func save(dir string, m manifest, s *stored, generation int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// A data file is never rewritten under the same name: a reader that
	// has just read the previous manifest must find what it describes.
	for {
		m.Data = fmt.Sprintf("%s%d.bin", dataPrefix, generation)
		if _, err := os.Lstat(filepath.Join(dir, m.Data)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		generation++
	}
	h := crc32.New(castagnoli())
	var size int64
	err := writeAtomic(filepath.Join(dir, m.Data), func(w io.Writer) error {
		cw := &countingWriter{w: io.MultiWriter(w, h)}
		err := writeData(cw, s)
		size = cw.n
		return err
	})
	if err != nil {
		return fmt.Errorf("write index data: %w", err)
	}
	m.Size, m.CRC32C = size, h.Sum32()
	return saveManifest(dir, m)
}

// saveManifest writes m, whose data file is in place, and deletes what it
// no longer names. Alone, it records new modification times of files
// whose content has not changed, without writing the data again.
func saveManifest(dir string, m manifest) error {
	// Not indented: every command parses the manifest, which holds an
	// entry per document, and indentation made it a third longer to read.
	err := writeAtomic(filepath.Join(dir, manifestName), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(m)
	})
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	removeStale(dir, m.Data)
	return nil
}

// removeStale deletes data files the manifest no longer names (including
// the "vectors-N.gob" files of format version 1), and temporary files left
// by an interrupted write. Failures are harmless.
func removeStale(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		data := strings.HasPrefix(name, dataPrefix) || strings.HasPrefix(name, "vectors-")
		stale := data && name != keep
		if stale || strings.HasSuffix(name, ".tmp") {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// writeAtomic replaces path through a temporary file named after it with
// a ".tmp" suffix, which removeStale sweeps if a crash leaves it.
func writeAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, filepath.Base(path)+".*.tmp", write)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
