package retrieval

import (
	"cmp"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// clustering partitions the chunk vectors for the clustered index (see
// partition.go): k list centroids, found by spherical k-means on a sample
// of the vectors, in two levels so that training and assigning a million
// vectors cost seconds rather than minutes. Vectors are first compared
// with a few coarse centroids, then only with the list centroids of the
// two nearest coarse groups: about 3√k dot products per vector instead of
// k. Every centroid is unit length, so a dot product is a cosine.
type clustering struct {
	dim int
	// coarse holds the group centroids, groups × dim.
	coarse []float32
	// lists holds the list centroids, k × dim, grouped: group g's lists
	// are start[g] to start[g+1]-1.
	lists []float32
	start []int32
	// trained is how many rows the index had when the centroids were
	// trained, and largest the size of its largest list then: the drift
	// rules (see drifted) compare today's index with them.
	trained, largest int
}

// k is the number of lists.
func (c *clustering) k() int { return len(c.lists) / c.dim }

func (c *clustering) groups() int { return len(c.start) - 1 }

func (c *clustering) list(i int) []float32 { return c.lists[i*c.dim : (i+1)*c.dim] }

// Training parameters. faiss warns below 39 training points per centroid;
// 40 keeps a million-chunk training to a few seconds. Spherical k-means on
// text embeddings settles within a handful of iterations.
const (
	samplePerList = 40
	kmeansIters   = 10
	// clusterSeed makes every clustering of the same vectors the same.
	clusterSeed = 0x5eed
)

// listsFor is the number of lists for rows vectors: about √rows, which
// balances scoring the centroids (k dot products) against scanning the
// probed lists (rows/k each).
func listsFor(rows int) int {
	return max(1, min(rows, int(math.Round(math.Sqrt(float64(rows))))))
}

// train clusters the rows of vecs (rows × dim, unit length) into about
// √rows lists. The result depends only on the vectors and seed.
func train(vecs []float32, dim int, seed uint64) *clustering {
	rows := len(vecs) / dim
	k := listsFor(rows)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sample := sampleRows(rows, min(rows, samplePerList*k), rng)
	groups := max(1, int(math.Round(math.Sqrt(float64(k)))))
	c := &clustering{dim: dim, trained: rows}
	c.coarse = kmeans(vecs, dim, sample, groups, rng)
	member, _ := nearestAll(vecs, dim, sample, c.coarse)
	byGroup := make([][]int32, groups)
	for i, r := range sample {
		byGroup[member[i]] = append(byGroup[member[i]], r)
	}
	c.start = make([]int32, 1, groups+1)
	for _, pts := range byGroup {
		// Each group gets lists in proportion to its share of the sample,
		// so that lists come out about the same size.
		n := min(len(pts), int(math.Round(float64(k*len(pts))/float64(len(sample)))))
		if len(pts) > 0 {
			n = max(n, 1)
		}
		c.lists = append(c.lists, kmeans(vecs, dim, pts, n, rng)...)
		c.start = append(c.start, int32(c.k()))
	}
	return c
}

// sampleRows picks n distinct rows out of rows, in increasing order.
func sampleRows(rows, n int, rng *rand.Rand) []int32 {
	perm := rng.Perm(rows)[:n]
	out := make([]int32, n)
	for i, r := range perm {
		out[i] = int32(r)
	}
	slices.Sort(out)
	return out
}

// kmeans returns k unit centroids (k × dim) of the given rows by
// spherical k-means: k random rows to start, then rounds of assigning
// each row to its most similar centroid and moving each centroid to the
// normalised mean of its rows. A centroid left without rows restarts at
// the row worst served by its own. Sums run in row order in float64, so
// the result does not depend on the number of cores.
func kmeans(vecs []float32, dim int, rows []int32, k int, rng *rand.Rand) []float32 {
	k = min(k, len(rows))
	if k == 0 {
		return nil
	}
	cent := make([]float32, k*dim)
	for c, i := range rng.Perm(len(rows))[:k] {
		copy(cent[c*dim:], row(vecs, dim, int(rows[i])))
	}
	prev := make([]int32, len(rows))
	sums := make([]float64, k*dim)
	counts := make([]int, k)
	for it := range kmeansIters {
		member, sims := nearestAll(vecs, dim, rows, cent)
		if it > 0 && slices.Equal(member, prev) {
			break
		}
		prev = member
		clear(sums)
		clear(counts)
		for i, r := range rows {
			c := int(member[i])
			counts[c]++
			for j, x := range row(vecs, dim, int(r)) {
				sums[c*dim+j] += float64(x)
			}
		}
		worst := worstServed(sims)
		for c := range k {
			if counts[c] == 0 {
				copy(cent[c*dim:(c+1)*dim], row(vecs, dim, int(rows[worst[0]])))
				worst = worst[1:]
				continue
			}
			normalizeSum(cent[c*dim:(c+1)*dim], sums[c*dim:(c+1)*dim])
		}
	}
	return cent
}

// worstServed lists positions by increasing similarity to their centroid
// (ties by position): the rows that empty clusters restart from.
func worstServed(sims []float32) []int {
	idx := make([]int, len(sims))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(sims[a], sims[b]) })
	return idx
}

