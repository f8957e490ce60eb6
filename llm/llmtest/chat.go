package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Message is one chat message as received, mirroring llm.Message.
type Message struct {
	Role, Content string
}

// Usage is the token accounting the server reports, mirroring llm.Usage.
type Usage struct {
	PromptTokens, CompletionTokens, TotalTokens int
}

// ChatRequest is a chat completion request as it arrived on the wire, so
// tests assert on what the server saw rather than on what the client meant.
type ChatRequest struct {
	Model    string
	Messages []Message
	Stream   bool
	// Temperature is nil when the body had no "temperature" field, which
	// is how a dropped zero shows up.
	Temperature *float64
	// MaxTokens is max_tokens or, when that is absent, max_completion_tokens;
	// 0 when neither was sent.
	MaxTokens int
	// IncludeUsage reports stream_options.include_usage.
	IncludeUsage bool
	// Header holds the request headers (Authorization, api-key...).
	Header http.Header
	// URL is the request URI with its query, e.g. to check an Azure
	// deployment path and api-version.
	URL string
	// Body is the raw JSON body, for checks the fields above do not cover.
	Body []byte
}

// Reply scripts the answer to one chat call.
type Reply struct {
	// Content is the answer text, streamed in chunks of a few words (see
	// Chunks) when the request asks for a stream. With Status set it is
	// the error message instead.
	Content string
	// Status, when non-zero, answers this HTTP status with an OpenAI-style
	// error JSON instead of an answer.
	Status int
	// ErrorCode is the "code" of the error JSON; empty means a typical code
	// for Status (e.g. "rate_limit_exceeded" for 429).
	ErrorCode string
	// RetryAfter is the Retry-After header value sent with Status.
	RetryAfter string
	// Block holds the request until the client gives up, to test timeouts
	// and cancellation without sleeping (see Server.Blocked).
	Block bool
	// BreakAfter, for a stream, sends this many content chunks and then
	// cuts the connection, to test failures after text was shown.
	BreakAfter int
	// Malformed sends a chunk that is not valid JSON (for a plain request,
	// a body that is not valid JSON).
	Malformed bool
	// Usage overrides the usage reported; nil means word counts of the
	// prompt and the answer. A stream reports usage only when asked to.
	Usage *Usage
	// FinishReason overrides "stop".
	FinishReason string
}

// wireChat is the subset of the request body the fake understands.
type wireChat struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Stream              bool     `json:"stream"`
	Temperature         *float64 `json:"temperature"`
	MaxTokens           int      `json:"max_tokens"`
	MaxCompletionTokens int      `json:"max_completion_tokens"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	req, err := decodeChat(r)
	if err != nil {
		if r.Context().Err() != nil {
			return // the client gave up while sending: its test expects that
		}
		s.t.Errorf("llmtest: decode chat request: %v", err)
		writeError(w, http.StatusBadRequest, "", "", err.Error())
		return
	}
	s.mu.Lock()
	s.chats = append(s.chats, req)
	reply, ok := pop(&s.replies)
	if !ok {
		reply = s.defaultReply(req)
	}
	s.mu.Unlock()

	switch {
	case reply.Block:
		s.hold(r)
	case reply.Status != 0:
		msg := reply.Content
		if msg == "" && reply.Status == http.StatusNotFound {
			msg = fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", req.Model)
		}
		writeError(w, reply.Status, reply.RetryAfter, reply.ErrorCode, msg)
	case req.Stream:
		stream(w, req, reply)
	default:
		answer(w, req, reply)
	}
}

func decodeChat(r *http.Request) (ChatRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return ChatRequest{}, err
	}
	var wc wireChat
	if err := json.Unmarshal(body, &wc); err != nil {
		return ChatRequest{}, err
	}
	req := ChatRequest{
		Model:       wc.Model,
		Stream:      wc.Stream,
		Temperature: wc.Temperature,
		MaxTokens:   wc.MaxTokens,
		Header:      r.Header.Clone(),
		URL:         r.URL.RequestURI(),
		Body:        body,
	}
	if req.MaxTokens == 0 {
		req.MaxTokens = wc.MaxCompletionTokens
	}
	if wc.StreamOptions != nil {
		req.IncludeUsage = wc.StreamOptions.IncludeUsage
	}
	for _, m := range wc.Messages {
		text, err := messageText(m.Content)
		if err != nil {
			return ChatRequest{}, fmt.Errorf("message content: %w", err)
		}
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: text})
	}
	return req, nil
}

// messageText accepts both content forms of the API: a string, or an array
// of parts whose text parts are concatenated.
func messageText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String(), nil
}

// answer writes a plain (non-streamed) chat completion.
func answer(w http.ResponseWriter, req ChatRequest, reply Reply) {
	w.Header().Set("Content-Type", "application/json")
	if reply.Malformed {
		_, _ = io.WriteString(w, `{"id":"chatcmpl-fake","choices":[{"message":}]}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id":      "chatcmpl-fake",
		"object":  "chat.completion",
		"created": 0,
		"model":   req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": reply.Content},
			"finish_reason": orDefault(reply.FinishReason, "stop"),
		}},
		"usage": wireUsage(usageFor(req, reply)),
	})
}

// usageFor counts words as tokens unless the reply says otherwise, so
// usage is deterministic and non-zero without a tokenizer.
func usageFor(req ChatRequest, reply Reply) Usage {
	if reply.Usage != nil {
		return *reply.Usage
	}
	var prompt int
	for _, m := range req.Messages {
		prompt += len(strings.Fields(m.Content))
	}
	completion := len(strings.Fields(reply.Content))
	return Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

func wireUsage(u Usage) map[string]int {
	return map[string]int{
		"prompt_tokens":     u.PromptTokens,
		"completion_tokens": u.CompletionTokens,
		"total_tokens":      u.TotalTokens,
	}
}
