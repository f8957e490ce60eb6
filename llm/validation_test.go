package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	openai "github.com/sashabaranov/go-openai"
)

func TestEmbedErrors(t *testing.T) {
	onFirstCall := func(f func([]fakeItem) []fakeItem) func(int, []fakeItem) []fakeItem {
		return func(call int, data []fakeItem) []fakeItem {
			if call == 0 {
				return f(data)
			}
			return data
		}
	}
	tests := []struct {
		name       string
		setup      func(*fakeServer)
		texts      int
		batchSize  int
		wantErr    []string // substrings of the error message
		wantStatus int
	}{
		{"401 unauthorized", func(fs *fakeServer) { fs.status = http.StatusUnauthorized },
			3, 4, []string{"embed batch 1/1", "401", "fake failure"}, 401},
		{"500 server error", func(fs *fakeServer) { fs.status = http.StatusInternalServerError },
			3, 4, []string{"embed batch 1/1", "500"}, 500},
		{"502 non-json body", func(fs *fakeServer) {
			fs.status, fs.errBody = http.StatusBadGateway, "<html>bad gateway</html>"
		}, 3, 4, []string{"embed batch 1/1", "502"}, 502},
		{"fewer embeddings than inputs", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem { return d[:len(d)-1] })
		}, 3, 4, []string{"embed batch 1/1", "got 2 embeddings for 3 inputs"}, 0},
		{"zero vector", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem {
				d[1].Embedding = make([]float32, fakeDim)
				return d
			})
		}, 3, 4, []string{"embedding 1", "zero norm"}, 0},
		{"duplicate index", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem { d[2].Index = 0; return d })
		}, 3, 4, []string{"index 0 returned twice"}, 0},
		{"index out of range", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem { d[2].Index = 3; return d })
		}, 3, 4, []string{"index 3 out of range"}, 0},
		{"empty embedding", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem {
				for i := range d {
					d[i].Embedding = []float32{}
				}
				return d
			})
		}, 3, 4, []string{"embedding 0 is empty"}, 0},
		{"dimension mismatch within a batch", func(fs *fakeServer) {
			fs.tweak = onFirstCall(func(d []fakeItem) []fakeItem { d[1].Embedding = d[1].Embedding[:4]; return d })
		}, 3, 4, []string{"embedding 1 has dimension 4, want 8"}, 0},
		{"dimension mismatch across batches", func(fs *fakeServer) {
			fs.tweak = func(call int, d []fakeItem) []fakeItem {
				if call == 1 {
					for i := range d {
						d[i].Embedding = d[i].Embedding[:4]
					}
				}
				return d
			}
		}, 4, 2, []string{"embed batch 2/2", "dimension 4 differs from earlier batches (8)"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFakeServer(t, tt.setup)
			e := newTestEmbedder(t, fs, "k", tt.batchSize)

			got, err := e.Embed(t.Context(), makeTexts(tt.texts))
			if err == nil {
				t.Fatalf("got vectors %v and nil error, want an error", got)
			}
			if got != nil {
				t.Errorf("got vectors %v, want nil alongside the error", got)
			}
			for _, sub := range tt.wantErr {
				if !strings.Contains(err.Error(), sub) {
					t.Errorf("got error %q, want it to contain %q", err, sub)
				}
			}
			if code := StatusCode(err); code != tt.wantStatus {
				t.Errorf("got StatusCode %d, want %d", code, tt.wantStatus)
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