// normalizeSum writes sum scaled to unit length into dst; a zero sum
// (opposite vectors cancelling out) keeps dst as it was.
func normalizeSum(dst []float32, sum []float64) {
	var sq float64
	for _, x := range sum {
		sq += x * x
	}
	if sq == 0 {
		return
	}
	inv := 1 / math.Sqrt(sq)
	for j, x := range sum {
		dst[j] = float32(x * inv)
	}
}

// nearestAll finds each row's most similar centroid and that similarity,
// splitting the rows between the cores. Ties go to the lower centroid.
func nearestAll(vecs []float32, dim int, rows []int32, cent []float32) ([]int32, []float32) {
	member := make([]int32, len(rows))
	sims := make([]float32, len(rows))
	parallel(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			c, s := nearest(row(vecs, dim, int(rows[i])), cent, dim)
			member[i], sims[i] = int32(c), s
		}
	})
	return member, sims
}

// nearest returns the index of the centroid of cent most similar to v.
func nearest(v, cent []float32, dim int) (int, float32) {
	best, bestSim := 0, float32(math.Inf(-1))
	for c := 0; c*dim < len(cent); c++ {
		if s := dotProduct(v, cent[c*dim:(c+1)*dim]); s > bestSim {
			best, bestSim = c, s
		}
	}
	return best, bestSim
}

// assign returns the list of v: the most similar list centroid within the
// two coarse groups most similar to v.
func (c *clustering) assign(v []float32) int {
	g1, g2, s1, s2 := -1, -1, float32(math.Inf(-1)), float32(math.Inf(-1))
	for g := range c.groups() {
		s := dotProduct(v, c.coarse[g*c.dim:(g+1)*c.dim])
		switch {
		case s > s1:
			g2, s2 = g1, s1
			g1, s1 = g, s
		case s > s2:
			g2, s2 = g, s
		}
	}
	best, bestSim := 0, float32(math.Inf(-1))
	for _, g := range []int{g1, g2} {
		if g < 0 {
			continue
		}
		for l := int(c.start[g]); l < int(c.start[g+1]); l++ {
			if s := dotProduct(v, c.list(l)); s > bestSim || s == bestSim && l < best {
				best, bestSim = l, s
			}
		}
	}
	return best
}

// assignRows assigns every row of vecs listed in rows (all rows when rows
// is nil), in parallel, writing the list of row r into out[r].
func (c *clustering) assignRows(vecs []float32, rows []int, out []int32) {
	n := len(rows)
	if rows == nil {
		n = len(vecs) / c.dim
	}
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i
			if rows != nil {
				r = rows[i]
			}
			out[r] = int32(c.assign(row(vecs, c.dim, r)))
		}
	})
}

// parallel runs f over [0, n) split into one contiguous part per core.
func parallel(n int, f func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

func row(vecs []float32, dim, r int) []float32 { return vecs[r*dim : (r+1)*dim : (r+1)*dim] }

// dotProduct is the dot product with four independent sums, so that four
// multiply-adds are in flight at once: about three times the speed of the
// one-sum loop chromem-go runs, which matters when a million vectors meet
// a hundred centroids each.
func dotProduct(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	j := 0
	for ; j+4 <= len(a); j += 4 {
		s0 += a[j] * b[j]
		s1 += a[j+1] * b[j+1]
		s2 += a[j+2] * b[j+2]
		s3 += a[j+3] * b[j+3]
	}
	for ; j < len(a); j++ {
		s0 += a[j] * b[j]
	}
	return (s0 + s1) + (s2 + s3)
}
