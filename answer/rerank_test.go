package answer

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/citebot/citebot/rerank"
)

// rerankServer scores each document 1 when it contains word, else 0, in
// the common rerank reply shape; it counts the calls.
func rerankServer(t *testing.T, word string, calls *int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*calls++
		var req struct{ Documents []string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Error(err)
		}
		type result struct {
			Index int     `json:"index"`
			Score float64 `json:"relevance_score"`
		}
		var out struct {
			Results []result `json:"results"`
		}
		for i, d := range req.Documents {
			s := 0.0
			if strings.Contains(d, word) {
				s = 1
			}
			out.Results = append(out.Results, result{i, s})
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A reranker reorders what retrieval found: the passages it scores best
// come first, from a pool larger than k.
func TestRerankedPromotesWhatTheScorerPrefers(t *testing.T) {
	ix := testIndex(t)
	q := "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"
	pool, err := ix.Search(context.Background(), q, 3*rerankPool)
	if err != nil || len(pool) < 3*rerankPool {
		t.Fatalf("got %d passages, %v; want a full pool", len(pool), err)
	}
	// The reranker prefers the pool's last passage, far below the top 3.
	favourite := pool[len(pool)-1].Chunk
	var calls int
	srv := rerankServer(t, favourite.Text, &calls)
	got, err := Reranked(ix, &rerank.Client{URL: srv.URL}, nil).Search(context.Background(), q, 3)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || len(got) != 3 {
		t.Fatalf("got %d calls and %d results, want 1 and 3", calls, len(got))
	}
	if got[0].Chunk.ID != favourite.ID {
		t.Errorf("got %s first, want %s, the passage the reranker scored best", got[0].Chunk.ID, favourite.ID)
	}
	if got[1].Chunk.ID != pool[0].Chunk.ID {
		t.Errorf("got %s second, want %s: ties keep retrieval's order", got[1].Chunk.ID, pool[0].Chunk.ID)
	}
}

// A failing reranker costs nothing: the fused ranking is kept.
func TestRerankedKeepsTheFusedRankingOnFailure(t *testing.T) {
	ix := testIndex(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", 503) }))
	defer srv.Close()
	q := "Combien d'argent OpenAI a-t-elle levé en mars ?"
	got, err := Reranked(ix, &rerank.Client{URL: srv.URL}, nil).Search(context.Background(), q, 4)
	want, _ := ix.Search(context.Background(), q, 4)
	if err != nil || len(got) != len(want) {
		t.Fatalf("got %d results, %v; want %d and no error", len(got), err, len(want))
	}
	for i := range want {
		if got[i].Chunk.ID != want[i].Chunk.ID {
			t.Errorf("result %d: got %s, want %s (the fused ranking)", i, got[i].Chunk.ID, want[i].Chunk.ID)
		}
	}
}
