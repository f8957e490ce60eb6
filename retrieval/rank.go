package retrieval

import (
	"container/heap"
	"slices"
)

// bestOf returns the k best of cands, best first, reordering cands. A
// partial selection rather than a heap: a partial search asks for 2,000
// BM25 candidates among tens of thousands of matching chunks, and a heap
// that large cost a millisecond a question at 100k chunks.
func bestOf(cands []scored, k int) []scored {
	if k < len(cands) {
		selectBest(cands, k)
		cands = cands[:k]
	}
	out := slices.Clone(cands)
	slices.SortFunc(out, byRank)
	return out
}

// selectBest moves the k best of xs (by better, a total order) to its
// front, in no particular order: quickselect with a median-of-three pivot.
func selectBest(xs []scored, k int) {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if better(xs[mid], xs[lo]) {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if better(xs[hi], xs[lo]) {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if better(xs[mid], xs[hi]) {
			xs[mid], xs[hi] = xs[hi], xs[mid]
		}
		pivot := xs[hi] // the median of the three
		i := lo
		for j := lo; j < hi; j++ {
			if better(xs[j], pivot) {
				xs[i], xs[j] = xs[j], xs[i]
				i++
			}
		}
		xs[i], xs[hi] = xs[hi], xs[i]
		switch {
		case i == k || i == k-1:
			return
		case i < k:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
}

// topK keeps the k best of the scores offered to it: a min-heap whose root
// is the weakest kept. Ties go to the lower chunk index, as in a full sort.
type topK struct {
	k int
	h []scored
}

func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

func (t *topK) Len() int           { return len(t.h) }
func (t *topK) Less(i, j int) bool { return better(t.h[j], t.h[i]) }
func (t *topK) Swap(i, j int)      { t.h[i], t.h[j] = t.h[j], t.h[i] }
func (t *topK) Push(x any)         { t.h = append(t.h, x.(scored)) }
func (t *topK) Pop() any {
	x := t.h[len(t.h)-1]
	t.h = t.h[:len(t.h)-1]
	return x
}

func (t *topK) offer(s scored) {
	switch {
	case len(t.h) < t.k:
		heap.Push(t, s)
	case better(s, t.h[0]):
		t.h[0] = s
		heap.Fix(t, 0)
	}
}

// sorted returns the kept scores, best first.
func (t *topK) sorted() []scored {
	out := slices.Clone(t.h)
	slices.SortFunc(out, byRank)
	return out
}

// byRank orders scores best first, as a comparison function for sorting.
func byRank(a, b scored) int {
	switch {
	case better(a, b):
		return -1
	case better(b, a):
		return 1
	}
	return 0
}
