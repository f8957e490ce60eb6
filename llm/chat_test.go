package llm

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/llm/llmtest"
)

func ptr[T any](v T) *T { return &v }

func TestChatRequestBody(t *testing.T) {
	tests := []struct {
		name          string
		model         string
		req           ChatRequest
		wantTemp      *float64 // nil: the field must be absent
		wantMaxField  string   // "max_tokens", "max_completion_tokens" or ""
		wantMaxTokens int
	}{
		{"temperature 0 reaches the server", testChatModel,
			ChatRequest{Temperature: 0}, ptr(0.0), "", 0},
		{"non-zero temperature", testChatModel,
			ChatRequest{Temperature: 0.7}, ptr(0.7), "", 0},
		{"max tokens", testChatModel,
			ChatRequest{Temperature: 0.2, MaxTokens: 300}, ptr(0.2), "max_tokens", 300},
		{"another max tokens", testChatModel,
			ChatRequest{MaxTokens: 1024}, ptr(0.0), "max_tokens", 1024},
		{"reasoning model gets no temperature and max_completion_tokens", "o3-mini",
			ChatRequest{Temperature: 0, MaxTokens: 300}, nil, "max_completion_tokens", 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			c := newTestClient(t, s, &llmtest.Sleeps{}, func(c *Config) { c.ChatModel = tt.model })
			tt.req.Messages = userMessages("What is the capital of France?")
			if _, err := c.Chat(t.Context(), tt.req); err != nil {
				t.Fatalf("Chat: got error %v, want nil", err)
			}

			reqs := s.ChatRequests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Model != tt.model {
				t.Errorf("got model %q, want %q", got.Model, tt.model)
			}
			want := []llmtest.Message{
				{Role: "system", Content: "Answer briefly."},
				{Role: "user", Content: "What is the capital of France?"},
			}
			if diff := cmp.Diff(want, got.Messages); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantTemp, got.Temperature); diff != "" {
				t.Errorf("temperature mismatch (-want +got):\n%s", diff)
			}
			if auth := got.Header.Get("Authorization"); auth != "Bearer sk-test-secret" {
				t.Errorf("got Authorization %q, want %q", auth, "Bearer sk-test-secret")
			}
			if got.Stream {
				t.Error("got stream true, want false")
			}
			var body map[string]json.RawMessage
			if err := json.Unmarshal(got.Body, &body); err != nil {
				t.Fatalf("decode body: %v", err)
			}
			for _, field := range []string{"max_tokens", "max_completion_tokens"} {
				raw, ok := body[field]
				switch {
				case field == tt.wantMaxField && string(raw) != strconv.Itoa(tt.wantMaxTokens):
					t.Errorf("got %s %s, want %d", field, raw, tt.wantMaxTokens)
				case field != tt.wantMaxField && ok:
					t.Errorf("got %s %s, want it absent", field, raw)
				}
			}
		})
	}
}

// TestChatBodyCarriesLiteralZero checks the bytes, not a decoded value: a
// zero must be written out, not left to a server default.
func TestChatBodyCarriesLiteralZero(t *testing.T) {
	s := llmtest.New(t)
	c := newTestClient(t, s, &llmtest.Sleeps{}, nil)
	if _, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")}); err != nil {
		t.Fatalf("Chat: got error %v, want nil", err)
	}
	if body := string(s.ChatRequests()[0].Body); !strings.Contains(body, `"temperature":0`) {
		t.Errorf("got body %s, want it to contain \"temperature\":0", body)
	}
}

func TestChatResponse(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{
		Content:      "Paris [1].",
		Usage:        &llmtest.Usage{PromptTokens: 42, CompletionTokens: 3, TotalTokens: 45},
		FinishReason: "length",
	})
	c := newTestClient(t, s, &llmtest.Sleeps{}, nil)

	got, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("Capital of France?")})
	if err != nil {
		t.Fatalf("Chat: got error %v, want nil", err)
	}
	want := ChatResponse{
		Content:      "Paris [1].",
		Usage:        Usage{PromptTokens: 42, CompletionTokens: 3, TotalTokens: 45},
		FinishReason: "length",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
	if c.Model() != testChatModel {
		t.Errorf("got Model() %q, want %q", c.Model(), testChatModel)
	}
}

func TestChatNoChoices(t *testing.T) {
	c := rawClient(t, "application/json", `{"id":"x","object":"chat.completion","choices":[]}`)
	_, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")})
	if e := asError(t, err); e.Kind != KindBadResponse || !strings.Contains(e.Error(), "no choices") {
		t.Errorf("got %v (kind %v), want a bad response about no choices", err, e.Kind)
	}
}

func TestAzure(t *testing.T) {
	s := llmtest.New(t)
	c := newTestClient(t, s, &llmtest.Sleeps{}, func(c *Config) {
		c.Azure, c.BaseURL, c.ChatModel = true, strings.TrimSuffix(s.URL, "/v1"), "gpt-4o.prod"
	})
	if _, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")}); err != nil {
		t.Fatalf("Chat: got error %v, want nil", err)
	}
	got := s.ChatRequests()[0]
	wantURL := "/openai/deployments/gpt-4o.prod/chat/completions?api-version=" + DefaultAzureAPIVersion
	if got.URL != wantURL {
		t.Errorf("got URL %q, want %q", got.URL, wantURL)
	}
	if key := got.Header.Get("api-key"); key != "sk-test-secret" {
		t.Errorf("got api-key %q, want the configured key", key)
	}
	if auth := got.Header.Get("Authorization"); auth != "" {
		t.Errorf("got Authorization %q, want none", auth)
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"empty model", Config{BaseURL: "http://localhost:11434/v1", ChatModel: "  "}, "chat model is empty"},
		{"base url without scheme", Config{BaseURL: "localhost:11434", ChatModel: "m"}, "needs a scheme and a host"},
		{"unparsable base url", Config{BaseURL: "http://bad host/v1", ChatModel: "m"}, "parse base url"},
		{"azure without base url", Config{Azure: true, ChatModel: "m"}, "azure needs a base url"},
		{"default openai", Config{APIKey: "sk-x", ChatModel: "gpt-4o-mini"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.cfg)
			if tt.wantErr == "" {
				if err != nil || c.Model() != tt.cfg.ChatModel {
					t.Errorf("got %v, %v, want a client for %q", c, err, tt.cfg.ChatModel)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
