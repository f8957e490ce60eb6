package answer

import (
	"cmp"
	"slices"

	"github.com/citebot/citebot/retrieval"
)

// fuseResults merges the rankings of several queries (a question and its
// translation) by reciprocal rank fusion on chunk IDs and keeps k. One
// list is returned as is.
func fuseResults(lists [][]retrieval.Result, k int) []retrieval.Result {
	if len(lists) == 1 {
		return lists[0]
	}
	const rrfK = 60
	score := map[string]float64{}
	first := map[string]retrieval.Result{}
	for _, list := range lists {
		for rank, r := range list {
			score[r.Chunk.ID] += 1.0 / float64(rrfK+rank+1)
			if _, ok := first[r.Chunk.ID]; !ok {
				first[r.Chunk.ID] = r
			}
		}
	}
	out := make([]retrieval.Result, 0, len(first))
	for id, r := range first {
		r.Fused = score[id]
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b retrieval.Result) int {
		if c := cmp.Compare(b.Fused, a.Fused); c != 0 {
			return c
		}
		return cmp.Compare(a.Chunk.ID, b.Chunk.ID)
	})
	return out[:min(k, len(out))]
}
