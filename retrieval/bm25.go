package retrieval

import (
	"cmp"
	"math"
	"slices"

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
// numbers that must match exactly ("Synthesia", "40").
type bm25 struct {
	postings map[string][]posting
	lengths  []int
	avgLen   float64
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

func newBM25(texts []string) *bm25 {
	ix := &bm25{postings: map[string][]posting{}, lengths: make([]int, len(texts))}
	total := 0
	// The same as analysis.Terms on each text, with each distinct word
	// analysed once: stemming dominated building (and so loading) the index.
	words := map[string][]string{}
	counts := map[string]int{}
	for i, text := range texts {
		clear(counts)
		for _, tok := range analysis.Tokens(text) {
			terms, ok := words[tok.Text]
			if !ok {
				terms = analysis.WordTerms(tok.Text)
				words[tok.Text] = terms
			}
			for _, term := range terms {
				counts[term]++
			}
		}
		n := 0
		for term, tf := range counts {
			ix.postings[term] = append(ix.postings[term], posting{doc: int32(i), tf: int32(tf)})
			n += tf
		}
		ix.lengths[i] = n
		total += n
	}
	if len(texts) > 0 {
		ix.avgLen = float64(total) / float64(len(texts))
	}
	return ix
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
// terms; chunks sharing no term are left out.
func (ix *bm25) search(terms []string, k int) []scored {
	scores := map[int]float64{}
	seen := map[string]bool{}
	for _, term := range terms {
		if seen[term] {
			continue
		}
		seen[term] = true
		idf := ix.idf(term)
		for _, p := range ix.postings[term] {
			tf := float64(p.tf)
			norm := 1 - bm25B + bm25B*float64(ix.lengths[p.doc])/ix.avgLen
			scores[int(p.doc)] += idf * tf * (bm25K1 + 1) / (tf + bm25K1*norm)
		}
	}
	out := make([]scored, 0, len(scores))
	for doc, s := range scores {
		out = append(out, scored{doc, s})
	}
	slices.SortFunc(out, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}
