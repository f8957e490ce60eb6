package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// chatSetting is the configuration variable that names the chat model,
// quoted in errors so users know what to fix.
const chatSetting = "CITEBOT_CHAT_MODEL"

// Message is one turn of a conversation, in our own type so that callers
// build prompts without go-openai.
type Message struct {
	// Role is "system", "user" or "assistant".
	Role    string
	Content string
}

// Usage is the token accounting of one call, for cost logs and budgets.
type Usage struct {
	PromptTokens, CompletionTokens, TotalTokens int
}

// ChatRequest is what a caller asks of the model; the model itself is fixed
// by the Client so that every call of a run uses the configured one.
type ChatRequest struct {
	Messages []Message
	// Temperature is sent as is, including 0 (greedy decoding, which answers
	// with citations want), unlike go-openai which drops 0. Models with a
	// fixed temperature (OpenAI's reasoning models) get none.
	Temperature float64
	// MaxTokens caps the answer; 0 leaves the server default.
	MaxTokens int
	// MaxBytes stops reading an answer longer than this, for servers that
	// ignore MaxTokens: the content is cut there (on a character boundary)
	// and FinishReason is "length". 0 means no limit.
	MaxBytes int
}

// ChatResponse is the model's answer.
type ChatResponse struct {
	// Content is the whole answer text.
	Content string
	// Usage is zero when the server did not report it.
	Usage Usage
	// FinishReason is "stop", "length" (MaxTokens reached, the answer is
	// cut) or another reason given by the server.
	FinishReason string
}

// Client talks to one chat model over the OpenAI chat completions API,
// with retries and timeouts that go-openai lacks. It is safe for concurrent
// use.
type Client struct {
	b     *backend
	model string
	// sendTemperature is false for models that reject any temperature but
	// their own; maxCompletionTokens is true for models that reject
	// max_tokens. Both come from go-openai's model validator.
	sendTemperature     bool
	maxCompletionTokens bool
}

// NewClient validates cfg up front, so that a missing model or a mistyped
// base URL is reported at start-up rather than on the first question.
func NewClient(cfg Config) (*Client, error) {
	model := strings.TrimSpace(cfg.ChatModel)
	if model == "" {
		return nil, errors.New("new client: chat model is empty")
	}
	b, err := newBackend(cfg)
	if err != nil {
		return nil, fmt.Errorf("new client: %w", err)
	}
	c := &Client{b: b, model: model}
	c.sendTemperature, c.maxCompletionTokens = modelQuirks(model)
	return c, nil
}

// modelQuirks asks go-openai's validator, which knows OpenAI's reasoning
// models, whether model accepts a temperature and whether it rejects
// max_tokens. Asking it once here keeps its errors out of every call.
func modelQuirks(model string) (sendTemperature, maxCompletionTokens bool) {
	v := openai.NewReasoningValidator()
	sendTemperature = v.Validate(openai.ChatCompletionRequest{Model: model, Temperature: 0.5}) == nil
	err := v.Validate(openai.ChatCompletionRequest{Model: model, MaxTokens: 1})
	return sendTemperature, errors.Is(err, openai.ErrReasoningModelMaxTokensDeprecated)
}

// Model returns the chat model name, for logs and answer metadata.
func (c *Client) Model() string {
	return c.model
}

// Chat sends one request and returns the whole answer. Transient failures
// are retried as Config.Retry says, each attempt bounded by Config.Timeout.
// Errors are *Error, except the caller's own cancellation, which satisfies
// errors.Is(err, ctx.Err()).
func (c *Client) Chat(ctx context.Context, req ChatRequest) (ChatResponse, error) {
	oreq, zero := c.request(req)
	var out ChatResponse
	err := c.b.withRetry(ctx, zero, func(ctx context.Context) error {
		actx, cancel := c.b.attemptContext(ctx)
		defer cancel()
		resp, err := c.b.api.CreateChatCompletion(actx, oreq)
		if err != nil {
			return c.b.fail(ctx, actx, err, c.model, chatSetting)
		}
		if len(resp.Choices) == 0 {
			return c.b.newError(KindBadResponse, c.model, chatSetting, errors.New("no choices in the reply"))
		}
		out = ChatResponse{
			Content:      resp.Choices[0].Message.Content,
			Usage:        usage(resp.Usage),
			FinishReason: string(resp.Choices[0].FinishReason),
		}
		if req.MaxBytes > 0 && len(out.Content) > req.MaxBytes {
			out.Content, out.FinishReason = cutAt(out.Content, req.MaxBytes), FinishLength
		}
		return nil
	})
	if err != nil {
		return ChatResponse{}, c.callError(err)
	}
	return out, nil
}

// FinishLength is the finish reason of an answer cut by a length limit.
const FinishLength = "length"

// cutAt cuts s to at most max bytes without splitting a character.
func cutAt(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// request translates req for go-openai. The second result asks the
// transport to add "temperature":0, which go-openai would omit.
func (c *Client) request(req ChatRequest) (openai.ChatCompletionRequest, bool) {
	oreq := openai.ChatCompletionRequest{
		Model:    c.model,
		Messages: make([]openai.ChatCompletionMessage, len(req.Messages)),
	}
	for i, m := range req.Messages {
		oreq.Messages[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	zero := false
	if c.sendTemperature {
		oreq.Temperature = float32(req.Temperature)
		zero = oreq.Temperature == 0
	}
	if req.MaxTokens > 0 {
		if c.maxCompletionTokens {
			oreq.MaxCompletionTokens = req.MaxTokens
		} else {
			// max_tokens, not max_completion_tokens: Ollama, Mistral and
			// older vLLM only know the former.
			oreq.MaxTokens = req.MaxTokens
		}
	}
	return oreq, zero
}

// callError adds the model to a context error, whose identity callers test
// with errors.Is; an *Error is already self-describing.
func (c *Client) callError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("chat with %s: %w", c.model, err)
}

func usage(u openai.Usage) Usage {
	return Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
}
