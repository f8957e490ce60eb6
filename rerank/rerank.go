// Package rerank calls a cross-encoder rerank endpoint over HTTP to reorder
// retrieved passages before the answerer sees them. Rerankers read the
// question and each passage together, which ranks paraphrases and English
// questions over French passages better than fused vector and BM25 ranks;
// they are optional, for users who run or rent one.
//
// The endpoint is the common shape served by Cohere, Jina, llama.cpp's
// server and others:
//
//	POST URL  {"model": M, "query": Q, "documents": [D0, D1, …], "top_n": N}
//	→ {"results": [{"index": i, "relevance_score": s}, …]}
//
// A bare array of results and a "score" field (as some servers write it)
// are read too.
package rerank

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Client calls one rerank endpoint. It is safe for concurrent use.
type Client struct {
	URL, Model, APIKey string
	// HTTP carries the requests (default http.DefaultClient; the context
	// and Timeout bound each call).
	HTTP *http.Client
	// Timeout bounds one call (default DefaultTimeout): a reranker is worth
	// a short wait, not a question held up.
	Timeout time.Duration
}

// DefaultTimeout is Client.Timeout's default.
const DefaultTimeout = 5 * time.Second

// maxBody bounds what is read of a reply: scores for a few dozen passages
// fit in a few kilobytes.
const maxBody = 1 << 20

type request struct {
	Model     string   `json:"model,omitempty"`
	Query     string   `json:"query"`
	Documents []string `json:"documents"`
	TopN      int      `json:"top_n"`
}

type result struct {
	Index          int      `json:"index"`
	RelevanceScore *float64 `json:"relevance_score"`
	Score          *float64 `json:"score"`
}

// Scores returns a relevance score for each of docs, in order: higher is
// more relevant. A document the server left out gets the lowest score, so
// it ranks last. Any failure is an error naming the endpoint; callers keep
// their own ranking then.
func (c *Client) Scores(ctx context.Context, query string, docs []string) ([]float64, error) {
	if len(docs) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(c.Timeout, DefaultTimeout))
	defer cancel()
	body, err := json.Marshal(request{Model: c.Model, Query: query, Documents: docs, TopN: len(docs)})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("rerank %s: %w", c.URL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIKey)
	}
	resp, err := cmp.Or(c.HTTP, http.DefaultClient).Do(req)
	if err != nil {
		return nil, fmt.Errorf("rerank %s: %w", c.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("rerank %s: %w", c.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("rerank %s: HTTP %s", c.URL, resp.Status)
	}
	return parse(raw, len(docs))
}

// lowest is the score of a document the server did not score.
const lowest = -1e300

// parse reads the results of a rerank reply into one score per document.
func parse(raw []byte, n int) ([]float64, error) {
	var wrapped struct {
		Results []result `json:"results"`
	}
	var results []result
	if err := json.Unmarshal(raw, &wrapped); err == nil && wrapped.Results != nil {
		results = wrapped.Results
	} else if err := json.Unmarshal(raw, &results); err != nil {
		return nil, errors.New("rerank: the reply has no results")
	}
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = lowest
	}
	for _, r := range results {
		s := r.RelevanceScore
		if s == nil {
			s = r.Score
		}
		if r.Index < 0 || r.Index >= n || s == nil {
			return nil, fmt.Errorf("rerank: a result names document %d of %d, or has no score", r.Index, n)
		}
		scores[r.Index] = *s
	}
	return scores, nil
}
