package retrieval

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

func TestCRCCombineIsTheWholeChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 10_000)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	want := crc32.Checksum(b, castagnoli())
	for _, cut := range []int{0, 1, 7, 4096, 9_999, 10_000} {
		a, c := crc32.Checksum(b[:cut], castagnoli()), crc32.Checksum(b[cut:], castagnoli())
		if got := crcCombine(a, c, int64(len(b)-cut)); got != want {
			t.Errorf("cut at %d: got %08x, want %08x", cut, got, want)
		}
	}
	if got := checksumParts(b, 1000); got != want {
		t.Errorf("got %08x, want %08x", got, want)
	}
}
