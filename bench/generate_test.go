package bench

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/corpus"
)

func TestGenerateIsDeterministicAndSized(t *testing.T) {
	const n = 1000
	a, err := Generate(n, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(n, 7)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different corpus (-first +second):\n%s", diff)
	}
	c, err := Generate(n, 8)
	if err != nil {
		t.Fatal(err)
	}
	if a[0].Text == c[0].Text {
		t.Errorf("got the same first article for seeds 7 and 8, want different ones")
	}
	chunks := 0
	for _, d := range a {
		if d.Lang != "fr" {
			t.Errorf("%s: got language %q, want fr", d.ID, d.Lang)
		}
		chunks += len(corpus.ChunkDocument(d, corpus.DefaultChunkOptions()))
	}
	if chunks < n*8/10 || chunks > n*12/10 {
		t.Errorf("got %d chunks, want %d ± 20%%", chunks, n)
	}
}

func TestQuestionsAreDeterministic(t *testing.T) {
	a, b := Questions(20, 3), Questions(20, 3)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different questions (-first +second):\n%s", diff)
	}
	for _, q := range a {
		if q == "" || q[len(q)-1] != '?' {
			t.Errorf("got question %q, want a sentence ending in ?", q)
		}
	}
}

func TestScanTopMatchesSort(t *testing.T) {
	// Four 2-d rows; the query favours the second coordinate.
	flat := []float32{1, 0, 0, 1, 0.6, 0.8, 0.8, 0.6}
	for name, dot := range map[string]func(a, b []float32) float32{"plain": dotPlain, "unrolled": dot4} {
		got := scanTop(flat, []float32{0, 1}, 3, dot)
		want := []int{1, 2, 3}
		for i, h := range got {
			if h.i != want[i] {
				t.Errorf("%s rank %d: got row %d, want %d", name, i, h.i, want[i])
			}
		}
		if len(got) != 3 {
			t.Errorf("%s: got %d hits, want 3", name, len(got))
		}
	}
}

func TestDotProductsAgree(t *testing.T) {
	// Small integers are exact in float32 whatever the order of the sums,
	// and the lengths cover the unrolled loop's remainder.
	for _, n := range []int{1, 3, 4, 7, 768} {
		a, b := make([]float32, n), make([]float32, n)
		for i := range n {
			a[i], b[i] = float32(i%7-3), float32(i%5-2)
		}
		if p, u := dotPlain(a, b), dot4(a, b); p != u {
			t.Errorf("length %d: got %v unrolled, want %v", n, u, p)
		}
	}
}
