package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The retrieval package consumes embedders through this interface (BatchSize
// is its optional batchSizer extension).
var _ interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Fingerprint() string
	BatchSize() int
} = (*Embedder)(nil)

const testModel = "test-embed-model"

// makeTexts returns n distinct texts.
func makeTexts(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = fmt.Sprintf("text number %d", i)
	}
	return texts
}

// newTestEmbedder returns an Embedder pointed at fs.
func newTestEmbedder(t *testing.T, fs *fakeServer, apiKey string, batchSize int) *Embedder {
	t.Helper()
	e, err := NewEmbedder(Config{
		APIKey:     apiKey,
		BaseURL:    fs.URL + "/v1",
		EmbedModel: testModel,
		BatchSize:  batchSize,
		HTTPClient: fs.Client(),
	})
	if err != nil {
		t.Fatalf("NewEmbedder: got error %v, want nil", err)
	}
	return e
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
			fs := newFakeServer(t, func(fs *fakeServer) {
				if tt.reverse {
					fs.tweak = reverseItems
				}
			})
			e := newTestEmbedder(t, fs, tt.apiKey, tt.batchSize)

			got, err := e.Embed(t.Context(), tt.texts)
			if err != nil {
				t.Fatalf("Embed: got error %v, want nil", err)
			}

			reqs := fs.requests()
			if len(reqs) != len(tt.wantInputs) {
				t.Fatalf("got %d requests, want %d", len(reqs), len(tt.wantInputs))
			}
			var sent []string
			for i, r := range reqs {
				if r.Model != testModel {
					t.Errorf("request %d: got model %q, want %q", i, r.Model, testModel)
				}
				if r.Auth != tt.wantAuth {
					t.Errorf("request %d: got Authorization %q, want %q", i, r.Auth, tt.wantAuth)
				}
				if diff := cmp.Diff(tt.wantInputs[i], r.Input); diff != "" {
					t.Errorf("request %d: inputs mismatch (-want +got):\n%s", i, diff)
				}
				sent = append(sent, r.Input...)
			}

			want := make([][]float32, len(sent))
			for i, text := range sent {
				want[i] = fakeVector(text)
				if err := normalize(want[i]); err != nil {
					t.Fatalf("normalize fake vector: %v", err)
				}
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("vectors mismatch (-want +got):\n%s", diff)
			}
			for i, v := range got {
				if n := l2(v); math.Abs(n-1) > 1e-6 {
					t.Errorf("vector %d: got norm %v, want 1", i, n)
				}
			}
		})
	}
}

func l2(v []float32) float64 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	return math.Sqrt(sum)
}

func TestEmbedNoTexts(t *testing.T) {
	for _, tt := range []struct {
		name  string
		texts []string
	}{{"nil", nil}, {"empty", []string{}}} {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeServer(t, nil)
			e := newTestEmbedder(t, fs, "k", 4)
			got, err := e.Embed(t.Context(), tt.texts)
			if err != nil {
				t.Errorf("got error %v, want nil", err)
			}
			if got != nil {
				t.Errorf("got %v, want nil", got)
			}
			if n := len(fs.requests()); n != 0 {
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
			started := make(chan struct{})
			fs := newFakeServer(t, func(fs *fakeServer) { fs.started = started })
			e := newTestEmbedder(t, fs, "k", 4)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancelEarly {
				cancel()
			} else {
				go func() {
					<-started
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
			if n := len(fs.requests()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
		})
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
