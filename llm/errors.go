package llm

import (
	"errors"
	"fmt"
	"github.com/citebot/citebot/cite"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// ErrorKind sorts failures by what the user should do about them, so that
// the message of an Error carries the right hint (check the key, name
// another model, wait) and retries are decided by kind, not by HTTP code.
type ErrorKind int

// The kinds of Error. KindOther is the zero value so that an Error built
// without a kind claims nothing it cannot back.
const (
	// KindOther is anything not listed below (a 400 about the request, a
	// TLS failure...).
	KindOther ErrorKind = iota
	// KindBadKey: the server refused the credentials (401, 403).
	KindBadKey
	// KindModelNotFound: the model does not exist on the server (404, or a
	// 400 whose message says so).
	KindModelNotFound
	// KindRateLimited: 429 still after retries, or an exhausted quota.
	KindRateLimited
	// KindUnavailable: 5xx, connection refused, reset or dropped, DNS.
	KindUnavailable
	// KindTimeout: no answer within Config.Timeout.
	KindTimeout
	// KindBadResponse: the reply could not be understood (malformed JSON or
	// SSE, no choices, unusable vectors).
	KindBadResponse
)

// String names the kind for logs.
func (k ErrorKind) String() string {
	switch k {
	case KindBadKey:
		return "bad key"
	case KindModelNotFound:
		return "model not found"
	case KindRateLimited:
		return "rate limited"
	case KindUnavailable:
		return "unavailable"
	case KindTimeout:
		return "timeout"
	case KindBadResponse:
		return "bad response"
	default:
		return "other"
	}
}

// Error is the failure of a Chat, ChatStream or Embed call. Its message is
// short and says what to check, for users; Err keeps the underlying error
// for operators' logs. It never holds the API key.
type Error struct {
	Kind ErrorKind
	// Status is the HTTP status of the failed response, 0 when there was
	// none (network failure, timeout, malformed stream).
	Status int
	// Model is the model the call used; Host the server it went to.
	Model, Host string
	// Err is the underlying error.
	Err error

	setting  string        // configuration variable that names Model
	attempts int           // attempts made before giving up
	timeout  time.Duration // per-attempt timeout, for KindTimeout
	retry    bool          // another attempt may succeed
	wait     time.Duration // Retry-After that exceeded the retry budget
	quota    bool          // 429 because the account's quota is exhausted
}

// Error returns the user-facing message.
func (e *Error) Error() string {
	host := e.Host
	if host == "" {
		host = "the server"
	}
	switch e.Kind {
	case KindBadKey:
		if e.Status == http.StatusForbidden {
			return fmt.Sprintf("access denied by %s: %s (check OPENAI_API_KEY and its permissions)", host, detail(e.Err))
		}
		return fmt.Sprintf("invalid API key for %s (check OPENAI_API_KEY)", host)
	case KindModelNotFound:
		msg := fmt.Sprintf("model %q not found on %s", e.Model, host)
		if e.setting != "" {
			msg += " (check " + e.setting + ")"
		}
		return msg
	case KindRateLimited:
		return e.rateLimited(host)
	case KindUnavailable:
		return fmt.Sprintf("%s is unavailable: %s", host, unavailableReason(e))
	case KindTimeout:
		if e.timeout > 0 {
			return fmt.Sprintf("no response from %s within %s", host, formatDuration(e.timeout))
		}
		return fmt.Sprintf("no response from %s in time", host)
	case KindBadResponse:
		return fmt.Sprintf("unexpected response from %s: %s", host, detail(e.Err))
	}
	if e.Status == http.StatusNotFound {
		return fmt.Sprintf("%s answered 404 Not Found (check OPENAI_BASE_URL; it usually ends in /v1)", host)
	}
	if e.Status != 0 {
		return fmt.Sprintf("request to %s failed: HTTP %d: %s", host, e.Status, detail(e.Err))
	}
	return fmt.Sprintf("request to %s failed: %s", host, detail(e.Err))
}

func (e *Error) rateLimited(host string) string {
	if e.quota {
		return fmt.Sprintf("quota exceeded on %s (check the account's plan and billing)", host)
	}
	n := max(e.attempts, 1)
	unit := "attempts"
	if n == 1 {
		unit = "attempt"
	}
	msg := fmt.Sprintf("rate limited by %s after %d %s", host, n, unit)
	if e.wait > 0 {
		msg += fmt.Sprintf(" (it asks to wait %s)", formatDuration(e.wait))
	}
	return msg
}

// Unwrap exposes the underlying error to errors.Is and errors.As.
func (e *Error) Unwrap() error {
	return e.Err
}

// StatusCode returns the HTTP status of a failed API call anywhere in err's
// chain, or 0 when err did not come from an HTTP response (network failure,
// cancelled context, malformed reply). It lets callers tell rate limits and
// server faults from bad requests or credentials without importing go-openai.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Status != 0 {
		return e.Status
	}
	// RequestError first: it may wrap an APIError whose status is unset.
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) && reqErr.HTTPStatusCode != 0 {
		return reqErr.HTTPStatusCode
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	return 0
}

// detail is the most useful short text of err: the server's own message
// when it sent one, rather than go-openai's "error, status code: ..." prose.
func detail(err error) string {
	if err == nil {
		return "no details"
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) && apiErr.Message != "" {
		return apiErr.Message
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		if body := strings.TrimSpace(string(reqErr.Body)); body != "" {
			return cite.Shorten(body, 200)
		}
		if reqErr.Err != nil {
			return reqErr.Err.Error()
		}
		return reqErr.HTTPStatus
	}
	return err.Error()
}

// formatDuration prints whole seconds as "60s" rather than "1m0s", which
// reads better next to a setting given in seconds.
func formatDuration(d time.Duration) string {
	if d >= time.Second && d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}
