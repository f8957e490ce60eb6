package main

import (
	"encoding/json"
	"io"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// The JSON shapes below are the CLI's data contract: stable lowercase names,
// independent of the Go types behind them.

type sourceOut struct {
	N       int    `json:"n"`
	ChunkID string `json:"chunk_id"`
	DocID   string `json:"doc_id"`
	Title   string `json:"title"`
	Date    string `json:"date,omitempty"`
	URL     string `json:"url,omitempty"`
	Quote   string `json:"quote"`
}

type passageOut struct {
	Rank       int     `json:"rank"`
	ChunkID    string  `json:"chunk_id"`
	DocID      string  `json:"doc_id"`
	Title      string  `json:"title"`
	Date       string  `json:"date,omitempty"`
	Fused      float64 `json:"fused"`
	Vector     float64 `json:"vector"`
	BM25       float64 `json:"bm25"`
	VectorRank int     `json:"vector_rank"`
	BM25Rank   int     `json:"bm25_rank"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
}

type usageOut struct {
	Prompt     int `json:"prompt_tokens"`
	Completion int `json:"completion_tokens"`
	Total      int `json:"total_tokens"`
}

type answerOut struct {
	Question       string       `json:"question"`
	Query          string       `json:"query,omitempty"`
	Lang           string       `json:"lang"`
	Mode           string       `json:"mode"`
	Refused        bool         `json:"refused"`
	GateRefused    bool         `json:"gate_refused,omitempty"`
	Answer         string       `json:"answer"`
	Notice         string       `json:"notice,omitempty"`
	RemovedMarkers int          `json:"removed_markers,omitempty"`
	Usage          *usageOut    `json:"usage,omitempty"`
	Sources        []sourceOut  `json:"sources"`
	Passages       []passageOut `json:"passages"`
}

func answerJSON(a answer.Answer) answerOut {
	out := answerOut{Question: a.Question, Query: a.Query, Lang: a.Lang, Mode: a.Mode, Refused: a.Refused, GateRefused: a.GateRefused, Answer: a.Text,
		Notice: a.Notice, RemovedMarkers: a.RemovedMarkers, Sources: []sourceOut{}, Passages: passagesJSON(a.Passages)}
	if a.Usage.TotalTokens > 0 {
		out.Usage = &usageOut{a.Usage.PromptTokens, a.Usage.CompletionTokens, a.Usage.TotalTokens}
	}
	for _, s := range a.Sources {
		out.Sources = append(out.Sources, sourceOut{N: s.N, ChunkID: s.ChunkID, DocID: s.DocID, Title: s.Title, Date: s.Date, URL: s.URL, Quote: s.Quote})
	}
	return out
}

func passagesJSON(rs []retrieval.Result) []passageOut {
	out := make([]passageOut, 0, len(rs))
	for i, r := range rs {
		out = append(out, passageOut{
			Rank: i + 1, ChunkID: r.Chunk.ID, DocID: r.Doc.ID, Title: r.Doc.Title, Date: r.Doc.Date,
			Fused: r.Fused, Vector: r.Vector, BM25: r.BM25, VectorRank: r.VectorRank, BM25Rank: r.BM25Rank,
			Start: r.Chunk.Start, End: r.Chunk.End, Text: r.Chunk.Text,
		})
	}
	return out
}
