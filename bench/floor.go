package bench

import (
	"bufio"
	"cmp"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hit is one scan result.
type hit struct {
	i     int
	score float32
}

// scanTop returns the n rows of flat most similar to q by dot product:
// one pass over the vectors and an insertion into a small sorted list.
func scanTop(flat, q []float32, n int, dot func(a, b []float32) float32) []hit {
	dim := len(q)
	top := make([]hit, 0, n+1)
	for i, off := 0, 0; off+dim <= len(flat); i, off = i+1, off+dim {
		s := dot(q, flat[off:off+dim:off+dim])
		if len(top) == n && s <= top[n-1].score {
			continue
		}
		k, _ := slices.BinarySearchFunc(top, s, func(h hit, s float32) int {
			if h.score > s {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, k, hit{i, s})
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// dotPlain is the loop the issue calls the floor, and the one chromem-go
// runs: each addition waits for the previous one.
func dotPlain(q, row []float32) float32 {
	var s float32
	for j, x := range q {
		s += x * row[j]
	}
	return s
}

// dot4 keeps four independent sums, so that four multiply-adds are in
// flight at once: what a vector store of our own would run.
func dot4(q, row []float32) float32 {
	row = row[:len(q)]
	var s0, s1, s2, s3 float32
	j := 0
	for ; j+4 <= len(q); j += 4 {
		s0 += q[j] * row[j]
		s1 += q[j+1] * row[j+1]
		s2 += q[j+2] * row[j+2]
		s3 += q[j+3] * row[j+3]
	}
	for ; j < len(q); j++ {
		s0 += q[j] * row[j]
	}
	return (s0 + s1) + (s2 + s3)
}

// timeScan times a scan of flat for each question vector, its rows split
// between workers goroutines (0: one per core).
func timeScan(flat []float32, qvs [][]float32, dot func(a, b []float32) float32, workers int) []time.Duration {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ds := make([]time.Duration, len(qvs))
	for i, qv := range qvs {
		start := time.Now()
		scanParallel(flat, qv, vectorPool, dot, workers)
		ds[i] = time.Since(start)
	}
	return ds
}

// scanParallel is scanTop over workers contiguous parts of the rows,
// merged.
func scanParallel(flat, q []float32, n int, dot func(a, b []float32) float32, workers int) []hit {
	if workers == 1 {
		return scanTop(flat, q, n, dot)
	}
	rows := len(flat) / len(q)
	parts := make([][]hit, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := rows*w/workers, rows*(w+1)/workers
		wg.Go(func() {
			parts[w] = scanTop(flat[lo*len(q):hi*len(q)], q, n, dot)
			for i := range parts[w] {
				parts[w][i].i += lo
			}
		})
	}
	wg.Wait()
	all := slices.Concat(parts...)
	slices.SortFunc(all, func(a, b hit) int { return cmp.Compare(b.score, a.score) })
	return all[:min(n, len(all))]
}

// percentile is the nearest-rank p-th percentile of ds (which it sorts).
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := (len(ds)*p + 99) / 100
	return ds[max(i-1, 0)]
}

// procStatus reads a memory figure of /proc/self/status ("VmRSS:" for
// the resident set, "VmHWM:" for its peak), in bytes; 0 where that file
// does not exist (not Linux).
func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), key)
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
