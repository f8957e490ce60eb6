// Package atomicfile replaces a file so that a crash at any moment leaves
// either its old content or its new content, never part of one, and so
// that a replacement that returned survives a power loss. The persisted
// index (retrieval) and the registry of added documents (sources) write
// every file through it.
//
// It is the usual sequence, in one place because each step matters: a
// temporary file in the same directory (a rename only replaces atomically
// within one file system), written and synced before it is renamed over
// the old file, then the directory synced so that the rename itself is on
// disk. Callers name their temporary files (os.CreateTemp patterns), so
// that they can recognise and sweep those an interrupted write left.
// github.com/google/renameio covers the atomicity but not the directory
// sync, and names its temporary files itself.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with what write writes, through a temporary file
// that os.CreateTemp makes from pattern in path's directory. On failure
// the temporary file is removed and path is left as it was.
func Write(path, pattern string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// SyncDir flushes a directory's entries (a rename, a new or removed file)
// to disk. Systems that cannot sync a directory (the call fails with
// fs.ErrInvalid) are not an error: there is nothing more to do there.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}
