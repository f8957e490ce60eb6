package llm

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/llm/llmtest"
)

const longAnswer = "The Eiffel Tower is 330 metres tall [1] and was finished in 1889 [2]."

// collect returns an onDelta that appends to *deltas. onDelta runs on the
// caller's goroutine, so no lock is needed.
func collect(deltas *[]string) func(string) {
	return func(d string) { *deltas = append(*deltas, d) }
}

func TestChatStream(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Content: longAnswer})
	c := newTestClient(t, s, &llmtest.Sleeps{}, nil)

	var deltas []string
	got, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("How tall?")}, collect(&deltas))
	if err != nil {
		t.Fatalf("ChatStream: got error %v, want nil", err)
	}
	if want := llmtest.Chunks(longAnswer); len(want) < 3 || !cmp.Equal(want, deltas) {
		t.Errorf("got deltas %q, want %q (at least 3)", deltas, want)
	}
	// Usage is word counts: 2+2 prompt words, 14 answer words.
	want := ChatResponse{
		Content:      longAnswer,
		Usage:        Usage{PromptTokens: 4, CompletionTokens: 14, TotalTokens: 18},
		FinishReason: "stop",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
	req := s.ChatRequests()[0]
	if !req.Stream || !req.IncludeUsage {
		t.Errorf("got stream %v include_usage %v, want both true", req.Stream, req.IncludeUsage)
	}
	if req.Temperature == nil || *req.Temperature != 0 {
		t.Errorf("got temperature %v, want 0", req.Temperature)
	}
}

func TestChatStreamNilOnDelta(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Content: longAnswer})
	c := newTestClient(t, s, &llmtest.Sleeps{}, nil)
	got, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("q")}, nil)
	if err != nil || got.Content != longAnswer {
		t.Errorf("got %q, %v, want %q, nil", got.Content, err, longAnswer)
	}
}

// TestChatStreamOptionsRejected covers servers that refuse stream_options:
// the call is repeated without it and succeeds with zero usage.
func TestChatStreamOptionsRejected(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(
		llmtest.Reply{Status: http.StatusBadRequest, Content: "Unrecognized request argument supplied: stream_options"},
		llmtest.Reply{Content: "fine"},
	)
	rec := &llmtest.Sleeps{}
	c := newTestClient(t, s, rec, nil)
	got, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("q")}, nil)
	if err != nil {
		t.Fatalf("ChatStream: got error %v, want nil", err)
	}
	if got.Content != "fine" || got.Usage != (Usage{}) {
		t.Errorf("got %+v, want content \"fine\" and zero usage", got)
	}
	reqs := s.ChatRequests()
	if len(reqs) != 2 || !reqs[0].IncludeUsage || reqs[1].IncludeUsage {
		t.Errorf("got %d requests, want 2: with include_usage, then without", len(reqs))
	}
	if n := len(rec.Recorded()); n != 0 {
		t.Errorf("got %d retry waits, want 0", n)
	}
}

func TestChatStreamRetriesBeforeFirstDelta(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Status: http.StatusServiceUnavailable}, llmtest.Reply{Content: longAnswer})
	rec := &llmtest.Sleeps{}
	c := newTestClient(t, s, rec, nil)

	var deltas []string
	got, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("q")}, collect(&deltas))
	if err != nil {
		t.Fatalf("ChatStream: got error %v, want nil", err)
	}
	if got.Content != longAnswer || strings.Join(deltas, "") != longAnswer {
		t.Errorf("got content %q and deltas %q, want %q once", got.Content, deltas, longAnswer)
	}
	if n := len(s.ChatRequests()); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
	if n := len(rec.Recorded()); n != 1 {
		t.Errorf("got %d retry waits, want 1", n)
	}
}

