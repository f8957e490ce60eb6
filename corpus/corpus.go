// Package corpus turns article files into clean documents, sentences and
// chunks that the rest of citebot can index and quote.
//
// Everything downstream cites passages by byte offsets into Document.Text,
// so this package is the single place that decides what the text of a
// document is: it strips metadata and noise (cross-links, table rules,
// invisible characters) once, and every sentence and chunk is an exact slice
// of that text. It knows nothing about embeddings, LLMs or Discord.
package corpus

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Document is one article after cleaning. Its ID is the file name without
// the extension (a contract shared with the index and the evaluation set),
// and Text is what sentences, chunks and citations point into.
type Document struct {
	ID    string // file name without extension
	Title string // front-matter title, else first heading, else first sentence; ~100 runes at most
	Date  string // "YYYY-MM" or "YYYY-MM-DD" when known, else ""
	URL   string // from front matter, else ""
	Lang  string // analysis.Detect on the cleaned text: "fr", "en" or ""
	Text  string // cleaned text, paragraphs separated by a single "\n"
	Hash  string // hex sha256 of the raw file bytes, so the persisted index can spot changed files
}

// Skipped records a file that Load could not use, so that callers can report
// it instead of silently indexing a smaller corpus. Err names the file.
type Skipped struct {
	Name string // path inside the corpus fs.FS
	Err  error
}

// ErrNoDocuments is returned (wrapped, with the reasons each file was
// skipped) when a corpus holds no usable document: answering from an empty
// index would only produce refusals, so callers should stop early.
var ErrNoDocuments = errors.New("no usable documents in corpus")

//go:embed articles/*.txt
var articles embed.FS

// Default returns the articles shipped inside the binary, with the files at
// the top level, so that citebot works with no corpus directory configured.
func Default() fs.FS {
	sub, err := fs.Sub(articles, "articles")
	if err != nil {
		// fs.Sub fails only on an invalid literal path: a programming error.
		panic("corpus: embedded articles: " + err.Error())
	}
	return sub
}

// ErrOutsideCorpus marks a symbolic link whose target lies outside the
// corpus directory: following it would index (and quote to anyone who
// asks) files the operator never put in the corpus, such as /etc/passwd.
var ErrOutsideCorpus = errors.New("symbolic link to a file outside the corpus directory")

// LoadDir loads the corpus in directory dir (CITEBOT_CORPUS): ScanDir,
// then every file read and parsed. A missing directory is an error that
// names it, because a mistyped path would otherwise look like an empty
// corpus.
func LoadDir(dir string) ([]Document, []Skipped, error) {
	files, skipped, err := ScanDir(dir)
	if err != nil {
		return nil, skipped, err
	}
	docs, skipped := parseAll(files, skipped)
	if len(docs) == 0 {
		err := NoDocuments(skipped)
		return nil, skipped, &dirError{dir: dir, msg: err.Error(), err: err}
	}
	return docs, skipped, nil
}

// dirError names the corpus directory in front of what went wrong while
// keeping the cause available to errors.Is.
type dirError struct {
	dir, msg string
	err      error
}

func (e *dirError) Error() string { return fmt.Sprintf("corpus directory %q: %s", e.dir, e.msg) }
func (e *dirError) Unwrap() error { return e.err }

// Load reads every .txt and .md file of fsys, in subdirectories too (hidden
// directories such as .git are not entered), and returns the documents
// sorted by ID. A file that cannot be used is reported in skipped rather
// than failing the whole corpus; err is set only when fsys cannot be read at
// all or when no usable document remains.
func Load(fsys fs.FS) (docs []Document, skipped []Skipped, err error) {
	files, skipped, err := Scan(fsys)
	if err != nil {
		return nil, skipped, err
	}
	docs, skipped = parseAll(files, skipped)
	if len(docs) == 0 {
		return nil, skipped, NoDocuments(skipped)
	}
	return docs, skipped, nil
}

// parseAll reads and parses files in order; the first file to give a
// document claims its ID, and a later one with the same ID is skipped.
func parseAll(files []File, skipped []Skipped) ([]Document, []Skipped) {
	var docs []Document
	byID := map[string]string{} // ID → path of the file that claimed it
	for _, f := range files {
		doc, err := f.Parse()
		if err == nil {
			err = claim(byID, f.Name, doc.ID)
		}
		if err != nil {
			skipped = append(skipped, Skipped{Name: f.Name, Err: err})
			continue
		}
		docs = append(docs, doc)
	}
	slices.SortFunc(docs, func(a, b Document) int { return strings.Compare(a.ID, b.ID) })
	return docs, skipped
}

// claim records that the file name gives the document id, unless an
// earlier file did: IDs are the contract that citations rely on.
func claim(byID map[string]string, name, id string) error {
	if first, ok := byID[id]; ok {
		return fmt.Errorf("%s: duplicate document ID %q, already loaded from %s", name, id, first)
	}
	byID[id] = name
	return nil
}

// linkInside accepts the symbolic link name (slash-separated, relative to
// the corpus directory base, itself free of links) when its target
// resolves inside base.
func linkInside(base, name string) error {
	target, err := filepath.EvalSymlinks(filepath.Join(base, filepath.FromSlash(name)))
	if err != nil {
		return fmt.Errorf("%s: broken symbolic link: %w", name, err)
	}
	rel, err := filepath.Rel(base, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%s: %w (%s)", name, ErrOutsideCorpus, target)
	}
	return nil
}

// skipDir keeps walking past an unreadable entry: WalkDir must not be told
// to skip a directory when the failing entry is a file.
func skipDir(d fs.DirEntry) error {
	if d != nil && d.IsDir() {
		return fs.SkipDir
	}
	return nil
}

// NoDocuments is the error of a corpus without a usable document, with
// the reason each file was skipped.
func NoDocuments(skipped []Skipped) error {
	if len(skipped) == 0 {
		return fmt.Errorf("%w: no .txt or .md file found", ErrNoDocuments)
	}
	reasons := make([]string, len(skipped))
	for i, s := range skipped {
		reasons[i] = s.Err.Error()
	}
	return fmt.Errorf("%w: %s", ErrNoDocuments, strings.Join(reasons, "; "))
}

// isArticle reports whether name is a file Load should read.
func isArticle(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".md":
		return true
	}
	return false
}

// docID is the contract: the base name without its extension.
func docID(name string) string {
	base := path.Base(name)
	return strings.TrimSuffix(base, path.Ext(base))
}
