package retrieval

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"unsafe"

	"github.com/citebot/citebot/corpus"
)

// errFormat reports a data file that does not decode: truncated, damaged,
// or not ours. Every count is checked against what the file can hold, so
// that damage is an error, never a huge allocation or a panic.
var errFormat = errors.New("malformed index data")

// readData decodes a data file of size bytes read from r.
func readData(r io.Reader, size int64) (*stored, error) {
	if size < 0 || size > math.MaxInt {
		return nil, fmt.Errorf("%w: %d bytes", errFormat, size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: %v", errFormat, err)
	}
	if n, _ := r.Read(make([]byte, 1)); n > 0 {
		return nil, fmt.Errorf("%w: trailing bytes", errFormat)
	}
	return decodeData(b)
}

// decodeData decodes the data file b. The vectors, most of the file, are
// b's own bytes where the machine is little-endian (b must then outlive
// them); everything else is copied out.
func decodeData(b []byte) (*stored, error) {
	if len(b) < 16 || string(b[:8]) != dataMagic {
		return nil, fmt.Errorf("%w: no header", errFormat)
	}
	size := int64(len(b))
	s := &stored{dim: int(binary.LittleEndian.Uint32(b[8:])), rows: int(binary.LittleEndian.Uint32(b[12:]))}
	fits := s.dim <= 1<<20 && int64(s.rows) <= size && int64(s.rows)*(4*int64(s.dim)+1) <= size-16
	if !fits || s.rows > 0 && s.dim == 0 {
		return nil, fmt.Errorf("%w: %d rows of %d dimensions in %d bytes", errFormat, s.rows, s.dim, size)
	}
	end := 16 + 4*s.rows*s.dim
	s.vecs = wordsOf[float32](b[16:end])
	parts, err := sections(b[end:])
	if err != nil {
		return nil, err
	}
	// The terms are most of the decoding: they go on another core while
	// this one decodes the documents and the clustering.
	lex := &decoder{b: parts[0]}
	var wg sync.WaitGroup
	wg.Go(func() { s.lex = lex.lexicon(s.rows); lex.end("terms") })
	docs, clu := &decoder{b: parts[1]}, &decoder{b: parts[2]}
	s.docs = docs.documents(s.rows)
	docs.end("documents")
	s.clusters, s.member = clu.clustering(s.rows, s.dim)
	clu.end("clustering")
	wg.Wait()
	if err := errors.Join(lex.err, docs.err, clu.err); err != nil {
		return nil, err
	}
	return s, nil
}

// sections splits what follows the vectors into the terms, documents and
// clustering sections, by the lengths in its last 24 bytes.
func sections(b []byte) ([3][]byte, error) {
	var out [3][]byte
	if len(b) < 24 {
		return out, fmt.Errorf("%w: no footer", errFormat)
	}
	footer, rest := b[len(b)-24:], b[:len(b)-24]
	for i := range out {
		n := binary.LittleEndian.Uint64(footer[8*i:])
		if n > uint64(len(rest)) {
			return out, fmt.Errorf("%w: section %d of %d bytes in %d", errFormat, i, n, len(rest))
		}
		out[i], rest = rest[:n:n], rest[n:]
	}
	if len(rest) > 0 {
		return out, fmt.Errorf("%w: %d bytes outside the sections", errFormat, len(rest))
	}
	return out, nil
}

// decoder reads uvarints, strings and floats from memory. Its first error
// sticks: later reads return zero values, so callers check once.
type decoder struct {
	b   []byte
	err error
}

// end fails unless the section was read to its end.
func (d *decoder) end(section string) {
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes left after the %s", len(d.b), section)
	}
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errFormat, fmt.Sprintf(format, args...))
	}
	d.b = nil
}

// count reads a uvarint that must not exceed limit.
func (d *decoder) count(limit int) int {
	n, w := binary.Uvarint(d.b)
	if w <= 0 || n > uint64(limit) {
		d.fail("count %d over %d", n, limit)
		return 0
	}
	d.b = d.b[w:]
	return int(n)
}