func TestChatStreamFailures(t *testing.T) {
	tests := []struct {
		name         string
		reply        llmtest.Reply
		edit         func(*Config)
		wantKind     ErrorKind
		wantDeltas   []string
		wantRequests int
		wantMsg      string
	}{
		{"malformed chunk", llmtest.Reply{Content: longAnswer, Malformed: true}, nil,
			KindBadResponse, nil, 1, "unexpected response from"},
		{"connection cut after two chunks is not retried", llmtest.Reply{Content: longAnswer, BreakAfter: 2}, nil,
			KindUnavailable, llmtest.Chunks(longAnswer)[:2], 1, "connection closed"},
		{"silent server times out", llmtest.Reply{Block: true},
			func(c *Config) { c.Timeout, c.Retry.MaxAttempts = 50*time.Millisecond, 2 },
			KindTimeout, nil, 2, "within 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			s.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return tt.reply })
			rec := &llmtest.Sleeps{}
			c := newTestClient(t, s, rec, tt.edit)

			var deltas []string
			got, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("q")}, collect(&deltas))
			if err == nil {
				t.Fatalf("got %+v, nil, want an error", got)
			}
			e := asError(t, err)
			if e.Kind != tt.wantKind || !strings.Contains(e.Error(), tt.wantMsg) {
				t.Errorf("got %q (kind %v), want kind %v and a message containing %q", e, e.Kind, tt.wantKind, tt.wantMsg)
			}
			if !cmp.Equal(tt.wantDeltas, deltas) {
				t.Errorf("got deltas %q, want %q", deltas, tt.wantDeltas)
			}
			if n := len(s.ChatRequests()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
			if n := len(rec.Recorded()); n != tt.wantRequests-1 {
				t.Errorf("got %d retry waits, want %d", n, tt.wantRequests-1)
			}
		})
	}
}

// TestChatStreamWithoutFinish covers a stream that ends cleanly but early:
// go-openai reports it as a normal end.
func TestChatStreamWithoutFinish(t *testing.T) {
	c := rawClient(t, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half an\"}}]}\n\n")
	_, err := c.ChatStream(t.Context(), ChatRequest{Messages: userMessages("q")}, nil)
	if e := asError(t, err); e.Kind != KindBadResponse || !strings.Contains(e.Error(), "finish reason") {
		t.Errorf("got %v (kind %v), want a bad response about the finish reason", err, e.Kind)
	}
}

// A server that ignores max_tokens cannot make citebot read without end:
// past MaxBytes the answer is cut on a character boundary, streamed or
// not, and reported as finished by length.
func TestMaxBytesCutsTheAnswer(t *testing.T) {
	long := strings.Repeat("Réponse très longue ", 500) // 10,500 bytes
	for _, stream := range []bool{true, false} {
		s := llmtest.New(t)
		s.Reply(llmtest.Reply{Content: long})
		c := newTestClient(t, s, &llmtest.Sleeps{}, nil)
		req := ChatRequest{Messages: userMessages("q"), MaxBytes: 1001}
		var got ChatResponse
		var err error
		var deltas []string
		if stream {
			got, err = c.ChatStream(t.Context(), req, collect(&deltas))
		} else {
			got, err = c.Chat(t.Context(), req)
		}
		if err != nil {
			t.Fatalf("stream %v: got error %v", stream, err)
		}
		if len(got.Content) > 1001 || len(got.Content) < 990 || !utf8.ValidString(got.Content) || !strings.HasPrefix(long, got.Content) {
			t.Errorf("stream %v: got %d bytes (valid UTF-8 %v), want a prefix of at most 1001", stream, len(got.Content), utf8.ValidString(got.Content))
		}
		if got.FinishReason != FinishLength {
			t.Errorf("stream %v: got finish reason %q, want %q", stream, got.FinishReason, FinishLength)
		}
		if stream && strings.Join(deltas, "") != got.Content {
			t.Errorf("streamed %d bytes, returned %d: want the same text", len(strings.Join(deltas, "")), len(got.Content))
		}
	}
}
