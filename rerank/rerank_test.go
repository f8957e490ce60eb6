package rerank

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScores(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  []float64
	}{
		{"results out of order", `{"results":[{"index":2,"relevance_score":0.9},{"index":0,"relevance_score":0.1},{"index":1,"relevance_score":0.5}]}`, []float64{0.1, 0.5, 0.9}},
		{"bare array with score", `[{"index":1,"score":2},{"index":0,"score":-1},{"index":2,"score":0}]`, []float64{-1, 2, 0}},
		{"a document left out ranks last", `{"results":[{"index":0,"relevance_score":0.3},{"index":2,"relevance_score":0.2}]}`, []float64{0.3, lowest, 0.2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got request
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer k" {
					t.Errorf("got Authorization %q, want the key", r.Header.Get("Authorization"))
				}
				if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
					t.Error(err)
				}
				w.Write([]byte(tt.reply))
			}))
			defer srv.Close()
			c := &Client{URL: srv.URL, Model: "m", APIKey: "k"}
			scores, err := c.Scores(context.Background(), "q", []string{"a", "b", "c"})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(scores, tt.want) {
				t.Errorf("got %v, want %v", scores, tt.want)
			}
			if got.Model != "m" || got.Query != "q" || !slices.Equal(got.Documents, []string{"a", "b", "c"}) || got.TopN != 3 {
				t.Errorf("got request %+v, want model, query, the documents and top_n 3", got)
			}
		})
	}
}

// Every failure is an error naming the endpoint or the fault, so that the
// caller can log it and keep its own ranking.
func TestScoresFailures(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"server error", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", 503) }, "HTTP 503"},
		{"not JSON", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>")) }, "no results"},
		{"index out of range", func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte(`{"results":[{"index":7,"relevance_score":1}]}`))
		}, "document 7 of 2"},
		{"no score", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"results":[{"index":0}]}`)) }, "no score"},
		// Reading the body lets the server notice the client hanging up.
		{"hung", func(_ http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body); <-r.Context().Done() }, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := &Client{URL: srv.URL, Timeout: 50 * time.Millisecond}
			if _, err := c.Scores(context.Background(), "q", []string{"a", "b"}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}
