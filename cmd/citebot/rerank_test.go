package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// CITEBOT_RERANK_URL puts a rerank endpoint between retrieval and the
// answerer, with the model and key configured; when it fails, the answer
// comes from the fused ranking with a warning.
func TestAskWithARerankEndpoint(t *testing.T) {
	for _, failing := range []bool{false, true} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			var req struct {
				Model     string   `json:"model"`
				Documents []string `json:"documents"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			if req.Model != "rr-model" || r.Header.Get("Authorization") != "Bearer rr-key" {
				t.Errorf("got model %q, auth %q; want the configured ones", req.Model, r.Header.Get("Authorization"))
			}
			if failing {
				http.Error(w, "down", http.StatusBadGateway)
				return
			}
			type res struct {
				Index int     `json:"index"`
				Score float64 `json:"relevance_score"`
			}
			out := struct{ Results []res }{}
			for i := range req.Documents {
				out.Results = append(out.Results, res{i, float64(-i)}) // keep the order
			}
			json.NewEncoder(w).Encode(map[string]any{"results": out.Results})
		}))
		env := map[string]string{"CITEBOT_RERANK_URL": srv.URL, "CITEBOT_RERANK_MODEL": "rr-model", "CITEBOT_RERANK_API_KEY": "rr-key"}
		out, stderr, code := cli(t, env, "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
		srv.Close()
		if code != 0 || !strings.Contains(out, "[1]") || calls.Load() == 0 {
			t.Errorf("failing %v: got exit %d, %d rerank calls, %q; want a cited answer after reranking", failing, code, calls.Load(), out)
		}
		if failing != strings.Contains(stderr, "reranking failed") {
			t.Errorf("failing %v: got stderr %q; want a warning exactly when the endpoint fails", failing, stderr)
		}
	}
}
