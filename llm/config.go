// Package llm is citebot's single gateway to language-model HTTP APIs.
//
// Only this package imports go-openai, and none of its types leak through the
// exported API, so the rest of citebot depends on plain Go types and a change
// of SDK or provider stays inside this directory. Everything here speaks the
// OpenAI wire protocol because OpenAI, Mistral, Ollama, vLLM and Azure OpenAI
// all serve it, which lets one implementation cover hosted and self-hosted
// deployments. It also adds what go-openai lacks: retries with backoff that
// honour Retry-After, per-attempt timeouts, a temperature of 0 that reaches
// the server, and errors a user can act on.
package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// DefaultBatchSize is the number of texts per embeddings request used when
// Config.BatchSize is not set. It keeps requests under the per-request token
// limits of Mistral and typical vLLM deployments while still sparing the
// indexer one round trip per chunk.
const DefaultBatchSize = 64

// DefaultTimeout bounds one attempt when Config.Timeout is not set. It is
// generous because a local model on a CPU can take tens of seconds before
// its first token, yet short enough that a dead server is reported.
const DefaultTimeout = 60 * time.Second

// DefaultAzureAPIVersion is the Azure OpenAI api-version used when
// Config.APIVersion is empty: a GA version, since preview versions are
// retired on short notice, recent enough to accept stream_options.
const DefaultAzureAPIVersion = "2024-10-21"

// Config tells NewClient and NewEmbedder how to reach an OpenAI-compatible
// server. It is a plain struct so callers can fill it from flags or the
// environment without touching go-openai; zero values mean defaults.
type Config struct {
	// APIKey is sent as "Authorization: Bearer <APIKey>" (or as the api-key
	// header for Azure). Leave it empty for servers without authentication
	// (Ollama, most vLLM deployments): no Authorization header is sent then.
	APIKey string
	// BaseURL is the API root including the version segment, for example
	// "http://localhost:11434/v1" for Ollama. Empty means OpenAI's public
	// endpoint, so the common case needs no configuration.
	BaseURL string
	// ChatModel names the chat model; NewClient requires it because no name
	// works across providers.
	ChatModel string
	// EmbedModel names the embedding model; NewEmbedder requires it.
	EmbedModel string
	// BatchSize is the maximum number of texts per embeddings request;
	// values <= 0 mean DefaultBatchSize. Lower it for servers with small
	// request limits.
	BatchSize int
	// HTTPClient lets callers set proxies or test transports. Nil means a
	// client without its own timeout: Timeout and the caller's context
	// bound every request instead (an http.Client.Timeout would also cut
	// long streams). The client is copied, never modified.
	HTTPClient *http.Client
	// Timeout bounds one attempt of a plain request; for a stream it is the
	// longest wait for the first token and between two chunks, so a long
	// answer that keeps flowing is never cut. <= 0 means DefaultTimeout.
	Timeout time.Duration
	// Retry says how transient failures are retried.
	Retry RetryPolicy
	// Azure says that BaseURL is an Azure OpenAI resource endpoint
	// (https://NAME.openai.azure.com): the key goes in the api-key header
	// and model names are used as deployment names, unchanged.
	Azure bool
	// APIVersion is Azure's api-version query parameter; empty means
	// DefaultAzureAPIVersion. Ignored unless Azure is set.
	APIVersion string
}

// backend is what Client and Embedder share: one go-openai client whose
// transport reports response headers, and the retry and timeout settings.
type backend struct {
	api     *openai.Client
	host    string
	timeout time.Duration
	retry   RetryPolicy
}

// errAttemptTimeout is the cancellation cause of an attempt that ran out of
// time, which tells it apart from the caller's own cancellation.
var errAttemptTimeout = errors.New("attempt timed out")

// newBackend validates cfg and builds the shared client. Errors carry no
// prefix: NewClient and NewEmbedder add their own.
func newBackend(cfg Config) (*backend, error) {
	base := cfg.BaseURL
	if base == "" && cfg.Azure {
		return nil, errors.New("azure needs a base url (https://NAME.openai.azure.com)")
	}
	var oc openai.ClientConfig
	if cfg.Azure {
		oc = openai.DefaultAzureConfig(cfg.APIKey, base)
		oc.APIVersion = cfg.APIVersion
		if oc.APIVersion == "" {
			oc.APIVersion = DefaultAzureAPIVersion
		}
		// Deployments are named by the operator; go-openai's default mapper
		// would rewrite names containing "." or ":".
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(cfg.APIKey)
		if base != "" {
			oc.BaseURL = base
		}
	}
	u, err := url.Parse(oc.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse base url: %w", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("base url %q needs a scheme and a host", cfg.BaseURL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base url %q: scheme must be http or https", cfg.BaseURL)
	}
	oc.HTTPClient = wrapClient(cfg.HTTPClient)
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &backend{
		api:     openai.NewClientWithConfig(oc),
		host:    u.Host,
		timeout: timeout,
		retry:   cfg.Retry.withDefaults(),
	}, nil
}

// wrapClient returns a copy of hc (or of a bare client) whose transport
// records response headers per attempt; see transport.
func wrapClient(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &transport{base: base}
	return &c
}

// attemptContext bounds one plain request by the backend's timeout, with a
// cause that classify recognises.
func (b *backend) attemptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, b.timeout, errAttemptTimeout)
}

// fail turns the error of one attempt into what the retry loop expects:
// the caller's context error when the caller gave up, else an *Error.
// attemptCtx is the context the attempt ran with.
func (b *backend) fail(ctx, attemptCtx context.Context, err error, model, setting string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	timedOut := errors.Is(context.Cause(attemptCtx), errAttemptTimeout)
	e := classify(err, timedOut)
	e.Model, e.Host, e.setting, e.timeout = model, b.host, setting, b.timeout
	return e
}
