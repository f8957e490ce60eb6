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
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/citebot/citebot/llm/llmtest"
)

// The retrieval package consumes embedders through this interface (BatchSize
// is its optional batchSizer extension).
var _ interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Fingerprint() string
	BatchSize() int
} = (*Embedder)(nil)

// makeTexts returns n distinct texts.
func makeTexts(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("text number %d", i)
	}
	return texts
}

// reverseItems makes the server answer out of order, keeping each index.
func reverseItems(items []llmtest.Embedding) []llmtest.Embedding {
	slices.Reverse(items)
	return items
}

func TestEmbedBatches(t *testing.T) {
	ten := makeTexts(10)
	tests := []struct {
		name       string
		texts      []string
		batchSize  int
		apiKey     string
		reverse    bool
		wantInputs [][]string
		wantAuth   string
	}{
		{"10 texts batch 4 reversed reply", ten, 4, "sk-test", true,
			[][]string{ten[0:4], ten[4:8], ten[8:10]}, "Bearer sk-test"},
		{"10 texts batch 4 ordered reply", ten, 4, "sk-test", false,
			[][]string{ten[0:4], ten[4:8], ten[8:10]}, "Bearer sk-test"},
		{"default batch size is one request", ten, 0, "sk-test", true,
			[][]string{ten}, "Bearer sk-test"},
		{"batch size 1", ten[:3], 1, "sk-test", true,
			[][]string{ten[0:1], ten[1:2], ten[2:3]}, "Bearer sk-test"},
		{"no api key sends no authorization", ten[:3], 4, "", true,
			[][]string{ten[:3]}, ""},
		{"empty text sent as a space", []string{"a", "", "b"}, 4, "k", true,
			[][]string{{"a", " ", "b"}}, "Bearer k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			if tt.reverse {
				for range tt.wantInputs {
					s.ReplyEmbeddings(llmtest.EmbedReply{Edit: reverseItems})
				}
			}
			e := newTestEmbedder(t, s, &llmtest.Sleeps{}, func(c *Config) {
				c.APIKey, c.BatchSize = tt.apiKey, tt.batchSize
			})

			got, err := e.Embed(t.Context(), tt.texts)
			if err != nil {
				t.Fatalf("Embed: got error %v, want nil", err)
			}

			calls := s.EmbeddingCalls()
			if len(calls) != len(tt.wantInputs) {
				t.Fatalf("got %d requests, want %d", len(calls), len(tt.wantInputs))
			}
			var sent []string
			for i, r := range calls {
				if r.Model != testEmbedModel {
					t.Errorf("request %d: got model %q, want %q", i, r.Model, testEmbedModel)
				}
				if auth := r.Header.Get("Authorization"); auth != tt.wantAuth {
					t.Errorf("request %d: got Authorization %q, want %q", i, auth, tt.wantAuth)
				}
				if diff := cmp.Diff(tt.wantInputs[i], r.Input); diff != "" {
					t.Errorf("request %d: inputs mismatch (-want +got):\n%s", i, diff)
				}
				sent = append(sent, r.Input...)
			}

			// Each vector must be the fake's vector for its text, in order,
			// at unit length.
			want := make([][]float32, len(sent))
			for i, text := range sent {
				want[i] = unitLength(llmtest.Vector(text))
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("vectors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// unitLength returns v scaled to unit length. It does not use normalize,
// so that comparing with it checks the norm independently of the code
// under test, which a separate norm check could only repeat.
func unitLength(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / math.Sqrt(sum))
	}
	return out
}

func TestEmbedNoTexts(t *testing.T) {
	for _, tt := range []struct {
		name  string
		texts []string
	}{{"nil", nil}, {"empty", []string{}}} {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			e := newTestEmbedder(t, s, &llmtest.Sleeps{}, nil)
			got, err := e.Embed(t.Context(), tt.texts)
			if err != nil {
				t.Errorf("got error %v, want nil", err)
			}
			if got != nil {
				t.Errorf("got %v, want nil", got)
			}
			if n := len(s.EmbeddingRequests()); n != 0 {
				t.Errorf("got %d requests, want 0", n)
			}
		})
	}
}

