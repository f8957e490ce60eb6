package llm

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// fakeDim is the dimension of the vectors served by fakeServer.
const fakeDim = 8

// fakeItem is one entry of the "data" array of an embeddings response.
type fakeItem struct {
	Object    string    `json:"object"`
	Index     int       `json:"index"`
	Embedding []float32 `json:"embedding"`
}

// recordedRequest is what the fake server saw in one embeddings request.
type recordedRequest struct {
	Model string
	Input []string
	Auth  string
}

// fakeServer is an in-process OpenAI-compatible /v1/embeddings server.
type fakeServer struct {
	*httptest.Server
	t *testing.T

	// status, when non-zero, makes every request fail with that status and
	// errBody as body (an OpenAI-style error JSON when errBody is empty).
	status  int
	errBody string
	// tweak, when set, rewrites the data items of request number call
	// (0-based) before they are sent, to simulate misbehaving servers.
	tweak func(call int, data []fakeItem) []fakeItem
	// started, when set, receives a value once a request has been decoded;
	// the handler then blocks until the client goes away.
	started chan struct{}

	// release unblocks handlers stuck on started when the test ends, so a
	// failing cancellation test cannot hang in server shutdown.
	release chan struct{}

	mu   sync.Mutex
	reqs []recordedRequest
}

// newFakeServer starts a fake server configured by setup and stops it when
// the test ends.
func newFakeServer(t *testing.T, setup func(*fakeServer)) *fakeServer {
	t.Helper()
	fs := &fakeServer{t: t, release: make(chan struct{})}
	if setup != nil {
		setup(fs)
	}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.handle))
	t.Cleanup(fs.Close)
	t.Cleanup(func() { close(fs.release) }) // runs before fs.Close
	return fs
}

// requests returns a copy of the requests seen so far.
func (fs *fakeServer) requests() []recordedRequest {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]recordedRequest(nil), fs.reqs...)
}

func (fs *fakeServer) handle(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		fs.t.Errorf("got %s %s, want POST /v1/embeddings", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	var body struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fs.t.Errorf("decode request body: %v", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fs.mu.Lock()
	call := len(fs.reqs)
	fs.reqs = append(fs.reqs, recordedRequest{body.Model, body.Input, r.Header.Get("Authorization")})
	fs.mu.Unlock()

	if fs.started != nil {
		select {
		case fs.started <- struct{}{}:
		case <-fs.release:
		}
		select {
		case <-r.Context().Done():
		case <-fs.release:
		}
		return
	}
	if fs.status != 0 {
		fs.writeError(w)
		return
	}
	data := make([]fakeItem, len(body.Input))
	for i, text := range body.Input {
		data[i] = fakeItem{Object: "embedding", Index: i, Embedding: fakeVector(text)}
	}
	if fs.tweak != nil {
		data = fs.tweak(call, data)
	}
	w.Header().Set("Content-Type", "application/json")
	err := json.NewEncoder(w).Encode(map[string]any{
		"object": "list",
		"data":   data,
		"model":  body.Model,
		"usage":  map[string]int{"prompt_tokens": len(body.Input), "total_tokens": len(body.Input)},
	})
	if err != nil {
		fs.t.Errorf("encode response: %v", err)
	}
}

func (fs *fakeServer) writeError(w http.ResponseWriter) {
	body := fs.errBody
	if body == "" {
		body = `{"error":{"message":"fake failure","type":"invalid_request_error","param":null,"code":"fake_code"}}`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(fs.status)
	_, _ = w.Write([]byte(body))
}

// fakeVector derives a deterministic, non-zero, not yet normalised vector
// from text, so that two different texts get different vectors and a
// misordered result is detected.
func fakeVector(text string) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(text))
	seed := h.Sum64()
	v := make([]float32, fakeDim)
	for i := range v {
		v[i] = float32((seed>>(8*i))&0xff) + 1
	}
	return v
}

// reverseItems returns data in reverse order, keeping each item's index.
func reverseItems(_ int, data []fakeItem) []fakeItem {
	out := make([]fakeItem, len(data))
	for i, d := range data {
		out[len(data)-1-i] = d
	}
	return out
}
