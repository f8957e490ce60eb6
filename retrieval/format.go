package retrieval

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// The data file holds everything a load needs besides the documents
// themselves, in the order a load consumes it:
//
//	magic "CBIX0002"
//	dim, rows            uint32 little-endian each
//	vectors              rows × dim float32 little-endian, row r = chunk r
//	lengths              rows × uvarint (BM25 term counts per chunk)
//	terms                uvarint count, then for each term in byte order:
//	                     uvarint length, the term, uvarint postings count,
//	                     then per posting uvarint chunk gap and uvarint tf
//
// Version 1 stored chromem-go's gob export: decoding it and re-analysing
// every text for BM25 made up four fifths of loading 100k chunks.
const dataMagic = "CBIX0002"

// stored is a decoded data file.
type stored struct {
	dim  int
	rows int
	vecs []float32
	lex  *bm25
}

// writeData encodes the vectors (rows of dim) and the BM25 index to w.
func writeData(w io.Writer, dim int, vecs []float32, lex *bm25) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rows := len(lex.lengths)
	if dim <= 0 && rows > 0 || rows > 0 && len(vecs) != rows*dim {
		return fmt.Errorf("%d values for %d rows of %d dimensions", len(vecs), rows, dim)
	}
	var hdr [16]byte
	copy(hdr[:], dataMagic)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(dim))
	binary.LittleEndian.PutUint32(hdr[12:], uint32(rows))
	bw.Write(hdr[:])
	buf := make([]byte, 0, 4096)
	for i := 0; i < len(vecs); i += 1024 {
		buf = buf[:0]
		for _, x := range vecs[i:min(i+1024, len(vecs))] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		bw.Write(buf)
	}
	for _, n := range lex.lengths {
		bw.Write(binary.AppendUvarint(buf[:0], uint64(n)))
	}
	terms := make([]string, 0, len(lex.postings))
	for t, ps := range lex.postings {
		if len(ps) > 0 {
			terms = append(terms, t)
		}
	}
	slices.Sort(terms)
	bw.Write(binary.AppendUvarint(buf[:0], uint64(len(terms))))
	for _, t := range terms {
		ps := lex.postings[t]
		buf = binary.AppendUvarint(buf[:0], uint64(len(t)))
		buf = append(buf, t...)
		buf = binary.AppendUvarint(buf, uint64(len(ps)))
		prev := int32(0)
		for _, p := range ps {
			buf = binary.AppendUvarint(buf, uint64(p.doc-prev))
			buf = binary.AppendUvarint(buf, uint64(p.tf))
			prev = p.doc
		}
		bw.Write(buf)
	}
	return bw.Flush()
}

// errFormat reports a data file that does not decode: truncated, damaged,
// or not ours. Every count is checked against what the file can hold, so
// that damage is an error, never a huge allocation or a panic.
var errFormat = errors.New("malformed index data")

// readData decodes a data file of size bytes from r.
func readData(r io.Reader, size int64) (*stored, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var hdr [16]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil || string(hdr[:8]) != dataMagic {
		return nil, fmt.Errorf("%w: no header", errFormat)
	}
	s := &stored{dim: int(binary.LittleEndian.Uint32(hdr[8:])), rows: int(binary.LittleEndian.Uint32(hdr[12:]))}
	fits := s.dim <= 1<<20 && int64(s.rows) <= size && int64(s.rows)*(4*int64(s.dim)+1) <= size-16
	if !fits || s.rows > 0 && s.dim == 0 {
		return nil, fmt.Errorf("%w: %d rows of %d dimensions in %d bytes", errFormat, s.rows, s.dim, size)
	}
	var err error
	if s.vecs, err = readFloats(br, s.rows*s.dim); err != nil {
		return nil, err
	}
	if s.lex, err = readLexicon(br, s.rows, size); err != nil {
		return nil, err
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing bytes", errFormat)
	}
	return s, nil
}

func readFloats(br *bufio.Reader, n int) ([]float32, error) {
	out := make([]float32, n)
	buf := make([]byte, 4096)
	for i := 0; i < n; {
		m := min(len(buf)/4, n-i)
		if _, err := io.ReadFull(br, buf[:4*m]); err != nil {
			return nil, fmt.Errorf("%w: vectors: %v", errFormat, err)
		}
		for j := range m {
			out[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
		i += m
	}
	return out, nil
}

func readLexicon(br *bufio.Reader, rows int, size int64) (*bm25, error) {
	lex := &bm25{lengths: make([]int32, rows)}
	for i := range lex.lengths {
		n, err := readCount(br, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		lex.lengths[i] = int32(n)
	}
	nTerms, err := readCount(br, int(min(size, math.MaxInt32)))
	if err != nil {
		return nil, err
	}
	lex.postings = make(map[string][]posting, nTerms)
	for range nTerms {
		if err := readTerm(br, lex, rows, size); err != nil {
			return nil, err
		}
	}
	lex.prepare()
	return lex, nil
}

func readTerm(br *bufio.Reader, lex *bm25, rows int, size int64) error {
	n, err := readCount(br, int(min(size, 1<<16)))
	if err != nil {
		return err
	}
	term := make([]byte, n)
	if _, err := io.ReadFull(br, term); err != nil {
		return fmt.Errorf("%w: term: %v", errFormat, err)
	}
	count, err := readCount(br, rows)
	if err != nil {
		return err
	}
	ps := make([]posting, count)
	doc := int64(0)
	for i := range ps {
		gap, err1 := binary.ReadUvarint(br)
		tf, err2 := binary.ReadUvarint(br)
		doc += int64(gap)
		if err1 != nil || err2 != nil || doc >= int64(rows) || (i > 0 && gap == 0) || tf == 0 || tf > math.MaxInt32 {
			return fmt.Errorf("%w: postings of %q", errFormat, term)
		}
		ps[i] = posting{doc: int32(doc), tf: int32(tf)}
	}
	lex.postings[string(term)] = ps
	return nil
}

// readCount reads a uvarint that must not exceed limit.
func readCount(br *bufio.Reader, limit int) (int, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil || n > uint64(limit) {
		return 0, fmt.Errorf("%w: count %d over %d (%v)", errFormat, n, limit, err)
	}
	return int(n), nil
}
