package llm

import (
	"net/http"
	"testing"
	"time"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestBackoffWaitsAreBounded(t *testing.T) {
	s := llmtest.New(t)
	s.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Reply{Status: 503} })
	rec := &llmtest.Sleeps{}
	c := newTestClient(t, s, rec, func(c *Config) {
		c.Retry.MaxAttempts, c.Retry.BaseDelay, c.Retry.MaxDelay = 6, time.Second, 4*time.Second
	})
	_, _ = c.Chat(t.Context(), ChatRequest{Messages: userMessages("q")})
	waits := rec.Recorded()
	bounds := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second}
	if len(waits) != len(bounds) {
		t.Fatalf("got %d waits, want %d", len(waits), len(bounds))
	}
	for i, w := range waits {
		if w < 0 || w > bounds[i] {
			t.Errorf("wait %d: got %v, want within [0, %v]", i, w, bounds[i])
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
		wantOK bool
	}{
		{"none", http.Header{}, 0, false},
		{"seconds", http.Header{"Retry-After": {"2"}}, 2 * time.Second, true},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond, true},
		{"negative", http.Header{"Retry-After": {"-1"}}, 0, false},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0, false},
		{"http date", http.Header{"Retry-After": {"Sat, 01 Mar 2025 12:00:30 GMT"}}, 30 * time.Second, true},
		{"http date in the past", http.Header{"Retry-After": {"Sat, 01 Mar 2025 11:00:00 GMT"}}, 0, true},
		{"milliseconds win", http.Header{"Retry-After": {"2"}, "Retry-After-Ms": {"250"}}, 250 * time.Millisecond, true},
		{"huge value does not overflow", http.Header{"Retry-After": {"1e300"}}, 1e9 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.header, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %v, %v, want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 4 * time.Second, MaxTotal: time.Minute}.withDefaults()
	tests := []struct {
		name       string
		n          int
		retryAfter time.Duration
		hasRA      bool
		remaining  time.Duration
		min, max   time.Duration
		wantOK     bool
	}{
		{"first retry", 1, 0, false, time.Minute, 0, time.Second, true},
		{"backoff doubles", 3, 0, false, time.Minute, 0, 4 * time.Second, true},
		{"backoff is capped", 30, 0, false, time.Minute, 0, 4 * time.Second, true},
		{"retry-after is a floor", 1, 10 * time.Second, true, time.Minute, 10 * time.Second, 10 * time.Second, true},
		{"retry-after beyond budget", 1, 61 * time.Second, true, time.Minute, 0, 0, false},
		{"no budget left", 1, 0, false, 0, 0, 0, false},
		{"wait cut to the budget", 3, 0, false, time.Millisecond, 0, time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 50 { // jitter is random: check the bounds repeatedly
				got, ok := p.delay(tt.n, tt.retryAfter, tt.hasRA, tt.remaining)
				if ok != tt.wantOK || got < tt.min || got > tt.max {
					t.Fatalf("got %v, %v, want within [%v, %v], %v", got, ok, tt.min, tt.max, tt.wantOK)
				}
			}
		})
	}
}
