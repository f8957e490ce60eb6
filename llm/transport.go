package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// attemptKey is the context key under which each attempt carries its own
// *attempt, so that concurrent calls sharing one client never see each
// other's response headers.
type attemptKey struct{}

// attempt is the per-request state shared between the retry loop and the
// transport. go-openai turns error responses into errors without their
// headers, so the transport stores Retry-After here on the way back.
type attempt struct {
	// zeroTemperature asks the transport to add "temperature":0 to the JSON
	// body, which go-openai drops (see withZeroTemperature). Set before the
	// request starts and never changed, so it needs no lock.
	zeroTemperature bool

	mu         sync.Mutex
	retryAfter time.Duration
	hasRetry   bool
}

func withAttempt(ctx context.Context, a *attempt) context.Context {
	return context.WithValue(ctx, attemptKey{}, a)
}

// record keeps the server's requested wait from the latest response.
func (a *attempt) record(h http.Header, now time.Time) {
	d, ok := parseRetryAfter(h, now)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.retryAfter, a.hasRetry = d, ok
}

// wait returns the Retry-After of the latest response, if it had one.
func (a *attempt) wait() (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.retryAfter, a.hasRetry
}

// transport wraps the configured transport to see what go-openai hides:
// it records response headers in the request's *attempt and, when asked,
// puts a zero temperature back into the body.
type transport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It never modifies req: a patched
// body goes into a clone.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	a, _ := req.Context().Value(attemptKey{}).(*attempt)
	if a != nil && a.zeroTemperature && req.Body != nil {
		patched, err := withZeroTemperature(req)
		if err != nil {
			return nil, err
		}
		req = patched
	}
	resp, err := t.base.RoundTrip(req)
	if a != nil && resp != nil {
		a.record(resp.Header, time.Now())
	}
	return resp, err
}

// withZeroTemperature returns a clone of req whose JSON body carries
// "temperature":0.
//
// go-openai v1.43.0 declares ChatCompletionRequest.Temperature as float32
// with omitempty and offers no extra-body hook for chat, so a requested 0 is
// never sent and the server applies its own default (1.0 for OpenAI, and
// Ollama's compatibility layer substitutes 1.0 as well). The usual
// workaround, a tiny value such as math.SmallestNonzeroFloat32, is not
// equivalent everywhere: samplers that treat exactly 0 as greedy decoding
// divide logits by any other value, and 1e-45 overflows them. Setting the
// field in the body sends the exact value every server understands.
func withZeroTemperature(req *http.Request) (*http.Request, error) {
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, fmt.Errorf("add temperature to request body: %w", err)
	}
	if _, ok := fields["temperature"]; !ok {
		fields["temperature"] = json.RawMessage("0")
	}
	if body, err = json.Marshal(fields); err != nil {
		return nil, fmt.Errorf("add temperature to request body: %w", err)
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	clone.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(body)), nil
	}
	return clone, nil
}
