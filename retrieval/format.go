package retrieval

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/citebot/citebot/corpus"
)

// The data file holds everything a load needs, in the order a load
// consumes it:
//
//	magic "CBIX0004"
//	dim, rows            uint32 little-endian each
//	vectors              rows × dim float32 little-endian, row r = chunk r
//	lengths              rows × int32 (BM25 term counts per chunk)
//	terms                uint32 count n, then n × uint32 where each term
//	                     ends in the term bytes, n × uint32 where each
//	                     term's postings end, the postings (uint32 chunk,
//	                     uint32 tf) term by term and by chunk, and the term
//	                     bytes, terms end to end in byte order
//	documents            uvarint count, then for each document in row order:
//	                     ID, title, date, URL, language, hash and text (each
//	                     uvarint length and bytes), uvarint chunk count, then
//	                     per chunk uvarint start and uvarint length
//	clustering           uvarint lists (0: not clustered), then uvarint
//	                     groups, trained rows, largest list; groups+1 uvarint
//	                     group starts; groups × dim and lists × dim float32
//	                     centroids; rows × uvarint list of each row
//	footer               the lengths of the terms (with the lengths),
//	                     documents and clustering sections, uint64
//	                     little-endian each, so that a load decodes them
//	                     in parallel
//
// Integers without "uvarint" are little-endian, and since the vectors end
// at a multiple of four bytes, every fixed-width array of the terms
// section is aligned in the file: a load uses the mapped bytes as the
// vectors, lengths and postings themselves.
//
// Version 1 stored chromem-go's gob export: decoding it and re-analysing
// every text for BM25 made up four fifths of loading 100k chunks. Version
// 2 lacked the documents, so that a load had to read and parse the corpus
// again to know the chunk texts, and the clustering. Version 3 stored the
// postings as uvarint gaps: decoding them into fresh memory was half of a
// load of 100k chunks.
const dataMagic = "CBIX0004"

// stored is a decoded data file: what an index is made of.
type stored struct {
	dim  int
	rows int
	vecs []float32
	lex  *bm25
	// docs are the documents in row order, each with its chunks' spans.
	docs []storedDoc
	// clusters is nil when the index is one collection; member gives the
	// list of each row otherwise.
	clusters *clustering
	member   []int32
	// file holds the bytes vecs points into, when they were loaded.
	file *dataFile
}

// storedDoc is a document as the data file keeps it: enough to answer
// without reading or parsing its file again.
type storedDoc struct {
	doc corpus.Document
	// spans holds each chunk's start and end offsets in doc.Text.
	spans []int32
}

// writeData encodes s to w.
func writeData(w io.Writer, s *stored) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rows := len(s.lex.lengths)
	if s.dim <= 0 && rows > 0 || rows > 0 && len(s.vecs) != rows*s.dim {
		return fmt.Errorf("%d values for %d rows of %d dimensions", len(s.vecs), rows, s.dim)
	}
	var hdr [16]byte
	copy(hdr[:], dataMagic)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(s.dim))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(rows))
	bw.Write(hdr[:])
	writeWords(bw, s.vecs)
	e := &encoder{w: bw}
	var footer [24]byte
	for i, section := range []func(){
		func() { e.lexicon(s.lex) },
		func() { e.documents(s.docs) },
		func() { e.clustering(s.clusters, s.member) },
	} {
		e.n = 0
		section()
		binary.LittleEndian.PutUint64(footer[8*i:], uint64(e.n))
	}
	bw.Write(footer[:])
	return bw.Flush()
}

// encoder appends uvarints, strings and floats to a buffered writer,
// counting the bytes.
type encoder struct {
	w   *bufio.Writer
	buf []byte
	n   int
}

func (e *encoder) uvarint(n int) {
	e.buf = binary.AppendUvarint(e.buf[:0], uint64(n))
	e.w.Write(e.buf)
	e.n += len(e.buf)
}

func (e *encoder) str(s string) {
	e.uvarint(len(s))
	e.w.WriteString(s)
	e.n += len(s)
}

func (e *encoder) floats(xs []float32) { e.n += writeWords(e.w, xs) }

func (e *encoder) lexicon(lex *bm25) {
	e.n += writeWords(e.w, lex.lengths)
	e.n += writeWords(e.w, []uint32{uint32(lex.numTerms())})
	e.n += writeWords(e.w, lex.termEnd)
	e.n += writeWords(e.w, lex.postEnd)
	e.n += writeWords(e.w, lex.posts)
	e.w.WriteString(lex.terms)
	e.n += len(lex.terms)
}

func (e *encoder) documents(docs []storedDoc) {
	e.uvarint(len(docs))
	for _, sd := range docs {
		d := sd.doc
		for _, s := range []string{d.ID, d.Title, d.Date, d.URL, d.Lang, d.Hash, d.Text} {
			e.str(s)
		}
		e.uvarint(len(sd.spans) / 2)
		for i := 0; i+1 < len(sd.spans); i += 2 {
			e.uvarint(int(sd.spans[i]))
			e.uvarint(int(sd.spans[i+1] - sd.spans[i]))
		}
	}
}

func (e *encoder) clustering(c *clustering, member []int32) {
	if c == nil {
		e.uvarint(0)
		return
	}
	e.uvarint(c.k())
	e.uvarint(c.groups())
	e.uvarint(c.trained)
	e.uvarint(c.largest)
	for _, s := range c.start {
		e.uvarint(int(s))
	}
	e.floats(c.coarse)
	e.floats(c.lists)
	for _, m := range member {
		e.uvarint(int(m))
	}
}

// spansOf returns the start and end offsets of chunks, in order.
func spansOf(chunks []corpus.Chunk) []int32 {
	out := make([]int32, 0, 2*len(chunks))
	for _, c := range chunks {
		out = append(out, int32(c.Start), int32(c.End))
	}
	return out
}
