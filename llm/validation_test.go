package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	openai "github.com/sashabaranov/go-openai"

	"github.com/citebot/citebot/llm/llmtest"
)

func TestEmbedErrors(t *testing.T) {
	edit := func(f func([]llmtest.Embedding) []llmtest.Embedding) []llmtest.EmbedReply {
		return []llmtest.EmbedReply{{Edit: f}}
	}
	tests := []struct {
		name         string
		replies      []llmtest.EmbedReply
		texts        int
		batchSize    int
		wantKind     ErrorKind
		wantErr      []string // substrings of the error message
		wantStatus   int
		wantRequests int
	}{
		{"401 unauthorized is not retried", []llmtest.EmbedReply{{Status: http.StatusUnauthorized}},
			3, 4, KindBadKey, []string{"invalid API key", "OPENAI_API_KEY"}, 401, 1},
		{"404 model not found", []llmtest.EmbedReply{{Status: http.StatusNotFound}},
			3, 4, KindModelNotFound, []string{`model "test-embed-model" not found`, "CITEBOT_EMBED_MODEL"}, 404, 1},
		{"persistent 500", slices.Repeat([]llmtest.EmbedReply{{Status: http.StatusInternalServerError}}, 4),
			3, 4, KindUnavailable, []string{"is unavailable: HTTP 500"}, 500, 4},
		{"502 non-json body", slices.Repeat([]llmtest.EmbedReply{{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>"}}, 4),
			3, 4, KindUnavailable, []string{"HTTP 502"}, 502, 4},
		{"fewer embeddings than inputs", edit(func(d []llmtest.Embedding) []llmtest.Embedding { return d[:len(d)-1] }),
			3, 4, KindBadResponse, []string{"embed batch 1/1", "got 2 embeddings for 3 inputs"}, 0, 1},
		{"zero vector", edit(func(d []llmtest.Embedding) []llmtest.Embedding {
			d[1].Vector = make([]float32, llmtest.Dim)
			return d
		}), 3, 4, KindBadResponse, []string{"embedding 1", "zero norm"}, 0, 1},
		{"duplicate index", edit(func(d []llmtest.Embedding) []llmtest.Embedding { d[2].Index = 0; return d }),
			3, 4, KindBadResponse, []string{"index 0 returned twice"}, 0, 1},
		{"index out of range", edit(func(d []llmtest.Embedding) []llmtest.Embedding { d[2].Index = 3; return d }),
			3, 4, KindBadResponse, []string{"index 3 out of range"}, 0, 1},
		{"empty embedding", edit(func(d []llmtest.Embedding) []llmtest.Embedding {
			for i := range d {
				d[i].Vector = []float32{}
			}
			return d
		}), 3, 4, KindBadResponse, []string{"embedding 0 is empty"}, 0, 1},
		{"dimension mismatch within a batch", edit(func(d []llmtest.Embedding) []llmtest.Embedding {
			d[1].Vector = d[1].Vector[:4]
			return d
		}), 3, 4, KindBadResponse, []string{"embedding 1 has dimension 4, want 8"}, 0, 1},
		{"dimension mismatch across batches", []llmtest.EmbedReply{{}, {Edit: func(d []llmtest.Embedding) []llmtest.Embedding {
			for i := range d {
				d[i].Vector = d[i].Vector[:4]
			}
			return d
		}}}, 4, 2, KindBadResponse, []string{"embed batch 2/2", "dimension 4 differs from earlier batches (8)"}, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			s.ReplyEmbeddings(tt.replies...)
			e := newTestEmbedder(t, s, &llmtest.Sleeps{}, func(c *Config) { c.BatchSize = tt.batchSize })

			got, err := e.Embed(t.Context(), makeTexts(tt.texts))
			if err == nil {
				t.Fatalf("got vectors %v and nil error, want an error", got)
			}
			if got != nil {
				t.Errorf("got vectors %v, want nil alongside the error", got)
			}
			if kind := asError(t, err).Kind; kind != tt.wantKind {
				t.Errorf("got kind %v, want %v", kind, tt.wantKind)
			}
			for _, sub := range tt.wantErr {
				if !strings.Contains(err.Error(), sub) {
					t.Errorf("got error %q, want it to contain %q", err, sub)
				}
			}
			if strings.Contains(err.Error(), "sk-test-secret") {
				t.Errorf("got error %q containing the API key, want it absent", err)
			}
			if code := StatusCode(err); code != tt.wantStatus {
				t.Errorf("got StatusCode %d, want %d", code, tt.wantStatus)
			}
			if n := len(s.EmbeddingRequests()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestStatusCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"plain error", errors.New("boom"), 0},
		{"context", fmt.Errorf("embed batch 1/1: %w", context.Canceled), 0},
		{"wrapped api error", fmt.Errorf("x: %w", &openai.APIError{HTTPStatusCode: 429}), 429},
		{"wrapped request error", fmt.Errorf("x: %w", &openai.RequestError{HTTPStatusCode: 503}), 503},
		{"request error around api error without status",
			&openai.RequestError{HTTPStatusCode: 400, Err: &openai.APIError{Message: "m"}}, 400},
		{"llm error", fmt.Errorf("x: %w", &Error{Kind: KindRateLimited, Status: 429}), 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StatusCode(tt.err); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// TestNormalize covers NaN and Inf, which cannot travel in JSON and so cannot
// be produced by the fake server.
func TestNormalize(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	tests := []struct {
		name    string
		in      []float32
		want    []float32
		wantErr string
	}{
		{"3-4-5", []float32{3, 4}, []float32{0.6, 0.8}, ""},
		{"already unit", []float32{0, 1, 0}, []float32{0, 1, 0}, ""},
		{"large components", []float32{3e38, 3e38}, []float32{float32(math.Sqrt2 / 2), float32(math.Sqrt2 / 2)}, ""},
		{"zero", []float32{0, 0, 0}, nil, "zero norm"},
		{"nan", []float32{1, nan}, nil, "component 1 is NaN"},
		{"+inf", []float32{inf, 1}, nil, "component 0 is +Inf"},
		{"-inf", []float32{1, 1, -inf}, nil, "component 2 is -Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := append([]float32(nil), tt.in...)
			err := normalize(v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if diff := cmp.Diff(tt.want, v, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("vector mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