func TestEmbedContextCancelled(t *testing.T) {
	tests := []struct {
		name         string
		cancelEarly  bool
		wantRequests int
	}{
		{"cancelled before the call", true, 0},
		{"cancelled while the request is in flight", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.New(t)
			s.ReplyEmbeddings(llmtest.EmbedReply{Block: true})
			rec := &llmtest.Sleeps{}
			e := newTestEmbedder(t, s, rec, func(c *Config) { c.BatchSize = 4 })
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancelEarly {
				cancel()
			} else {
				go func() {
					<-s.Blocked()
					cancel()
				}()
			}

			done := make(chan error, 1)
			go func() {
				_, err := e.Embed(ctx, makeTexts(3))
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second): // guard only: a hang is a failure
				t.Fatal("Embed did not return after cancellation")
			}

			if !errors.Is(err, context.Canceled) {
				t.Errorf("got error %v, want context.Canceled", err)
			}
			if code := StatusCode(err); code != 0 {
				t.Errorf("got StatusCode %d, want 0", code)
			}
			if n := len(s.EmbeddingRequests()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
			if n := len(rec.Recorded()); n != 0 {
				t.Errorf("got %d retry waits, want 0", n)
			}
		})
	}
}

func TestEmbedRetriesBatch(t *testing.T) {
	s := llmtest.New(t)
	// The second batch fails once with 503, then succeeds.
	s.ReplyEmbeddings(llmtest.EmbedReply{}, llmtest.EmbedReply{Status: http.StatusServiceUnavailable})
	rec := &llmtest.Sleeps{}
	e := newTestEmbedder(t, s, rec, func(c *Config) { c.BatchSize = 2 })

	got, err := e.Embed(t.Context(), makeTexts(4))
	if err != nil {
		t.Fatalf("Embed: got error %v, want nil", err)
	}
	if len(got) != 4 {
		t.Errorf("got %d vectors, want 4", len(got))
	}
	texts := makeTexts(4)
	want := [][]string{texts[0:2], texts[2:4], texts[2:4]}
	if diff := cmp.Diff(want, s.EmbeddingRequests()); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}
	if n := len(rec.Recorded()); n != 1 {
		t.Errorf("got %d retry waits, want 1", n)
	}
}

func TestNewEmbedder(t *testing.T) {
	tests := []struct {
		name            string
		cfg             Config
		wantErr         string
		wantFingerprint string
	}{
		{"empty model", Config{BaseURL: "http://localhost:11434/v1"}, "embed model is empty", ""},
		{"base url without scheme", Config{BaseURL: "localhost:11434", EmbedModel: "m"}, "needs a scheme and a host", ""},
		{"unparsable base url", Config{BaseURL: "http://bad host/v1", EmbedModel: "m"}, "parse base url", ""},
		{"unsupported scheme", Config{BaseURL: "ftp://example.com/v1", EmbedModel: "m"}, "scheme must be http or https", ""},
		{"default openai", Config{APIKey: "sk-secret", EmbedModel: "text-embedding-3-small"}, "",
			"openai:api.openai.com/text-embedding-3-small"},
		{"ollama", Config{BaseURL: "http://localhost:11434/v1", EmbedModel: "nomic-embed-text"}, "",
			"openai:localhost:11434/nomic-embed-text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEmbedder(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if got := e.Fingerprint(); got != tt.wantFingerprint {
				t.Errorf("got fingerprint %q, want %q", got, tt.wantFingerprint)
			}
			if tt.cfg.APIKey != "" && strings.Contains(e.Fingerprint(), tt.cfg.APIKey) {
				t.Errorf("got fingerprint %q containing the API key, want it absent", e.Fingerprint())
			}
			if got := e.BatchSize(); got != DefaultBatchSize {
				t.Errorf("got batch size %d, want %d", got, DefaultBatchSize)
			}
		})
	}
}
