package retrieval

import (
	"math"
	"sort"
	"strings"
	"sync"
)

// BM25 parameters: the usual values (Robertson & Zaragoza); the eval showed
// no gain from tuning them on a corpus this small.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// bm25 is an Okapi BM25 index over chunk texts, analysed like the
// questions (analysis.Terms). It complements the vectors on names and
// numbers that must match exactly ("Synthesia", "40"). It is persisted with
// the vectors (see format.go) in the very layout it is searched in: sorted
// terms and one array of postings, so that a loaded index reads them from
// the mapped data file instead of decoding and allocating them (decoding
// the postings of 100k chunks was half of a load).
type bm25 struct {
	// terms holds the terms in byte order, end to end: term i ends at
	// termEnd[i] and starts where term i-1 ends.
	terms   string
	termEnd []uint32
	// posts holds the postings of every term, term by term, each term's
	// by chunk; those of term i end at postEnd[i].
	posts   []posting
	postEnd []uint32
	lengths []int32
	avgLen  float64
	// norm is each chunk's length normalisation, k1·(1 − b + b·len/avg),
	// computed once rather than for every posting of every query.
	norm []float64
	// scratch recycles the per-query score arrays (one float64 a chunk),
	// cands the lists of matching chunks.
	scratch, cands sync.Pool
}

// posting is 8 bytes, and is also its little-endian encoding in the data
// file: postings are most of the index's memory beyond the vectors, and no
// corpus has 2^31 chunks or a term repeated 2^31 times.
type posting struct {
	doc int32 // index in the Index's chunk slice
	tf  int32
}

type scored struct {
	doc   int
	score float64
}

// numTerms is the number of distinct terms.
func (ix *bm25) numTerms() int { return len(ix.termEnd) }

// term returns term i.
func (ix *bm25) term(i int) string {
	return ix.terms[ix.termStart(i):ix.termEnd[i]]
}

func (ix *bm25) termStart(i int) uint32 {
	if i == 0 {
		return 0
	}
	return ix.termEnd[i-1]
}

// postingsAt returns the postings of term i.
func (ix *bm25) postingsAt(i int) []posting {
	lo := uint32(0)
	if i > 0 {
		lo = ix.postEnd[i-1]
	}
	return ix.posts[lo:ix.postEnd[i]:ix.postEnd[i]]
}

// postings returns the postings of term, by binary search: nil when no
// chunk has it.
func (ix *bm25) postings(term string) []posting {
	i, found := sort.Find(ix.numTerms(), func(i int) int { return strings.Compare(term, ix.term(i)) })
	if !found {
		return nil
	}
	return ix.postingsAt(i)
}

// has reports whether any chunk contains term.
func (ix *bm25) has(term string) bool { return len(ix.postings(term)) > 0 }

// idf is the BM25 inverse document frequency of a term; a term no chunk
// contains gets the highest value, as if it occurred once.
func (ix *bm25) idf(term string) float64 { return ix.idfOf(len(ix.postings(term))) }

// idfOf is the inverse document frequency of a term df chunks contain.
func (ix *bm25) idfOf(df int) float64 {
	if df == 0 {
		df = 1
	}
	n := float64(len(ix.lengths))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
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
		ps := ix.postings(term)
		idf := ix.idfOf(len(ps))
		for _, p := range ps {
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

func (ix *bm25) scores() *[]float64 {
	if s, ok := ix.scratch.Get().(*[]float64); ok && len(*s) == len(ix.lengths) {
		return s
	}
	s := make([]float64, len(ix.lengths))
	return &s
}
