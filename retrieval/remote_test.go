package retrieval

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/citebot/citebot/llm"
)

// fakeEmbeddings is an OpenAI-compatible /v1/embeddings endpoint that
// records each request's inputs.
type fakeEmbeddings struct {
	mu       sync.Mutex
	requests [][]string
	models   []string
}

func (f *fakeEmbeddings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	if r.URL.Path != "/v1/embeddings" || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req.Input)
	f.models = append(f.models, req.Model)
	f.mu.Unlock()
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	data := make([]item, len(req.Input))
	for i, text := range req.Input {
		h := fnv.New64a()
		h.Write([]byte(text))
		s := h.Sum64()
		data[i] = item{"embedding", i, []float32{float32(s%97) + 1, float32(s%89) + 1, float32(s%83) + 1}}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model})
}

func (f *fakeEmbeddings) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func TestRemoteEmbedderIsBatched(t *testing.T) {
	fake := &fakeEmbeddings{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	emb, err := llm.NewEmbedder(llm.Config{BaseURL: srv.URL + "/v1", EmbedModel: "test-embed", BatchSize: 4, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, st, _ := open(t, dir, testDocs(t, baseTexts), emb)
	n := ix.Len()
	if n <= 4 {
		t.Fatalf("fixture has %d chunks; the test needs more than one batch", n)
	}
	wantRequests := (n + 3) / 4
	if got := fake.count(); got != wantRequests || st.Embedded != n {
		t.Errorf("got %d requests for %d chunks, want %d", got, n, wantRequests)
	}
	seen := 0
	for i, inputs := range fake.requests {
		if len(inputs) > 4 || (i < len(fake.requests)-1 && len(inputs) != 4) {
			t.Errorf("request %d: got %d inputs, want full batches of 4", i, len(inputs))
		}
		if fake.models[i] != "test-embed" {
			t.Errorf("request %d: got model %q, want test-embed", i, fake.models[i])
		}
		seen += len(inputs)
	}
	if seen != n {
		t.Errorf("got %d texts sent, want %d", seen, n)
	}

	// A question costs one request; an unchanged corpus costs none.
	before := fake.count()
	if _, err := ix.Search(context.Background(), "Synthesia", 2); err != nil {
		t.Fatal(err)
	}
	if got := fake.count() - before; got != 1 {
		t.Errorf("got %d requests for one question, want 1", got)
	}
	before = fake.count()
	if _, st, _ := open(t, dir, testDocs(t, baseTexts), emb); !st.Loaded || fake.count() != before {
		t.Errorf("reopen: got %+v and %d new requests, want a load with none", st, fake.count()-before)
	}
}
