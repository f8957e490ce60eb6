package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func TestErrorMessages(t *testing.T) {
	const openaiHost, ollama = "api.openai.com", "localhost:11434"
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"bad key", &Error{Kind: KindBadKey, Status: 401, Host: openaiHost,
			Err: &openai.APIError{Message: "Incorrect API key provided: sk-abc***xyz."}},
			"invalid API key for api.openai.com (check OPENAI_API_KEY)"},
		{"forbidden", &Error{Kind: KindBadKey, Status: 403, Host: openaiHost,
			Err: &openai.APIError{Message: "Country, region, or territory not supported"}},
			"access denied by api.openai.com: Country, region, or territory not supported (check OPENAI_API_KEY and its permissions)"},
		{"chat model", &Error{Kind: KindModelNotFound, Status: 404, Model: "llama3", Host: ollama, setting: chatSetting},
			`model "llama3" not found on localhost:11434 (check CITEBOT_CHAT_MODEL)`},
		{"embed model", &Error{Kind: KindModelNotFound, Status: 404, Model: "nomic", Host: ollama, setting: embedSetting},
			`model "nomic" not found on localhost:11434 (check CITEBOT_EMBED_MODEL)`},
		{"rate limited", &Error{Kind: KindRateLimited, Status: 429, Host: openaiHost, attempts: 4},
			"rate limited by api.openai.com after 4 attempts"},
		{"rate limited with a long wait", &Error{Kind: KindRateLimited, Status: 429, Host: openaiHost, attempts: 1, wait: 90 * time.Second},
			"rate limited by api.openai.com after 1 attempt (it asks to wait 90s)"},
		{"quota", &Error{Kind: KindRateLimited, Status: 429, Host: openaiHost, quota: true},
			"quota exceeded on api.openai.com (check the account's plan and billing)"},
		{"refused", &Error{Kind: KindUnavailable, Host: ollama,
			Err: &url.Error{Op: "Post", URL: "http://localhost:11434/v1/chat/completions",
				Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}},
			"localhost:11434 is unavailable: connection refused"},
		{"reset", &Error{Kind: KindUnavailable, Host: ollama, Err: fmt.Errorf("read: %w", syscall.ECONNRESET)},
			"localhost:11434 is unavailable: connection reset"},
		{"dropped", &Error{Kind: KindUnavailable, Host: ollama, Err: io.ErrUnexpectedEOF},
			"localhost:11434 is unavailable: connection closed before the answer was complete"},
		{"dns", &Error{Kind: KindUnavailable, Host: "nope.invalid", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}},
			"nope.invalid is unavailable: host not found"},
		{"server error", &Error{Kind: KindUnavailable, Status: 503, Host: ollama},
			"localhost:11434 is unavailable: HTTP 503 Service Unavailable"},
		{"timeout", &Error{Kind: KindTimeout, Host: ollama, timeout: 60 * time.Second},
			"no response from localhost:11434 within 60s"},
		{"bad response", &Error{Kind: KindBadResponse, Host: ollama, Err: errors.New("no choices in the reply")},
			"unexpected response from localhost:11434: no choices in the reply"},
		{"wrong base url", &Error{Kind: KindOther, Status: 404, Host: ollama, Err: &openai.RequestError{HTTPStatusCode: 404}},
			"localhost:11434 answered 404 Not Found (check OPENAI_BASE_URL; it usually ends in /v1)"},
		{"other", &Error{Kind: KindOther, Status: 400, Host: ollama, Err: &openai.APIError{Message: "bad messages"}},
			"request to localhost:11434 failed: HTTP 400: bad messages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClassifyTransport(t *testing.T) {
	post := func(err error) error { return &url.Error{Op: "Post", URL: "http://h/v1/x", Err: err} }
	var v any
	syntaxErr := json.Unmarshal([]byte("{x"), &v)
	tests := []struct {
		name      string
		err       error
		timedOut  bool
		wantKind  ErrorKind
		wantRetry bool
	}{
		{"attempt timeout", post(context.DeadlineExceeded), true, KindTimeout, true},
		{"client timeout", post(&net.OpError{Op: "read", Err: timeoutErr{}}), false, KindTimeout, true},
		{"refused", post(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), false, KindUnavailable, true},
		{"reset", post(&net.OpError{Op: "read", Err: syscall.ECONNRESET}), false, KindUnavailable, true},
		{"server closed before answering", post(io.EOF), false, KindUnavailable, true},
		{"dropped mid-body", io.ErrUnexpectedEOF, false, KindUnavailable, true},
		{"empty body", io.EOF, false, KindBadResponse, false},
		{"unknown host", post(&net.DNSError{Err: "no such host", IsNotFound: true}), false, KindUnavailable, false},
		{"dns hiccup", post(&net.DNSError{Err: "server misbehaving", IsTemporary: true}), false, KindUnavailable, true},
		{"bad json", syntaxErr, false, KindBadResponse, false},
		{"error event mid-stream", fmt.Errorf("error, %w", &openai.APIError{Type: "server_error", Message: "overloaded"}), false, KindUnavailable, true},
		{"tls", post(errors.New("tls: failed to verify certificate")), false, KindOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := classify(tt.err, tt.timedOut)
			if e.Kind != tt.wantKind || e.retry != tt.wantRetry {
				t.Errorf("got kind %v retry %v, want %v %v", e.Kind, e.retry, tt.wantKind, tt.wantRetry)
			}
			if !errors.Is(e, tt.err) {
				t.Errorf("got an error that does not wrap %v", tt.err)
			}
		})
	}
}

// timeoutErr is a net.Error that timed out, as http.Client.Timeout yields.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestErrorKindString(t *testing.T) {
	want := map[ErrorKind]string{
		KindOther: "other", KindBadKey: "bad key", KindModelNotFound: "model not found",
		KindRateLimited: "rate limited", KindUnavailable: "unavailable", KindTimeout: "timeout",
		KindBadResponse: "bad response",
	}
	for k, w := range want {
		if got := k.String(); got != w {
			t.Errorf("got %q for kind %d, want %q", got, int(k), w)
		}
	}
}

func TestErrorDetailFromProxyBody(t *testing.T) {
	body := "<html>" + strings.Repeat("x", 300) + "</html>"
	e := &Error{Kind: KindOther, Status: 418, Host: "proxy:8080",
		Err: &openai.RequestError{HTTPStatusCode: 418, Body: []byte(body)}}
	got := e.Error()
	if !strings.HasPrefix(got, "request to proxy:8080 failed: HTTP 418: <html>xxx") || !strings.HasSuffix(got, "…") {
		t.Errorf("got %q, want the start of the body, truncated", got)
	}
	if n := len([]rune(got)); n > 260 {
		t.Errorf("got a message of %d runes, want at most 260", n)
	}
}

func TestRealSleep(t *testing.T) {
	if err := sleep(t.Context(), time.Nanosecond); err != nil {
		t.Errorf("got %v for an elapsed wait, want nil", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v for a cancelled wait, want context.Canceled", err)
	}
}
