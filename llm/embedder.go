// Package llm is citebot's single gateway to language-model HTTP APIs.
//
// Only this package imports go-openai, and none of its types leak through the
// exported API, so the rest of citebot depends on plain Go types and a change
// of SDK or provider stays inside this directory. Everything here speaks the
// OpenAI wire protocol because OpenAI, Mistral, Ollama and vLLM all serve it,
// which lets one implementation cover hosted and self-hosted deployments.
package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// DefaultBatchSize is the number of texts per embeddings request used when
// Config.BatchSize is not set. It keeps requests under the per-request token
// limits of Mistral and typical vLLM deployments while still sparing the
// indexer one round trip per chunk.
const DefaultBatchSize = 64

// Config tells NewEmbedder how to reach an OpenAI-compatible /v1/embeddings
// server. It is a plain struct so callers can fill it from flags or the
// environment without touching go-openai.
type Config struct {
	// APIKey is sent as "Authorization: Bearer <APIKey>". Leave it empty for
	// servers without authentication (Ollama, most vLLM deployments): no
	// Authorization header is sent then.
	APIKey string
	// BaseURL is the API root including the version segment, for example
	// "http://localhost:11434/v1" for Ollama. Empty means OpenAI's public
	// endpoint, so the common case needs no configuration.
	BaseURL string
	// EmbedModel names the embedding model on the server. It is required
	// because there is no default that works across providers.
	EmbedModel string
	// BatchSize is the maximum number of texts per request; values <= 0 mean
	// DefaultBatchSize. Lower it for servers with small request limits.
	BatchSize int
	// HTTPClient lets callers set timeouts, proxies or test transports. Nil
	// means a client without timeout, leaving cancellation to the context
	// passed to Embed.
	HTTPClient *http.Client
}

// Embedder turns texts into unit-length vectors through an OpenAI-compatible
// embeddings endpoint. It batches texts to keep indexing of large corpora to
// a few requests, and validates and normalises what the server returns so the
// vector store can rely on cosine similarity being a plain dot product. An
// Embedder is safe for concurrent use.
type Embedder struct {
	client      *openai.Client
	model       string
	batchSize   int
	fingerprint string
}

// NewEmbedder validates cfg up front so that misconfiguration is reported at
// start-up rather than on the first indexing run.
func NewEmbedder(cfg Config) (*Embedder, error) {
	if strings.TrimSpace(cfg.EmbedModel) == "" {
		return nil, errors.New("new embedder: embed model is empty")
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = cfg.BaseURL
	}
	u, err := url.Parse(oc.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("new embedder: parse base url: %w", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("new embedder: base url %q needs a scheme and a host", cfg.BaseURL)
	}
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
	batchSize := cfg.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	return &Embedder{
		client:      openai.NewClientWithConfig(oc),
		model:       cfg.EmbedModel,
		batchSize:   batchSize,
		fingerprint: "openai:" + u.Host + "/" + cfg.EmbedModel,
	}, nil
}

// Fingerprint identifies the embedding space as "openai:<host>/<model>" so
// that the index is rebuilt when the server or model changes. It leaves out
// the API key, which may rotate without changing the space, and the vector
// dimension, which is unknown until the first request.
func (e *Embedder) Fingerprint() string {
	return e.fingerprint
}

// BatchSize reports how many texts go into one request, so that callers
// feeding large corpora can hand over whole batches and never pay for a
// half-empty request.
func (e *Embedder) BatchSize() int {
	return e.batchSize
}

// Embed returns one L2-normalised vector per text, in input order. Texts are
// sent in batches of the configured size, so n texts cost ceil(n/BatchSize)
// requests; zero texts cost none. Empty strings are sent as a single space
// because some servers reject empty input. All vectors of one call share the
// same dimension, otherwise Embed fails rather than mixing spaces. A failed
// batch fails the whole call; no partial result is returned.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	total := (len(texts) + e.batchSize - 1) / e.batchSize
	out := make([][]float32, 0, len(texts))
	for b := range total {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("embed batch %d/%d: %w", b+1, total, err)
		}
		start := b * e.batchSize
		end := min(start+e.batchSize, len(texts))
		vecs, err := e.embedBatch(ctx, texts[start:end])
		if err != nil {
			return nil, batchError(ctx, b+1, total, err)
		}
		if len(out) > 0 && len(vecs[0]) != len(out[0]) {
			return nil, fmt.Errorf("embed batch %d/%d: dimension %d differs from earlier batches (%d)",
				b+1, total, len(vecs[0]), len(out[0]))
		}
		out = append(out, vecs...)
	}
	return out, nil
}

