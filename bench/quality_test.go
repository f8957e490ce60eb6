package bench

import (
	"context"
	"os"
	"testing"

	"github.com/citebot/citebot/eval"
)

// TestClusteringKeepsRetrievalHits checks, on the built-in corpus padded
// to 3,000 chunks and clustered from 1,000, that the clustered search
// retrieves an expected document in its first five passages for the same
// dev questions as the exhaustive one.
func TestClusteringKeepsRetrievalHits(t *testing.T) {
	f, err := os.Open("../eval/testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Quality(context.Background(), cases, 3000, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	if q.Lists == 0 || q.Questions == 0 {
		t.Fatalf("got %+v, want a clustered index and questions", q)
	}
	if q.HitOn != q.HitOff || len(q.Differ) > 0 {
		t.Errorf("got hit@5 %.3f clustered, %.3f not (differ: %v), want the same", q.HitOn, q.HitOff, q.Differ)
	}
}
