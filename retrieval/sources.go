package retrieval

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/citebot/citebot/corpus"
)

// source is one document to index: already parsed (Open), or a file not
// read yet (OpenFiles).
type source struct {
	doc  *corpus.Document
	file *corpus.File
}

// resolved is a source once its document and chunks are known.
type resolved struct {
	doc corpus.Document
	// spans holds each chunk's start and end offsets in doc.Text.
	spans []int32
	texts string // textsHash of the chunks
	// stored is true when doc came from the data file, whose mapped bytes
	// its text then is.
	stored bool
	// name, size and mtime (Unix nanoseconds) identify the file; empty
	// and 0 for a document given already parsed.
	name        string
	size, mtime int64
	err         error
}

// resolve finds the document and chunks of every source, in parallel.
// A file whose size and modification time are those recorded is taken
// from the persisted index without being read; one whose bytes hash as
// recorded is read but not parsed. Files that cannot be read or parsed,
// and files whose ID an earlier one took, are reported in st.Skipped.
func resolve(srcs []source, prev previous, opts corpus.ChunkOptions, st *Stats) *layout {
	kept := map[string]*storedDoc{}
	if prev.stored != nil {
		for i := range prev.stored.docs {
			kept[prev.stored.docs[i].doc.ID] = &prev.stored.docs[i]
		}
	}
	out := make([]resolved, len(srcs))
	var read, parsed atomic.Int64
	parallel(len(srcs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = resolveOne(srcs[i], prev, kept, opts, &read, &parsed)
		}
	})
	st.Read, st.Parsed = int(read.Load()), int(parsed.Load())
	l := &layout{}
	byID := map[string]string{}
	for i, r := range out {
		if r.err == nil {
			r.err = claimID(byID, srcs[i], r.doc.ID)
		}
		if r.err != nil {
			st.Skipped = append(st.Skipped, corpus.Skipped{Name: srcs[i].name(), Err: r.err})
			continue
		}
		l.add(r)
	}
	return l
}

// resolveOne resolves one source, counting the files it read and parsed.
func resolveOne(src source, prev previous, kept map[string]*storedDoc, opts corpus.ChunkOptions, read, parsed *atomic.Int64) resolved {
	if src.doc != nil {
		return chunked(*src.doc, opts, 0, 0)
	}
	f := src.file
	var mtime int64
	if !f.ModTime.IsZero() {
		mtime = f.ModTime.UnixNano()
	}
	old, known := prev.docs[f.ID()]
	sd := kept[f.ID()]
	// The same name matters: the extension decides how a file is parsed.
	reusable := known && sd != nil && prev.trusted && old.Name == f.Name
	if reusable && mtime != 0 && old.Size == f.Size && old.ModTime == mtime {
		return fromStored(sd, old.Texts, f.Name, f.Size, mtime)
	}
	raw, err := f.Read()
	read.Add(1)
	if err != nil {
		return resolved{err: err}
	}
	sum := sha256.Sum256(raw)
	if reusable && old.Hash == hex.EncodeToString(sum[:]) {
		return fromStored(sd, old.Texts, f.Name, int64(len(raw)), mtime)
	}
	parsed.Add(1)
	d, err := corpus.Parse(f.Name, raw)
	if err != nil {
		return resolved{err: err}
	}
	r := chunked(d, opts, int64(len(raw)), mtime)
	r.name = f.Name
	return r
}

func chunked(d corpus.Document, opts corpus.ChunkOptions, size, mtime int64) resolved {
	cs := corpus.ChunkDocument(d, opts)
	return resolved{doc: d, spans: spansOf(cs), texts: textsHash(cs), size: size, mtime: mtime}
}

// fromStored takes a document and its chunks from the data file.
func fromStored(sd *storedDoc, texts, name string, size, mtime int64) resolved {
	return resolved{doc: sd.doc, spans: sd.spans, texts: texts, stored: true, name: name, size: size, mtime: mtime}
}

// claimID lets the first source of an ID have it, as corpus.Load does.
func claimID(byID map[string]string, src source, id string) error {
	if first, ok := byID[id]; ok {
		return &duplicateError{name: src.name(), id: id, first: first}
	}
	byID[id] = src.name()
	return nil
}

type duplicateError struct{ name, id, first string }

func (e *duplicateError) Error() string {
	return e.name + ": duplicate document ID " + strconv.Quote(e.id) + ", already loaded from " + e.first
}

func (s source) name() string {
	if s.file != nil {
		return s.file.Name
	}
	return s.doc.ID
}

// layout is where each chunk of the corpus goes: rows first[i] onwards of
// the vectors and of BM25 are the chunks of docs[i], documents in corpus
// order.
type layout struct {
	docs  []corpus.Document
	spans [][]int32 // per document, each chunk's start and end
	first []int     // row of each document's first chunk
	texts []string  // hash of each document's chunk texts
	// stored marks the documents taken from the data file.
	stored []bool
	// name, size and mtime identify each document's file, empty and 0
	// for documents given already parsed.
	name        []string
	size, mtime []int64
	rows        int
}

func (l *layout) add(r resolved) {
	l.docs = append(l.docs, r.doc)
	l.spans = append(l.spans, r.spans)
	l.first = append(l.first, l.rows)
	l.texts = append(l.texts, r.texts)
	l.stored = append(l.stored, r.stored)
	l.name = append(l.name, r.name)
	l.size = append(l.size, r.size)
	l.mtime = append(l.mtime, r.mtime)
	l.rows += len(r.spans) / 2
}

// chunks returns the chunks of document i.
func (l *layout) chunks(i int) []corpus.Chunk {
	d, sp := l.docs[i], l.spans[i]
	out := make([]corpus.Chunk, len(sp)/2)
	for j := range out {
		start, end := int(sp[2*j]), int(sp[2*j+1])
		out[j] = corpus.Chunk{ID: d.ID + "#" + strconv.Itoa(j), DocID: d.ID, Text: d.Text[start:end], Start: start, End: end}
	}
	return out
}

// detach copies the texts of the documents taken from the data file, for
// an index that will not keep that file mapped.
func (l *layout) detach() {
	for i, stored := range l.stored {
		if stored {
			l.docs[i].Text = strings.Clone(l.docs[i].Text)
			l.stored[i] = false
		}
	}
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
		m[d.ID] = manifestDoc{Hash: d.Hash, Chunks: len(l.spans[i]) / 2, First: l.first[i], Texts: l.texts[i],
			Name: l.name[i], Size: l.size[i], ModTime: l.mtime[i]}
	}
	return m
}

// storedDocs are the documents as the data file keeps them.
func (l *layout) storedDocs() []storedDoc {
	out := make([]storedDoc, len(l.docs))
	for i, d := range l.docs {
		out[i] = storedDoc{doc: d, spans: l.spans[i]}
	}
	return out
}
