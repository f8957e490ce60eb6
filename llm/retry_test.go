package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestChatRetryAfter(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Status: http.StatusTooManyRequests, RetryAfter: "2"}, llmtest.Reply{Content: "ok"})
	rec := &llmtest.Sleeps{}
	c := newTestClient(t, s, rec, nil)

	got, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")})
	if err != nil || got.Content != "ok" {
		t.Fatalf("Chat: got %q, %v, want \"ok\", nil", got.Content, err)
	}
	if n := len(s.ChatRequests()); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
	// Jitter may lengthen an explicit Retry-After but never shorten it; with
	// a first backoff of at most 500ms it is exactly the server's 2s.
	if diff := cmp.Diff([]time.Duration{2 * time.Second}, rec.Recorded()); diff != "" {
		t.Errorf("waits mismatch (-want +got):\n%s", diff)
	}
}

func TestChatFailures(t *testing.T) {
	tests := []struct {
		name         string
		replies      []llmtest.Reply
		edit         func(*Config)
		wantKind     ErrorKind
		wantStatus   int
		wantRequests int
		wantMsg      []string
	}{
		{"persistent 500", slices.Repeat([]llmtest.Reply{{Status: 500}}, 4), nil,
			KindUnavailable, 500, 4, []string{"is unavailable: HTTP 500 Internal Server Error"}},
		{"401 is not retried", []llmtest.Reply{{Status: 401}}, nil,
			KindBadKey, 401, 1, []string{"invalid API key for 127.0.0.1:", "(check OPENAI_API_KEY)"}},
		{"403 is not retried", []llmtest.Reply{{Status: 403, Content: "Project lacks access"}}, nil,
			KindBadKey, 403, 1, []string{"access denied by", "Project lacks access"}},
		{"404 model", []llmtest.Reply{{Status: 404}}, nil,
			KindModelNotFound, 404, 1, []string{`model "test-chat-model" not found on 127.0.0.1:`, "(check CITEBOT_CHAT_MODEL)"}},
		{"400 saying the model does not exist", []llmtest.Reply{{Status: 400, Content: "Invalid model: test-chat-model"}}, nil,
			KindModelNotFound, 400, 1, []string{"not found"}},
		{"other 400 is not retried", []llmtest.Reply{{Status: 400, Content: "messages must not be empty"}}, nil,
			KindOther, 400, 1, []string{"HTTP 400: messages must not be empty"}},
		{"429 on every attempt", slices.Repeat([]llmtest.Reply{{Status: 429}}, 4), nil,
			KindRateLimited, 429, 4, []string{"rate limited by 127.0.0.1:", "after 4 attempts"}},
		{"Retry-After beyond MaxTotal gives up at once", []llmtest.Reply{{Status: 429, RetryAfter: "120"}}, nil,
			KindRateLimited, 429, 1, []string{"after 1 attempt (it asks to wait 120s)"}},
		{"exhausted quota is not retried", []llmtest.Reply{{Status: 429, ErrorCode: "insufficient_quota"}}, nil,
			KindRateLimited, 429, 1, []string{"quota exceeded"}},
		{"silent server times out", slices.Repeat([]llmtest.Reply{{Block: true}}, 2),
			func(c *Config) { c.Timeout, c.Retry.MaxAttempts = 50*time.Millisecond, 2 },
			KindTimeout, 0, 2, []string{"no response from 127.0.0.1:", "within 50ms"}},
		{"malformed body", []llmtest.Reply{{Malformed: true}}, nil,
			KindBadResponse, 0, 1, []string{"unexpected response from"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			s.Reply(tt.replies...)
			rec := &llmtest.Sleeps{}
			c := newTestClient(t, s, rec, tt.edit)

			_, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")})
			e := asError(t, err)
			if e.Kind != tt.wantKind {
				t.Errorf("got kind %v, want %v (error %q)", e.Kind, tt.wantKind, e)
			}
			if e.Status != tt.wantStatus || StatusCode(err) != tt.wantStatus {
				t.Errorf("got status %d, want %d", e.Status, tt.wantStatus)
			}
			if e.Model != testChatModel || !strings.HasPrefix(e.Host, "127.0.0.1:") {
				t.Errorf("got model %q host %q, want %q on 127.0.0.1", e.Model, e.Host, testChatModel)
			}
			for _, sub := range tt.wantMsg {
				if !strings.Contains(e.Error(), sub) {
					t.Errorf("got error %q, want it to contain %q", e, sub)
				}
			}
			if strings.Contains(e.Error(), "sk-test-secret") {
				t.Errorf("got error %q containing the API key, want it absent", e)
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

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	rec := &llmtest.Sleeps{}
	c, err := NewClient(Config{BaseURL: url + "/v1", ChatModel: "m", Retry: RetryPolicy{Sleep: rec.Sleep}})
	if err != nil {
		t.Fatalf("NewClient: got error %v, want nil", err)
	}
	_, err = c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")})
	e := asError(t, err)
	if e.Kind != KindUnavailable || !strings.HasSuffix(e.Error(), "is unavailable: connection refused") {
		t.Errorf("got %q (kind %v), want unavailable: connection refused", e, e.Kind)
	}
	if n := len(rec.Recorded()); n != 3 {
		t.Errorf("got %d retry waits, want 3", n)
	}
}

func TestCallerCancels(t *testing.T) {
	calls := map[string]func(c *Client, ctx context.Context) error{
		"chat": func(c *Client, ctx context.Context) error {
			_, err := c.Chat(ctx, ChatRequest{Messages: userMessages("q")})
			return err
		},
		"stream": func(c *Client, ctx context.Context) error {
			_, err := c.ChatStream(ctx, ChatRequest{Messages: userMessages("q")}, nil)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			s := llmtest.New(t)
			s.Reply(llmtest.Reply{Block: true})
			rec := &llmtest.Sleeps{}
			c := newTestClient(t, s, rec, nil)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			go func() {
				<-s.Blocked()
				cancel()
			}()

			err := call(c, ctx)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("got error %v, want context.Canceled", err)
			}
			if n := len(s.ChatRequests()); n != 1 {
				t.Errorf("got %d requests, want 1", n)
			}
			if n := len(rec.Recorded()); n != 0 {
				t.Errorf("got %d retry waits, want 0", n)
			}
		})
	}
}

// TestCancelDuringBackoff: a caller that gives up while the client waits
// to retry gets its own error back, and no further attempt is made.
func TestCancelDuringBackoff(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Status: 503})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c := newTestClient(t, s, nil, func(c *Config) {
		c.Retry.Sleep = func(ctx context.Context, _ time.Duration) error {
			cancel()
			return ctx.Err()
		}
	})
	_, err := c.Chat(ctx, ChatRequest{Messages: userMessages("q")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got error %v, want context.Canceled", err)
	}
	if n := len(s.ChatRequests()); n != 1 {
		t.Errorf("got %d requests, want 1", n)
	}
}

// TestConcurrentRetryAfter runs calls in parallel on one client, half of
// them first refused with a different Retry-After each: every call must
// wait for its own response's value (run with -race).
func TestConcurrentRetryAfter(t *testing.T) {
	const calls = 8
	s := llmtest.New(t)
	var mu sync.Mutex
	seen := map[string]bool{}
	s.SetDefault(func(req llmtest.ChatRequest) llmtest.Reply {
		q := req.Messages[len(req.Messages)-1].Content
		mu.Lock()
		defer mu.Unlock()
		var n int
		if _, err := fmt.Sscanf(q, "question %d", &n); err != nil || seen[q] || n%2 == 1 {
			return llmtest.Reply{Content: "ok"}
		}
		seen[q] = true
		return llmtest.Reply{Status: 429, RetryAfter: strconv.Itoa(n + 1)}
	})
	rec := &llmtest.Sleeps{}
	c := newTestClient(t, s, rec, nil)

	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Go(func() {
			_, err := c.Chat(t.Context(), ChatRequest{Messages: userMessages(fmt.Sprintf("question %d", i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("got error %v, want nil", err)
		}
	}
	got := rec.Recorded()
	slices.Sort(got)
	want := []time.Duration{1 * time.Second, 3 * time.Second, 5 * time.Second, 7 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("waits mismatch (-want +got):\n%s", diff)
	}
	if n := len(s.ChatRequests()); n != calls+calls/2 {
		t.Errorf("got %d requests, want %d", n, calls+calls/2)
	}
}
