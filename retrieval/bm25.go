package retrieval

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"sync"

	"github.com/citebot/citebot/analysis"
)

// BM25 parameters: the usual values (Robertson & Zaragoza); the eval showed
// no gain from tuning them on a corpus this small.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// bm25 is an in-memory Okapi BM25 index over chunk texts, analysed like the
// questions (analysis.Terms). It complements the vectors on names and
// numbers that must match exactly ("Synthesia", "40"). It is persisted with
// the vectors (see format.go), so that loading an index does not analyse
// its texts again.
type bm25 struct {
	postings map[string][]posting
	lengths  []int32
	avgLen   float64
	// norm is each chunk's length normalisation, k1·(1 − b + b·len/avg),
	// computed once rather than for every posting of every query.
	norm []float64
	// scratch recycles the per-query score arrays (one float64 a chunk),
	// cands the lists of matching chunks.
	scratch, cands sync.Pool
}

// posting is 8 bytes: postings are most of the index's memory beyond the
// vectors, and no corpus has 2^31 chunks or a term repeated 2^31 times.
type posting struct {
	doc int32 // index in the Index's chunk slice
	tf  int32
}

type scored struct {
	doc   int
	score float64
}

// bm25Builder fills a bm25 row by row, in any order: rows carried over
// from a persisted index and rows analysed now.
type bm25Builder struct {
	ix *bm25
	// words keeps each distinct word's terms for the build: stemming
	// dominated building (and so loading) the index, and words repeat.
	words  map[string][]string
	counts map[string]int
}

func newBM25Builder(rows int) *bm25Builder {
	return &bm25Builder{
		ix:     &bm25{postings: map[string][]posting{}, lengths: make([]int32, rows)},
		words:  map[string][]string{},
		counts: map[string]int{},
	}
}

// add analyses text as chunk row; the same as analysis.Terms on the text.
func (b *bm25Builder) add(row int, text string) {
	clear(b.counts)
	for _, tok := range analysis.Tokens(text) {
		terms, ok := b.words[tok.Text]
		if !ok {
			terms = analysis.WordTerms(tok.Text)
			b.words[tok.Text] = terms
		}
		for _, term := range terms {
			b.counts[term]++
		}
	}
	n := 0
	for term, tf := range b.counts {
		b.ix.postings[term] = append(b.ix.postings[term], posting{doc: int32(row), tf: int32(tf)})
		n += tf
	}
	b.ix.lengths[row] = int32(n)
}

// carry copies the postings and lengths of a previous index, moving each
// old row to rows[old]; rows[old] < 0 drops it (its document changed or
// is gone).
func (b *bm25Builder) carry(prev *bm25, rows []int32) {
	for term, ps := range prev.postings {
		out := b.ix.postings[term]
		for _, p := range ps {
			if to := rows[p.doc]; to >= 0 {
				out = append(out, posting{doc: to, tf: p.tf})
			}
		}
		if len(out) > 0 {
			b.ix.postings[term] = out
		}
	}
	for old, to := range rows {
		if to >= 0 {
			b.ix.lengths[to] = prev.lengths[old]
		}
	}
}

// finish orders each posting list by chunk (so that the persisted form does
// not depend on the order rows were added) and computes the statistics.
func (b *bm25Builder) finish() *bm25 {
	ix := b.ix
	for _, ps := range ix.postings {
		slices.SortFunc(ps, func(x, y posting) int { return cmp.Compare(x.doc, y.doc) })
	}
	ix.prepare()
	return ix
}

// prepare computes the average length and the per-chunk normalisation.
func (ix *bm25) prepare() {
	total := 0
	for _, n := range ix.lengths {
		total += int(n)
	}
	ix.avgLen = 0
	if len(ix.lengths) > 0 && total > 0 {
		ix.avgLen = float64(total) / float64(len(ix.lengths))
	}
	ix.norm = make([]float64, len(ix.lengths))
	for i, n := range ix.lengths {
		rel := 1.0
		if ix.avgLen > 0 {
			rel = float64(n) / ix.avgLen
		}
		ix.norm[i] = bm25K1 * (1 - bm25B + bm25B*rel)
	}
}

// has reports whether any chunk contains term.
func (ix *bm25) has(term string) bool { return len(ix.postings[term]) > 0 }

// idf is the BM25 inverse document frequency of a term; a term no chunk
// contains gets the highest value, as if it occurred once.
func (ix *bm25) idf(term string) float64 {
	df := len(ix.postings[term])
	if df == 0 {
		df = 1
	}
	n := float64(len(ix.lengths))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// search returns up to k chunks by decreasing BM25 score for the query
// terms; chunks sharing no term are left out. Scores accumulate in an
// array of one float64 per chunk: at 100k chunks a map made this the
// slower half of a hybrid query.
func (ix *bm25) search(terms []string, k int) []scored {
	if k <= 0 || len(ix.lengths) == 0 {
		return nil
	}
	scores := ix.scores()
	defer ix.scratch.Put(scores)
	seen := map[string]bool{}
	for _, term := range terms {
		if seen[term] {
			continue
		}
		seen[term] = true
		idf := ix.idf(term)
		for _, p := range ix.postings[term] {
			tf := float64(p.tf)
			(*scores)[p.doc] += idf * tf * (bm25K1 + 1) / (tf + ix.norm[p.doc])
		}
	}
	cands, _ := ix.cands.Get().(*[]scored)
	if cands == nil {
		cands = new([]scored)
	}
	defer ix.cands.Put(cands)
	*cands = (*cands)[:0]
	for doc, s := range *scores {
		if s > 0 {
			*cands = append(*cands, scored{doc, s})
			(*scores)[doc] = 0
		}
	}
	return bestOf(*cands, k)
}

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

func (ix *bm25) scores() *[]float64 {
	if s, ok := ix.scratch.Get().(*[]float64); ok && len(*s) == len(ix.lengths) {
		return s
	}
	s := make([]float64, len(ix.lengths))
	return &s
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
