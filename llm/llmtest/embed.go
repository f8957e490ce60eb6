package llmtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
)

// Dim is the dimension of the vectors the fake embeddings endpoint serves.
const Dim = 8

// EmbeddingRequest is an embeddings request as it arrived on the wire.
type EmbeddingRequest struct {
	Model  string
	Input  []string
	Header http.Header
}

// Embedding is one item of an embeddings response, exposed so that an
// EmbedReply can make the server misbehave (drop, reorder or corrupt items).
type Embedding struct {
	Index  int
	Vector []float32
}

// EmbedReply scripts the outcome of one embeddings call.
type EmbedReply struct {
	// Status, when non-zero, answers this HTTP status with an OpenAI-style
	// error JSON instead of vectors.
	Status int
	// RetryAfter is the Retry-After header value sent with Status.
	RetryAfter string
	// Body, with Status, replaces the error JSON (e.g. a proxy's HTML page).
	Body string
	// Block holds the request until the client gives up.
	Block bool
	// Edit, when set, rewrites the items (one per input, Index = position,
	// Vector = Vector(input)) before they are sent.
	Edit func(items []Embedding) []Embedding
}

// Vector is the deterministic, not normalised vector the server returns for
// text: different texts get different vectors, so misordered results show,
// and tests can compute the expected output.
func Vector(text string) []float32 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(text))
	seed := h.Sum64()
	v := make([]float32, Dim)
	for i := range v {
		v[i] = float32((seed>>(8*i))&0xff) + 1
	}
	return v
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	req, err := decodeEmbeddings(r)
	if err != nil {
		if r.Context().Err() != nil {
			return // the client gave up while sending: its test expects that
		}
		s.t.Errorf("llmtest: decode embeddings request: %v", err)
		writeError(w, http.StatusBadRequest, "", "", err.Error())
		return
	}
	s.mu.Lock()
	s.embeds = append(s.embeds, req)
	reply, _ := pop(&s.embedReplies)
	s.mu.Unlock()

	switch {
	case reply.Block:
		s.hold(r)
	case reply.Status != 0 && reply.Body != "":
		w.WriteHeader(reply.Status)
		_, _ = io.WriteString(w, reply.Body)
	case reply.Status != 0:
		writeError(w, reply.Status, reply.RetryAfter, "", "")
	default:
		writeVectors(w, req, reply.Edit)
	}
}

func writeVectors(w http.ResponseWriter, req EmbeddingRequest, edit func([]Embedding) []Embedding) {
	items := make([]Embedding, len(req.Input))
	for i, text := range req.Input {
		items[i] = Embedding{Index: i, Vector: Vector(text)}
	}
	if edit != nil {
		items = edit(items)
	}
	data := make([]map[string]any, len(items))
	for i, it := range items {
		data[i] = map[string]any{"object": "embedding", "index": it.Index, "embedding": it.Vector}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"object": "list",
		"data":   data,
		"model":  req.Model,
		"usage":  map[string]int{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)},
	})
}

// decodeEmbeddings accepts "input" as a string or an array of strings, the
// two forms clients send for text.
func decodeEmbeddings(r *http.Request) (EmbeddingRequest, error) {
	var body struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return EmbeddingRequest{}, err
	}
	req := EmbeddingRequest{Model: body.Model, Header: r.Header.Clone()}
	var one string
	if err := json.Unmarshal(body.Input, &one); err == nil {
		req.Input = []string{one}
		return req, nil
	}
	if err := json.Unmarshal(body.Input, &req.Input); err != nil {
		return EmbeddingRequest{}, fmt.Errorf("input: %w", err)
	}
	return req, nil
}
