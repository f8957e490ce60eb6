package retrieval

import (
	"context"
	"math"
	"slices"
	"testing"
)

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestHashedUnitNormAndDeterminism(t *testing.T) {
	h := NewHashed()
	texts := []string{
		"Le Royaume-Uni a annoncé un partenariat avec OpenAI.",
		"What did OpenAI offer to US federal employees?",
		"",
		"de la et le", // only stopwords
	}
	first, err := h.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := h.Embed(context.Background(), texts)
	for i, v := range first {
		if len(v) != h.Dim {
			t.Errorf("text %d: got dim %d, want %d", i, len(v), h.Dim)
		}
		if n := math.Sqrt(dot(v, v)); math.Abs(n-1) > 1e-5 {
			t.Errorf("text %d: got norm %v, want 1", i, n)
		}
		if !slices.Equal(v, again[i]) {
			t.Errorf("text %d: two embeddings of the same text differ", i)
		}
	}
	q := h.EmbedQuery(texts[1], func(string) float64 { return 2 })
	if n := math.Sqrt(dot(q, q)); math.Abs(n-1) > 1e-5 {
		t.Errorf("query: got norm %v, want 1", n)
	}
}

func TestHashedCognatesAreCloser(t *testing.T) {
	h := NewHashed()
	vs, err := h.Embed(context.Background(), []string{
		"federal employees investment",
		"employés fédéraux investissement",
		"recette du cassoulet traditionnel",
	})
	if err != nil {
		t.Fatal(err)
	}
	cognate, unrelated := dot(vs[0], vs[1]), dot(vs[0], vs[2])
	if cognate <= unrelated+0.1 {
		t.Errorf("got cognate similarity %.3f, unrelated %.3f; want cognates clearly closer", cognate, unrelated)
	}
}

func TestHashedQueryWeightsFavourRareWords(t *testing.T) {
	h := NewHashed()
	docs, _ := h.Embed(context.Background(), []string{"gouvernement Synthesia", "gouvernement britannique"})
	weight := func(term string) float64 {
		if term == "gouvern" {
			return 0.1 // everywhere in the corpus
		}
		return 3
	}
	q := h.EmbedQuery("gouvernement Synthesia", weight)
	if a, b := dot(q, docs[0]), dot(q, docs[1]); a <= b {
		t.Errorf("got %.3f for the rare word's passage, %.3f for the common one; want the rare word to win", a, b)
	}
}

// TestIndexVectorsAreEmbeds checks that indexing, which embeds with one
// session a core and its word cache across batches, stores exactly the
// vectors Embed returns, normalised as any embedder's are.
func TestIndexVectorsAreEmbeds(t *testing.T) {
	docs := clusterCorpus(t, 40) // more than one batch of 256 chunks
	ix, _, err := Open(context.Background(), docs, Options{Chunking: crashChunking, MinClustered: -1})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() <= 256 {
		t.Fatalf("got %d chunks, want more than one batch", ix.Len())
	}
	texts := make([]string, ix.Len())
	for r := range texts {
		texts[r] = ix.chunks.chunk(r).Text
	}
	vs, err := NewHashed().Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, ix.dim)
	for r, v := range vs {
		normalizeInto(want, v)
		if got := row(ix.vecs, ix.dim, r); !slices.Equal(got, want) {
			t.Fatalf("row %d: got another vector than Embed's", r)
		}
	}
}