func (d *decoder) bytes(n int) []byte {
	if n > len(d.b) {
		d.fail("%d bytes wanted, %d left", n, len(d.b))
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) str() string { return string(d.bytes(d.count(len(d.b)))) }

// stringOf returns b as a string without copying it. The texts of a
// loaded index are thus the data file's mapped bytes, like its vectors:
// the index hands out copies only (see chunkTable), and an index that
// does not keep the file (an update) copies them first (layout.detach).
func stringOf(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// floats copies n floats out: centroids are few, and a copy does not
// depend on the data file staying mapped.
func (d *decoder) floats(n int) []float32 {
	if n < 0 || n > len(d.b)/4 {
		d.fail("%d values wanted, %d bytes left", n, len(d.b))
		return nil
	}
	b := d.bytes(4 * n)
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// lexicon takes the BM25 index from the terms section as it is laid out
// (see format.go): the lengths, offsets and postings are the section's
// own bytes where the machine allows it, and are checked, not copied.
func (d *decoder) lexicon(rows int) *bm25 {
	lex := &bm25{lengths: fixed[int32](d, rows)}
	n := 0
	if c := fixed[uint32](d, 1); len(c) == 1 {
		n = int(c[0])
	}
	lex.termEnd, lex.postEnd = fixed[uint32](d, n), fixed[uint32](d, n)
	if d.err != nil {
		return nil
	}
	if n > 0 {
		lex.posts = fixed[posting](d, int(lex.postEnd[n-1]))
		lex.terms = stringOf(d.bytes(int(lex.termEnd[n-1])))
	}
	if d.err != nil {
		return nil
	}
	if err := lex.check(); err != nil {
		d.fail("%v", err)
		return nil
	}
	lex.prepare()
	return lex
}

// fixed reads n values of T stored as little-endian words (see wordsOf).
func fixed[T word](d *decoder, n int) []T {
	size := int(unsafe.Sizeof(*new(T)))
	if n < 0 || n > len(d.b)/size {
		d.fail("%d values of %d bytes wanted, %d bytes left", n, size, len(d.b))
		return nil
	}
	return wordsOf[T](d.bytes(n * size))
}

// documents decodes the documents, whose chunks must tile the rows.
func (d *decoder) documents(rows int) []storedDoc {
	n := d.count(rows)
	docs := make([]storedDoc, 0, n)
	total := 0
	for range n {
		var sd storedDoc
		f := [7]string{}
		for i := range f[:6] {
			f[i] = d.str()
		}
		// The text, most of the section, is not copied: see stringOf.
		f[6] = stringOf(d.bytes(d.count(len(d.b))))
		sd.doc = corpus.Document{ID: f[0], Title: f[1], Date: f[2], URL: f[3], Lang: f[4], Hash: f[5], Text: f[6]}
		chunks := d.count(rows - total)
		sd.spans = make([]int32, 2*chunks)
		for c := range chunks {
			start, length := d.count(len(f[6])), d.count(len(f[6]))
			if start+length > len(f[6]) {
				d.fail("document %q: chunk %d beyond its text", f[0], c)
			}
			sd.spans[2*c], sd.spans[2*c+1] = int32(start), int32(start+length)
		}
		total += chunks
		if d.err != nil {
			return nil
		}
		docs = append(docs, sd)
	}
	if total != rows {
		d.fail("documents hold %d chunks, the data %d rows", total, rows)
	}
	return docs
}

// clustering decodes the clustering, nil when the index is one collection.
func (d *decoder) clustering(rows, dim int) (*clustering, []int32) {
	k := d.count(rows)
	if k == 0 || d.err != nil {
		return nil, nil
	}
	c := &clustering{dim: dim}
	groups := d.count(k)
	c.trained, c.largest = d.count(math.MaxInt32), d.count(math.MaxInt32)
	c.start = make([]int32, groups+1)
	for g := range c.start {
		c.start[g] = int32(d.count(k))
		if g > 0 && c.start[g] < c.start[g-1] || g == 0 && c.start[g] != 0 {
			d.fail("group starts out of order")
		}
	}
	if c.start[groups] != int32(k) {
		d.fail("groups end at list %d of %d", c.start[groups], k)
	}
	c.coarse = d.floats(groups * dim)
	c.lists = d.floats(k * dim)
	member := make([]int32, rows)
	for r := range member {
		member[r] = int32(d.count(k - 1))
	}
	if d.err != nil {
		return nil, nil
	}
	return c, member
}
