package retrieval

import (
	"math"
	"slices"
	"testing"

	"github.com/citebot/citebot/corpus"
)

// FuseResults merges the rankings of a question and its translation: a
// chunk both return outranks one only one returns, each chunk appears
// once with the scores of the first list that had it, ties go to the
// lower chunk ID, and k bounds the result.
func TestFuseResults(t *testing.T) {
	r := func(id string, vec float64) Result {
		return Result{Chunk: corpus.Chunk{ID: id}, Vector: vec}
	}
	question := []Result{r("a#0", 0.9), r("b#0", 0.8), r("c#0", 0.7)}
	translation := []Result{r("c#0", 0.6), r("d#0", 0.5), r("b#0", 0.4)}
	got := FuseResults([][]Result{question, translation}, 3)
	var ids []string
	for _, g := range got {
		ids = append(ids, g.Chunk.ID)
	}
	// c: 1/63 + 1/61, b: 1/62 + 1/63, a: 1/61, d: 1/62.
	if want := []string{"c#0", "b#0", "a#0"}; !slices.Equal(ids, want) {
		t.Fatalf("got %v, want %v", ids, want)
	}
	if want := 1.0/63 + 1.0/61; math.Abs(got[0].Fused-want) > 1e-12 {
		t.Errorf("got fused %.6f for c#0, want %.6f", got[0].Fused, want)
	}
	if got[0].Vector != 0.7 {
		t.Errorf("got vector %.2f for c#0, want 0.7 from the first list that returned it", got[0].Vector)
	}
	tied := FuseResults([][]Result{{r("z#0", 0)}, {r("y#0", 0)}}, 5)
	if len(tied) != 2 || tied[0].Chunk.ID != "y#0" {
		t.Errorf("got %v, want y#0 first on a tie", tied)
	}
	one := FuseResults([][]Result{question}, 1)
	if len(one) != 3 || one[0].Fused != 0 {
		t.Errorf("one list: got %d results fused %.3f, want it returned as is", len(one), one[0].Fused)
	}
}
