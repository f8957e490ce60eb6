package retrieval

import (
	"cmp"
	"slices"
)

// rrfK is the reciprocal rank fusion constant of Cormack et al. (2009): it
// damps the head of each list so that one ranker alone cannot decide.
const rrfK = 60

// reciprocalRank is what a 1-based rank in one list adds to a fused score.
func reciprocalRank(rank int) float64 { return 1.0 / float64(rrfK+rank) }

// fused is one chunk after fusion, with its rank in each input list
// (1-based, 0 when the list did not return it).
type fused struct {
	doc                  int
	score                float64
	vectorRank, bm25Rank int
}

// fuse merges a vector ranking and a BM25 ranking with reciprocal rank
// fusion: score = Σ 1/(rrfK + rank). Rank-based fusion needs no calibration
// between cosine similarities and BM25 scores, which live on unrelated
// scales. Ties are broken by chunk order so results are deterministic.
func fuse(vector, lexical []scored) []fused {
	byDoc := map[int]*fused{}
	get := func(doc int) *fused {
		f, ok := byDoc[doc]
		if !ok {
			f = &fused{doc: doc}
			byDoc[doc] = f
		}
		return f
	}
	for i, s := range vector {
		f := get(s.doc)
		f.vectorRank = i + 1
		f.score += reciprocalRank(i + 1)
	}
	for i, s := range lexical {
		f := get(s.doc)
		f.bm25Rank = i + 1
		f.score += reciprocalRank(i + 1)
	}
	out := make([]fused, 0, len(byDoc))
	for _, f := range byDoc {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b fused) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	return out
}

// FuseResults merges the rankings of several searches (a question and its
// translation) by reciprocal rank fusion on chunk IDs, as Search fuses its
// vector and BM25 rankings, and keeps the best k. Each result keeps the
// scores of the first list that returned it, with Fused replaced; ties go
// to the lower chunk ID. One list is returned as is.
func FuseResults(lists [][]Result, k int) []Result {
	if len(lists) == 1 {
		return lists[0]
	}
	score := map[string]float64{}
	first := map[string]Result{}
	for _, list := range lists {
		for i, r := range list {
			score[r.Chunk.ID] += reciprocalRank(i + 1)
			if _, ok := first[r.Chunk.ID]; !ok {
				first[r.Chunk.ID] = r
			}
		}
	}
	out := make([]Result, 0, len(first))
	for id, r := range first {
		r.Fused = score[id]
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Result) int {
		if c := cmp.Compare(b.Fused, a.Fused); c != 0 {
			return c
		}
		return cmp.Compare(a.Chunk.ID, b.Chunk.ID)
	})
	return out[:min(k, len(out))]
}
