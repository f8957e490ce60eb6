package retrieval

import (
	"hash/crc32"
	"runtime"
	"sync"
)

// castagnoli is the CRC-32C table, built on first use rather than at
// every start of citebot.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// checksum is the CRC-32C of b, computed in parallel parts that are then
// combined: a million 768-dimensional vectors are 3 GiB, half a second
// of checksumming on one core, and every load checks them.
func checksum(b []byte) uint32 { return checksumParts(b, 64<<20) }

// checksumParts is checksum with parts of at least part bytes.
func checksumParts(b []byte, part int) uint32 {
	workers := min(runtime.GOMAXPROCS(0), (len(b)+part-1)/part)
	if workers <= 1 {
		return crc32.Checksum(b, castagnoli())
	}
	sums := make([]uint32, workers)
	bounds := make([]int, workers+1)
	for w := range workers {
		bounds[w+1] = len(b) * (w + 1) / workers
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { sums[w] = crc32.Checksum(b[bounds[w]:bounds[w+1]], castagnoli()) })
	}
	wg.Wait()
	sum := sums[0]
	for w := 1; w < workers; w++ {
		sum = crcCombine(sum, sums[w], int64(bounds[w+1]-bounds[w]))
	}
	return sum
}

// crcCombine returns the CRC-32C of A followed by B from the CRCs of A and
// of B and the length of B: zlib's crc32_combine, which appends len2 zero
// bytes to crc1 by squaring the matrix of the shift by one zero bit.
func crcCombine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1
	}
	var even, odd [32]uint32
	odd[0] = crc32.Castagnoli // the reversed polynomial: one zero bit
	for n, row := 1, uint32(1); n < 32; n, row = n+1, row<<1 {
		odd[n] = row
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd)
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range square {
		square[n] = gf2Times(mat, mat[n])
	}
}
