package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	openai "github.com/sashabaranov/go-openai"
)

// classify sorts the error of one attempt into an *Error and decides
// whether retrying may help. timedOut says the attempt's own timeout fired.
// The caller fills in Model, Host and the hint fields.
func classify(err error, timedOut bool) *Error {
	e := &Error{Err: err, Status: StatusCode(err)}
	switch {
	case timedOut:
		e.Kind, e.retry = KindTimeout, true
	case e.Status != 0:
		classifyStatus(e)
	default:
		classifyTransport(e)
	}
	return e
}

// classifyStatus handles failures that came with an HTTP status.
func classifyStatus(e *Error) {
	var apiErr *openai.APIError
	isAPI := errors.As(e.Err, &apiErr) // the body was an OpenAI error JSON
	switch s := e.Status; {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		e.Kind = KindBadKey
	case isAPI && (s == http.StatusNotFound || s == http.StatusBadRequest) && missingModel(apiErr):
		e.Kind = KindModelNotFound
	case s == http.StatusRequestTimeout:
		e.Kind, e.retry = KindTimeout, true
	case s == http.StatusTooManyRequests:
		// An exhausted quota answers 429 too, but waiting does not fix it.
		e.quota = isAPI && fmt.Sprint(apiErr.Code) == "insufficient_quota"
		e.Kind, e.retry = KindRateLimited, !e.quota
	case s >= 500:
		e.Kind, e.retry = KindUnavailable, true
	default:
		e.Kind = KindOther
	}
}

// missingModel recognises the ways servers say the model does not exist:
// OpenAI and vLLM answer 404 with "model_not_found" or "does not exist",
// Ollama 404 with "model ... not found", Mistral 400 with "Invalid model".
// Any 404 with an OpenAI error body counts: the endpoint itself exists,
// since a wrong path gets a plain-text 404 instead.
func missingModel(apiErr *openai.APIError) bool {
	if apiErr.HTTPStatusCode == http.StatusNotFound {
		return true
	}
	if fmt.Sprint(apiErr.Code) == "model_not_found" || apiErr.Type == "invalid_model" {
		return true
	}
	msg := strings.ToLower(apiErr.Message)
	if !strings.Contains(msg, "model") {
		return false
	}
	for _, p := range []string{"not found", "does not exist", "doesn't exist", "invalid model", "unknown model", "no such model"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// classifyTransport handles failures without an HTTP status: the network,
// the body, or an error event inside a stream.
func classifyTransport(e *Error) {
	err := e.Err
	var urlErr *url.Error
	var dnsErr *net.DNSError
	var netErr net.Error
	var apiErr *openai.APIError
	switch {
	case errors.As(err, &dnsErr):
		// A name that does not resolve will not resolve in a second either.
		e.Kind, e.retry = KindUnavailable, !dnsErr.IsNotFound
	case errors.Is(err, io.EOF) && !errors.As(err, &urlErr):
		// io.EOF outside the transport is an empty body, not a dropped
		// connection (which shows as io.ErrUnexpectedEOF).
		e.Kind = KindBadResponse
	case connectionFailed(err):
		e.Kind, e.retry = KindUnavailable, true
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind, e.retry = KindTimeout, true
	case malformed(err):
		e.Kind = KindBadResponse
	case errors.As(err, &apiErr) && apiErr.Type == "server_error":
		// An error event in the middle of a stream.
		e.Kind, e.retry = KindUnavailable, true
	default:
		e.Kind = KindOther
	}
}

// connectionFailed reports refused, reset and dropped connections, which a
// restarting or overloaded server produces and a retry often survives.
func connectionFailed(err error) bool {
	for _, target := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(err, target) {
			return true
		}
	}
	// Platforms whose errno values differ (Windows) still say it in words.
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "actively refused") ||
		strings.Contains(msg, "connection reset")
}

// malformed reports replies that arrived but could not be decoded.
func malformed(err error) bool {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	return errors.As(err, &syntaxErr) || errors.As(err, &typeErr) ||
		errors.Is(err, openai.ErrTooManyEmptyStreamMessages)
}

// unavailableReason says in a few words why the server could not be used.
func unavailableReason(e *Error) string {
	if e.Status != 0 {
		return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	err := e.Err
	if err == nil {
		return "no details"
	}
	var dnsErr *net.DNSError
	msg := err.Error()
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "host not found"
	case errors.As(err, &dnsErr):
		return "DNS lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "refused"):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET) || strings.Contains(msg, "connection reset"):
		return "connection reset"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED):
		return "connection closed before the answer was complete"
	}
	return detail(err)
}

// newError builds an *Error for failures detected here rather than by
// go-openai (empty choices, unusable vectors).
func (b *backend) newError(kind ErrorKind, model, setting string, err error) *Error {
	return &Error{Kind: kind, Model: model, Host: b.host, Err: err, setting: setting, timeout: b.timeout}
}
