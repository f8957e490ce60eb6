package llmtest_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestChunksConcatenate(t *testing.T) {
	for _, content := range []string{"", "one", "a b c d e f g", "  spaced  out  ", "ends with space "} {
		chunks := llmtest.Chunks(content)
		if got := strings.Join(chunks, ""); got != content {
			t.Errorf("got %q joined, want %q", got, content)
		}
		for _, c := range chunks {
			if c == "" {
				t.Errorf("got an empty chunk for %q, want none", content)
			}
		}
	}
}

// events posts body to the chat endpoint and returns the SSE data lines.
func events(t *testing.T, s *llmtest.Server, body string) []string {
	t.Helper()
	resp, err := s.Client().Post(s.URL+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("got Content-Type %q, want text/event-stream", ct)
	}
	var data []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			data = append(data, line)
		}
	}
	return data
}

func TestStreamWireFormat(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantUsage bool
	}{
		{"usage when asked", `{"model":"m","stream":true,"stream_options":{"include_usage":true},
			"messages":[{"role":"user","content":"hi"}]}`, true},
		{"no usage otherwise", `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			s.Reply(llmtest.Reply{Content: "one two three four"})
			data := events(t, s, tt.body)
			if len(data) == 0 || data[len(data)-1] != "[DONE]" {
				t.Fatalf("got events %q, want them to end with [DONE]", data)
			}
			finish := data[len(data)-2]
			if tt.wantUsage {
				finish = data[len(data)-3]
				if usage := data[len(data)-2]; !strings.Contains(usage, `"choices":[]`) ||
					!strings.Contains(usage, `"total_tokens":5`) {
					t.Errorf("got usage event %s, want empty choices and total_tokens 5", usage)
				}
			}
			if !strings.Contains(finish, `"finish_reason":"stop"`) {
				t.Errorf("got final event %s, want finish_reason stop", finish)
			}
			if got := s.ChatRequests(); len(got) != 1 || got[0].IncludeUsage != tt.wantUsage || got[0].Temperature != nil {
				t.Errorf("got recorded %+v, want one request, include_usage %v, no temperature", got, tt.wantUsage)
			}
		})
	}
}

func TestErrorReply(t *testing.T) {
	s := llmtest.New(t)
	s.Reply(llmtest.Reply{Status: http.StatusTooManyRequests, RetryAfter: "7"})
	resp, err := s.Client().Post(s.URL+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}`))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("got %d with Retry-After %q, want 429 with 7", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := s.ChatRequests()[0].Messages[0].Content; got != "hi" {
		t.Errorf("got content %q from parts, want \"hi\"", got)
	}
}
