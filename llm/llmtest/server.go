// Package llmtest is an in-process fake of the OpenAI HTTP API for tests.
//
// It exists so that every package of citebot can test code that talks to a
// language model without the internet, an API key or sleeps: answers,
// failures, timeouts and broken streams are scripted per call, and what the
// client sent is recorded for assertions. It decodes the wire format itself
// and never imports go-openai, so it checks what actually travels on the
// wire rather than what the SDK meant to send.
package llmtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server is a running fake API. Tests point a client at URL (with Client
// as its HTTP client) and script it with Reply, SetDefault and
// ReplyEmbeddings. All methods are safe for concurrent use, because the
// code under test often calls the server from several goroutines.
type Server struct {
	// URL is the API root including "/v1", ready for Config.BaseURL.
	URL string

	t       testing.TB
	srv     *httptest.Server
	done    chan struct{} // closed at cleanup to release Block replies
	blocked chan struct{}

	mu           sync.Mutex
	replies      []Reply
	defaultReply func(ChatRequest) Reply
	embedReplies []EmbedReply
	chats        []ChatRequest
	embeds       []EmbeddingRequest
}

// New starts a fake server and stops it when the test ends. Blocked
// requests are released first, so a test that fails while a request is held
// cannot hang in shutdown.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:            t,
		done:         make(chan struct{}),
		blocked:      make(chan struct{}, 64),
		defaultReply: func(ChatRequest) Reply { return Reply{Content: "ok"} },
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.route))
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() { close(s.done) }) // cleanups run last-in first-out
	return s
}

// Client returns an HTTP client suited to the server, so tests need not
// care whether it listens with TLS.
func (s *Server) Client() *http.Client {
	return s.srv.Client()
}

// Reply queues scripted answers for the next chat calls, consumed in order,
// so a test can describe a sequence such as "429, then success". When the
// queue is empty the default reply answers.
func (s *Server) Reply(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, replies...)
}

// SetDefault computes the answer of chat calls that find the queue empty,
// so tests of a pipeline can answer from the prompt (quote a passage, say)
// however many calls it makes. The built-in default answers "ok".
func (s *Server) SetDefault(f func(req ChatRequest) Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultReply = f
}

// ReplyEmbeddings queues scripted outcomes for the next embeddings calls,
// consumed in order; with an empty queue every call succeeds.
func (s *Server) ReplyEmbeddings(replies ...EmbedReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedReplies = append(s.embedReplies, replies...)
}

// pop takes the next scripted reply off queue; ok is false when the queue
// is empty. The caller holds s.mu.
func pop[T any](queue *[]T) (next T, ok bool) {
	if len(*queue) == 0 {
		return next, false
	}
	next, *queue = (*queue)[0], (*queue)[1:]
	return next, true
}

// ChatRequests returns the chat requests received so far, in arrival order,
// so tests can check what the client really sent and how often it retried.
func (s *Server) ChatRequests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.chats...)
}

// EmbeddingRequests returns the inputs of each embeddings request received
// so far, in arrival order, which is what batching tests look at.
func (s *Server) EmbeddingRequests() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]string, len(s.embeds))
	for i, r := range s.embeds {
		out[i] = r.Input
	}
	return out
}

// EmbeddingCalls returns the embeddings requests received so far with their
// model and headers, for tests that check more than the inputs.
func (s *Server) EmbeddingCalls() []EmbeddingRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]EmbeddingRequest(nil), s.embeds...)
}

// Blocked receives one value each time a Block reply starts holding a
// request, so a test can cancel its context exactly while the request is in
// flight instead of guessing with a sleep.
func (s *Server) Blocked() <-chan struct{} {
	return s.blocked
}

// route dispatches on the path suffix, so that Azure-style paths
// (/openai/deployments/NAME/chat/completions) reach the same handlers.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/chat/completions"):
		s.chat(w, r)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/embeddings"):
		s.embeddings(w, r)
	default:
		s.t.Errorf("llmtest: got %s %s, want POST .../chat/completions or .../embeddings", r.Method, r.URL.Path)
		writeError(w, http.StatusNotFound, "", "", "unknown route")
	}
}

// hold keeps a request open until the client goes away or the test ends,
// which is how timeouts are tested without sleeping.
func (s *Server) hold(r *http.Request) {
	select {
	case s.blocked <- struct{}{}:
	default: // nobody is listening and the buffer is full: do not stall
	}
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

// writeError answers status with an OpenAI-style error body, the shape
// clients parse to tell a bad key from a missing model.
func writeError(w http.ResponseWriter, status int, retryAfter, code, message string) {
	typ := "invalid_request_error"
	switch {
	case status == http.StatusTooManyRequests:
		typ, code = "requests", orDefault(code, "rate_limit_exceeded")
		message = orDefault(message, "Rate limit reached for requests")
	case status >= 500:
		typ = "server_error"
		message = orDefault(message, "The server had an error while processing your request.")
	case status == http.StatusUnauthorized:
		code = orDefault(code, "invalid_api_key")
		message = orDefault(message, "Incorrect API key provided.")
	case status == http.StatusNotFound:
		code = orDefault(code, "model_not_found")
		message = orDefault(message, "The model does not exist or you do not have access to it.")
	}
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	var codeValue any
	if code != "" {
		codeValue = code
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": orDefault(message, http.StatusText(status)),
		"type":    typ,
		"param":   nil,
		"code":    codeValue,
	}})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
