package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestMixtureVectorsAreUnitDeterministicAndClustered(t *testing.T) {
	m := NewMixture(1)
	texts := make([]string, 400)
	for i := range texts {
		texts[i] = fmt.Sprintf("passage %d", i)
	}
	a, err := m.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewMixture(1).Embed(context.Background(), texts[:1])
	var sumSq, maxCos, meanCos float64 = 0, -1, 0
	for i, v := range a {
		if len(v) != 1536 {
			t.Fatalf("got %d dimensions, want 1536", len(v))
		}
		sumSq = 0
		for _, x := range v {
			sumSq += float64(x) * float64(x)
		}
		if math.Abs(sumSq-1) > 1e-5 {
			t.Errorf("text %d: got norm² %v, want 1", i, sumSq)
		}
		if i > 0 {
			c := cosine(a[0], v)
			maxCos, meanCos = max(maxCos, c), meanCos+c/float64(len(a)-1)
		}
	}
	if !slices.Equal(a[0], b[0]) {
		t.Error("got another vector for the same text, want the same")
	}
	// Unrelated texts lean on the common direction; some share a topic.
	if meanCos < 0.05 || meanCos > 0.15 || maxCos < 0.2 {
		t.Errorf("got a mean cosine of %.3f and a largest of %.3f with the first text, want about 0.1 and some above 0.2", meanCos, maxCos)
	}
}

func cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}