// embedBatch performs exactly one HTTP request for texts and returns their
// validated, normalised vectors in input order. It is kept separate from
// Embed, and returns errors unwrapped, so that retry with backoff can wrap
// it without re-splitting batches or double-wrapping errors.
func (e *Embedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	inputs := make([]string, len(texts))
	for i, t := range texts {
		if t == "" {
			t = " "
		}
		inputs[i] = t
	}
	// EmbeddingRequest rather than EmbeddingRequestStrings: the latter always
	// sends "user":"", which strict servers may reject as an unknown field.
	resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequest{
		Input: inputs,
		Model: openai.EmbeddingModel(e.model),
	})
	if err != nil {
		return nil, err
	}
	return orderVectors(resp.Data, len(inputs))
}

// batchError adds the batch position and, when known, the HTTP status to err.
// A cancelled context wins over the transport error it caused, so callers can
// test the result with errors.Is(err, context.Canceled).
func batchError(ctx context.Context, batch, total int, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("embed batch %d/%d: %w", batch, total, ctxErr)
	}
	if code := StatusCode(err); code != 0 {
		return fmt.Errorf("embed batch %d/%d: http status %d: %w", batch, total, code, err)
	}
	return fmt.Errorf("embed batch %d/%d: %w", batch, total, err)
}

// StatusCode returns the HTTP status of a failed API call anywhere in err's
// chain, or 0 when err did not come from an HTTP response (network failure,
// cancelled context, malformed reply). It lets callers tell rate limits and
// server faults from bad requests or credentials without importing go-openai.
func StatusCode(err error) int {
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

// orderVectors puts each returned embedding at the position given by its
// index field, because servers may answer out of order, and rejects replies
// that do not hold exactly one usable vector per input. The vectors are
// normalised in place; the response is not used afterwards.
func orderVectors(data []openai.Embedding, want int) ([][]float32, error) {
	if len(data) != want {
		return nil, fmt.Errorf("got %d embeddings for %d inputs", len(data), want)
	}
	out := make([][]float32, want)
	dim := len(data[0].Embedding)
	for _, d := range data {
		if d.Index < 0 || d.Index >= want {
			return nil, fmt.Errorf("embedding index %d out of range [0, %d)", d.Index, want)
		}
		if out[d.Index] != nil {
			return nil, fmt.Errorf("embedding index %d returned twice", d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embedding %d is empty", d.Index)
		}
		if len(d.Embedding) != dim {
			return nil, fmt.Errorf("embedding %d has dimension %d, want %d", d.Index, len(d.Embedding), dim)
		}
		if err := normalize(d.Embedding); err != nil {
			return nil, fmt.Errorf("embedding %d: %w", d.Index, err)
		}
		out[d.Index] = d.Embedding
	}
	// len(data) == want, indices are in range and unique: every slot is set.
	return out, nil
}

// normalize scales v to unit L2 norm in place, because the vector store
// ranks by dot product and does not normalise for us. It rejects NaN and Inf
// components and the zero vector, which have no direction and would poison
// every similarity score. The norm is accumulated in float64 so that large
// float32 components cannot overflow.
func normalize(v []float32) error {
	var sum float64
	for i, x := range v {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("component %d is %v", i, f)
		}
		sum += f * f
	}
	if sum == 0 {
		return errors.New("zero norm")
	}
	norm := math.Sqrt(sum)
	for i, x := range v {
		v[i] = float32(float64(x) / norm)
	}
	return nil
}
