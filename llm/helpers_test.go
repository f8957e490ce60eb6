package llm

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/citebot/citebot/llm/llmtest"
)

const (
	testEmbedModel = "test-embed-model"
	testChatModel  = "test-chat-model"
)

// testConfig points a Config at s with a sleep recorder and a short
// timeout; edit adjusts it for one test.
func testConfig(s *llmtest.Server, rec *llmtest.Sleeps, edit func(*Config)) Config {
	cfg := Config{
		APIKey:     "sk-test-secret",
		BaseURL:    s.URL,
		ChatModel:  testChatModel,
		EmbedModel: testEmbedModel,
		HTTPClient: s.Client(),
		Timeout:    10 * time.Second, // a guard: tests that time out set their own
		Retry:      RetryPolicy{Sleep: rec.Sleep},
	}
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

func newTestClient(t *testing.T, s *llmtest.Server, rec *llmtest.Sleeps, edit func(*Config)) *Client {
	t.Helper()
	c, err := NewClient(testConfig(s, rec, edit))
	if err != nil {
		t.Fatalf("NewClient: got error %v, want nil", err)
	}
	return c
}

func newTestEmbedder(t *testing.T, s *llmtest.Server, rec *llmtest.Sleeps, edit func(*Config)) *Embedder {
	t.Helper()
	e, err := NewEmbedder(testConfig(s, rec, edit))
	if err != nil {
		t.Fatalf("NewEmbedder: got error %v, want nil", err)
	}
	return e
}

// rawClient is a client of a server that answers every request with body,
// for replies the fake cannot script (no choices, a stream that just stops).
func rawClient(t *testing.T, contentType, body string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(Config{BaseURL: srv.URL + "/v1", ChatModel: "m", HTTPClient: srv.Client(),
		Retry: RetryPolicy{Sleep: (&llmtest.Sleeps{}).Sleep}})
	if err != nil {
		t.Fatalf("NewClient: got error %v, want nil", err)
	}
	return c
}

// asError returns err as an *Error or fails the test.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got error %v (%T), want *Error", err, err)
	}
	return e
}

// userMessages is a one-question conversation.
func userMessages(q string) []Message {
	return []Message{{Role: "system", Content: "Answer briefly."}, {Role: "user", Content: q}}
}
