package sources

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/citebot/citebot/internal/atomicfile"
)

// Store keeps the registry's state and the cleaned text of each document.
// DirStore keeps them in a directory; a shared store (a database, a
// bucket) can stand in for it, since the registry holds nothing else.
type Store interface {
	// Load returns the saved state, or an empty one if none was saved.
	Load(ctx context.Context) (*State, error)
	// Save replaces the saved state, atomically.
	Save(ctx context.Context, st *State) error
	// PutText stores a document's file (front matter and cleaned text).
	PutText(ctx context.Context, id string, data []byte) error
	// Text returns what PutText stored for id.
	Text(ctx context.Context, id string) ([]byte, error)
	// DeleteText forgets id's text; a missing one is not an error.
	DeleteText(ctx context.Context, id string) error
}

// DirStore is a Store in a directory: registry.json and docs/ID.md. Every
// file is written to a temporary file, synced and renamed, so a crash
// leaves the old version or the new one, never half of one.
type DirStore struct{ Dir string }

const stateFile = "registry.json"

// Load reads registry.json.
func (s DirStore) Load(ctx context.Context) (*State, error) {
	raw, err := os.ReadFile(filepath.Join(s.Dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, err
	}
	st := newState()
	if err := json.Unmarshal(raw, st); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %w", filepath.Join(s.Dir, stateFile), err)
	}
	if st.Version > stateVersion {
		return nil, fmt.Errorf("%s was written by a newer citebot (format %d)", filepath.Join(s.Dir, stateFile), st.Version)
	}
	st.init()
	return st, nil
}

// Save writes registry.json atomically.
func (s DirStore) Save(ctx context.Context, st *State) error {
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.Dir, stateFile), append(raw, '\n'))
}

// PutText writes docs/ID.md atomically.
func (s DirStore) PutText(ctx context.Context, id string, data []byte) error {
	return writeAtomic(s.docPath(id), data)
}

// Text reads docs/ID.md.
func (s DirStore) Text(ctx context.Context, id string) ([]byte, error) {
	return os.ReadFile(s.docPath(id))
}

// Stat describes docs/ID.md without reading it, so that an index can
// tell an unchanged document from its size and modification time.
func (s DirStore) Stat(ctx context.Context, id string) (fs.FileInfo, error) {
	return os.Stat(s.docPath(id))
}

// DeleteText removes docs/ID.md.
func (s DirStore) DeleteText(ctx context.Context, id string) error {
	err := os.Remove(s.docPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (s DirStore) docPath(id string) string { return filepath.Join(s.Dir, "docs", id+".md") }

// writeAtomic replaces path with data (see atomicfile), creating its
// directory if need be, through a hidden temporary file named after it.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, "."+filepath.Base(path)+".tmp-*", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
