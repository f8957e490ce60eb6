package retrieval

import (
	"encoding/binary"
	"io"
	"unsafe"
)

// word is a type made of 4-byte words that the data file stores as they
// are in memory on a little-endian machine: vectors, BM25 lengths, term
// offsets and postings.
type word interface {
	float32 | int32 | uint32 | posting
}

// littleEndian is true where a word in memory is its little-endian
// encoding, so that the data file is written and read without conversion.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// wordsOf returns the values of T whose little-endian encoding is b: b
// itself, viewed as []T, where the machine is little-endian and b is
// aligned (a mapped file always is), else a converted copy. len(b) must
// be a multiple of T's size.
func wordsOf[T word](b []byte) []T {
	size := int(unsafe.Sizeof(*new(T)))
	n := len(b) / size
	if n == 0 {
		return []T{}
	}
	if littleEndian && uintptr(unsafe.Pointer(&b[0]))%4 == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n)
	}
	w := make([]uint32, n*size/4)
	for i := range w {
		w[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&w[0])), n)
}

// writeWords writes xs little-endian, straight from memory on
// little-endian machines (all of citebot's targets in practice), and
// returns the number of bytes written.
func writeWords[T word](w io.Writer, xs []T) int {
	if len(xs) == 0 {
		return 0
	}
	size := int(unsafe.Sizeof(xs[0]))
	b := unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), size*len(xs))
	if littleEndian {
		w.Write(b)
		return len(b)
	}
	buf := make([]byte, 0, 4096)
	for i := 0; i < len(b); i += 4096 {
		buf = buf[:0]
		for j := i; j < min(i+4096, len(b)); j += 4 {
			buf = binary.LittleEndian.AppendUint32(buf, binary.NativeEndian.Uint32(b[j:]))
		}
		w.Write(buf)
	}
	return len(b)
}
