package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// ChatStream sends one request and delivers the answer as it is generated:
// onDelta (which may be nil) receives each piece of content, in order, on
// the calling goroutine, and the returned Content is their concatenation.
// Usage comes from the server's final chunk; servers that ignore the
// include_usage option leave it zero.
//
// Failures before the first delta are retried like Chat's; a failure after
// it is returned as is, because the caller has already shown text that a
// new attempt could contradict. Config.Timeout bounds the wait for the
// first token and between two chunks, not the whole answer.
func (c *Client) ChatStream(ctx context.Context, req ChatRequest, onDelta func(string)) (ChatResponse, error) {
	oreq, zero := c.request(req)
	oreq.Stream = true
	oreq.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	out, err := c.streamWithRetry(ctx, oreq, zero, req.MaxBytes, onDelta)
	if rejectsStreamOptions(err) {
		// Some servers (older Azure API versions, strict proxies) refuse the
		// option with a 400; an answer without usage beats no answer.
		oreq.StreamOptions = nil
		out, err = c.streamWithRetry(ctx, oreq, zero, req.MaxBytes, onDelta)
	}
	if err != nil {
		return ChatResponse{}, c.callError(err)
	}
	return out, nil
}

func (c *Client) streamWithRetry(ctx context.Context, oreq openai.ChatCompletionRequest, zero bool,
	maxBytes int, onDelta func(string)) (ChatResponse, error) {
	delivered := false
	deliver := func(s string) {
		delivered = true
		if onDelta != nil {
			onDelta(s)
		}
	}
	var out ChatResponse
	err := c.b.withRetry(ctx, zero, func(ctx context.Context) error {
		var err error
		out, err = c.streamOnce(ctx, oreq, maxBytes, deliver)
		var e *Error
		if delivered && errors.As(err, &e) {
			e.retry = false
		}
		return err
	})
	return out, err
}

// streamOnce is one attempt. A watchdog cancels it when the server stays
// silent for longer than the timeout; every chunk rearms it. Past maxBytes
// of content it stops reading and returns what fits, finished by length.
func (c *Client) streamOnce(ctx context.Context, oreq openai.ChatCompletionRequest,
	maxBytes int, deliver func(string)) (ChatResponse, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(c.b.timeout, func() { cancel(errAttemptTimeout) })
	defer watchdog.Stop()

	stream, err := c.b.api.CreateChatCompletionStream(actx, oreq)
	if err != nil {
		return ChatResponse{}, c.b.fail(ctx, actx, err, c.model, chatSetting)
	}
	defer stream.Close()

	var out ChatResponse
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ChatResponse{}, c.b.fail(ctx, actx, err, c.model, chatSetting)
		}
		watchdog.Reset(c.b.timeout)
		if chunk.Usage != nil {
			out.Usage = usage(*chunk.Usage)
		}
		if len(chunk.Choices) == 0 {
			continue // the usage chunk has no choices
		}
		choice := chunk.Choices[0]
		if d := choice.Delta.Content; d != "" {
			over := maxBytes > 0 && text.Len()+len(d) > maxBytes
			if over {
				d = cutAt(d, maxBytes-text.Len())
			}
			text.WriteString(d)
			if d != "" {
				deliver(d)
			}
			if over {
				out.FinishReason = FinishLength
				break
			}
		}
		if choice.FinishReason != "" {
			out.FinishReason = string(choice.FinishReason)
		}
	}
	if out.FinishReason == "" {
		// go-openai reports a stream cut cleanly between two events as a
		// normal end; an answer without a finish reason is incomplete.
		return ChatResponse{}, c.b.newError(KindBadResponse, c.model, chatSetting,
			errors.New("stream ended without a finish reason"))
	}
	out.Content = text.String()
	return out, nil
}

// rejectsStreamOptions reports a 400 that names stream_options.
func rejectsStreamOptions(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusBadRequest &&
		strings.Contains(detail(e.Err), "stream_options")
}
