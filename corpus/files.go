package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Version names what Parse and ChunkDocument make of a file. It must
// change whenever either would give another document or other chunks for
// the same bytes: an index trusts the documents it stored for files whose
// size and modification time have not changed (see File), and a new
// Version is what tells it to read them again.
const Version = 1

// File is an article file that Scan or ScanDir found but did not read, so
// that an index that already holds it (same size, same modification time)
// need not read or parse it again: at 100k chunks, parsing the corpus took
// six times as long as loading its index.
type File struct {
	// Name is the path inside the corpus, slash-separated; its base name
	// without the extension is the document's ID.
	Name string
	Size int64
	// ModTime is zero when unknown (an embedded corpus): the file must
	// then be read to be compared with what an index holds.
	ModTime time.Time
	// Read returns the file's bytes.
	Read func() ([]byte, error)
}

// ID is the ID of the document the file holds.
func (f File) ID() string { return docID(f.Name) }

// Parse reads the file and parses it (see Parse).
func (f File) Parse() (Document, error) {
	raw, err := f.Read()
	if err != nil {
		return Document{}, err
	}
	return Parse(f.Name, raw)
}

// Scan lists the .txt and .md files of fsys as Load would read them, in
// subdirectories too (hidden directories are not entered), without reading
// them. Files it cannot stat are reported in skipped; err is set only when
// fsys cannot be read at all or holds no article file.
func Scan(fsys fs.FS) ([]File, []Skipped, error) {
	return scan(fsys, nil, func(name string) func() ([]byte, error) {
		return func() ([]byte, error) { return fs.ReadFile(fsys, name) }
	})
}

// ScanDir is Scan for the corpus directory dir (CITEBOT_CORPUS). A missing
// directory is an error that names it, because a mistyped path would
// otherwise look like an empty corpus. Symbolic links are followed only
// when their target is inside dir; the others are skipped with
// ErrOutsideCorpus. Files are read through an os.Root, so a link changed
// after that check still cannot lead out of dir.
func ScanDir(dir string) ([]File, []Skipped, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, &dirError{dir: dir, msg: "no such directory", err: err}
	case err != nil:
		return nil, nil, &dirError{dir: dir, msg: err.Error(), err: err}
	case !info.IsDir():
		return nil, nil, &dirError{dir: dir, msg: "not a directory"}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, &dirError{dir: dir, msg: err.Error(), err: err}
	}
	defer root.Close()
	base, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, nil, &dirError{dir: dir, msg: err.Error(), err: err}
	}
	// Each read opens the directory again: the root is closed when the
	// scan returns, and only the files an index lacks are read at all.
	read := func(name string) func() ([]byte, error) {
		return func() ([]byte, error) {
			r, err := os.OpenRoot(dir)
			if err != nil {
				return nil, err
			}
			defer r.Close()
			return r.ReadFile(filepath.FromSlash(name))
		}
	}
	check := func(name string) error { return linkInside(base, name) }
	files, skipped, err := scan(root.FS(), check, read)
	if err != nil {
		return nil, skipped, &dirError{dir: dir, msg: err.Error(), err: err}
	}
	return files, skipped, nil
}

// scan walks fsys for article files; checkLink, when set, vets each
// symbolic link by its name, and read makes a file's Read.
func scan(fsys fs.FS, checkLink func(name string) error, read func(name string) func() ([]byte, error)) ([]File, []Skipped, error) {
	var files []File
	var skipped []Skipped
	walkErr := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." {
				return err
			}
			skipped = append(skipped, Skipped{Name: name, Err: err})
			return skipDir(d)
		}
		if d.IsDir() {
			if name != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !isArticle(name) {
			return nil
		}
		info, err := stat(fsys, name, d, checkLink)
		if err != nil {
			skipped = append(skipped, Skipped{Name: name, Err: err})
			return nil
		}
		files = append(files, File{Name: name, Size: info.Size(), ModTime: info.ModTime(), Read: read(name)})
		return nil
	})
	if walkErr != nil {
		return nil, skipped, fmt.Errorf("read corpus: %w", walkErr)
	}
	if len(files) == 0 {
		return nil, skipped, NoDocuments(skipped)
	}
	return files, skipped, nil
}

// stat returns what an index compares a file by; for a symbolic link, its
// target's, once checkLink accepted it.
func stat(fsys fs.FS, name string, d fs.DirEntry, checkLink func(string) error) (fs.FileInfo, error) {
	if d.Type()&fs.ModeSymlink == 0 {
		return d.Info()
	}
	if checkLink != nil {
		if err := checkLink(name); err != nil {
			return nil, err
		}
	}
	return fs.Stat(fsys, name)
}
