package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// embedSetting is the configuration variable that names the embedding
// model, quoted in errors so users know what to fix.
const embedSetting = "CITEBOT_EMBED_MODEL"

// Embedder turns texts into unit-length vectors through an OpenAI-compatible
// embeddings endpoint. It batches texts to keep indexing of large corpora to
// a few requests, retries each batch on transient failures, and validates
// and normalises what the server returns so the vector store can rely on
// cosine similarity being a plain dot product. An Embedder is safe for
// concurrent use.
type Embedder struct {
	b           *backend
	model       string
	batchSize   int
	fingerprint string
}

// NewEmbedder validates cfg up front so that misconfiguration is reported at
// start-up rather than on the first indexing run. Only APIKey, BaseURL,
// EmbedModel, BatchSize and HTTPClient are needed; the other fields have
// usable defaults.
func NewEmbedder(cfg Config) (*Embedder, error) {
	model := strings.TrimSpace(cfg.EmbedModel)
	if model == "" {
		return nil, errors.New("new embedder: embed model is empty")
	}
	b, err := newBackend(cfg)
	if err != nil {
		return nil, fmt.Errorf("new embedder: %w", err)
	}
	batchSize := cfg.BatchSize
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	return &Embedder{
		b:           b,
		model:       model,
		batchSize:   batchSize,
		fingerprint: "openai:" + b.host + "/" + model,
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
// requests plus retries; zero texts cost none. Empty strings are sent as a
// single space because some servers reject empty input. All vectors of one
// call share the same dimension, otherwise Embed fails rather than mixing
// spaces. A failed batch fails the whole call; no partial result is
// returned. Errors are *Error, except the caller's own cancellation, which
// satisfies errors.Is(err, ctx.Err()).
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
		if err == nil && len(out) > 0 && len(vecs[0]) != len(out[0]) {
			err = e.b.newError(KindBadResponse, e.model, embedSetting,
				fmt.Errorf("dimension %d differs from earlier batches (%d)", len(vecs[0]), len(out[0])))
		}
		if err != nil {
			return nil, batchError(b+1, total, err)
		}
		out = append(out, vecs...)
	}
	return out, nil
}

// embedBatch sends texts as one request, retried as the policy says, and
// returns their validated, normalised vectors in input order.
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
	req := openai.EmbeddingRequest{Input: inputs, Model: openai.EmbeddingModel(e.model)}
	var vecs [][]float32
	err := e.b.withRetry(ctx, false, func(ctx context.Context) error {
		actx, cancel := e.b.attemptContext(ctx)
		defer cancel()
		resp, err := e.b.api.CreateEmbeddings(actx, req)
		if err != nil {
			return e.b.fail(ctx, actx, err, e.model, embedSetting)
		}
		if vecs, err = orderVectors(resp.Data, len(inputs)); err != nil {
			return e.b.newError(KindBadResponse, e.model, embedSetting, err)
		}
		return nil
	})
	return vecs, err
}

// batchError adds the batch position to err. An *Error keeps its identity
// (its detail gains the position); a context error stays testable with
// errors.Is(err, context.Canceled).
func batchError(batch, total int, err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.Err = fmt.Errorf("embed batch %d/%d: %w", batch, total, e.Err)
		return e
	}
	return fmt.Errorf("embed batch %d/%d: %w", batch, total, err)
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
