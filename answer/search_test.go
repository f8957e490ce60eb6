package answer

import (
	"context"
	"slices"
	"testing"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

func results(ids ...string) []retrieval.Result {
	var out []retrieval.Result
	for _, id := range ids {
		out = append(out, retrieval.Result{Chunk: corpus.Chunk{ID: id}})
	}
	return out
}

func ids(rs []retrieval.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Chunk.ID)
	}
	return out
}

func TestAddBest(t *testing.T) {
	tests := []struct {
		name           string
		passages, more []retrieval.Result
		n              int
		want           []string
	}{
		{"new ones are appended", results("a", "b"), results("c", "d", "e"), 2, []string{"a", "b", "c", "d"}},
		{"ones already there are not repeated", results("a", "b"), results("b", "c"), 2, []string{"a", "b", "c"}},
		{"only the first n are looked at", results("a"), results("a", "b", "c"), 1, []string{"a"}},
		{"a short list", results("a"), results("b"), 2, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(addBest(tt.passages, tt.more, tt.n)); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// A question that asks two things is searched part by part as well: the
// answerer is handed the question's own passages, first and in order,
// then the best passages of each part it lacks.
func TestTwoPartQuestionsHandEachPartsBestPassages(t *testing.T) {
	ix := testIndex(t)
	ctx := context.Background()
	q := "Où a eu lieu le premier sommet sur la sécurité de l'IA, et combien d'emplois Kyndryl va-t-il créer ?"
	found, err := search(ctx, ix, []string{q}, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(found.handed[:len(found.asked)]); !slices.Equal(got, ids(found.asked)) {
		t.Errorf("got %v first, want the question's own passages %v", got, ids(found.asked))
	}
	parts := partQueries(q, ix.IDF, properWords(found.asked))
	if len(parts) != 2 {
		t.Fatalf("got parts %q, want two", parts)
	}
	for _, part := range parts {
		best, err := ix.Search(ctx, part, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(ids(found.handed), best[0].Chunk.ID) {
			t.Errorf("part %q: its best passage %s is not handed (%v)", part, best[0].Chunk.ID, ids(found.handed))
		}
	}
}

func TestPartQueries(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		name, q string
		want    []string
	}{
		{"one question", "Combien d'argent Mistral a-t-elle levé ?", nil},
		{"two questions", "Où a eu lieu le sommet, et qui l'organise ?",
			[]string{"Où a eu lieu le sommet", "qui l'organise ? lieu sommet"}},
		{"coordinated names", "Quelles fonctions occupent Peter Kyle et Bruno Le Maire ?",
			[]string{"Quelles fonctions occupent Peter Kyle", "Bruno Le Maire ? fonctions occupent"}},
		{"a relation is one question", "Quel accord entre OpenAI et Londres ?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := partQueries(tt.q, ix.IDF, nil); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
