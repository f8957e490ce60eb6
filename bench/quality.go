package bench

import (
	"context"
	"slices"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/eval"
	"github.com/citebot/citebot/retrieval"
)

// QualityResult compares retrieval with clustering on and off on the same
// corpus: what a clustered search loses, if anything, on questions whose
// answer is known.
type QualityResult struct {
	Chunks int `json:"chunks"`
	Lists  int `json:"lists"`
	NProbe int `json:"nprobe"`
	// Questions counts the answerable questions with expected documents.
	Questions int `json:"questions"`
	// HitOn and HitOff are the retrieval hit@5: the share of questions
	// with an expected document among the first five passages.
	HitOn  float64 `json:"hit_at_5_clustered"`
	HitOff float64 `json:"hit_at_5_one_collection"`
	// Differ names the questions hit one way and missed the other.
	Differ []string `json:"differ,omitempty"`
}

// Quality indexes the built-in corpus padded with generated articles to
// about n chunks, once clustered from minClustered chunks (0: the
// default) and once as one collection, and measures the retrieval hit@5
// of the evaluation cases with both.
func Quality(ctx context.Context, cases []eval.Case, n, minClustered int, seed uint64) (QualityResult, error) {
	builtin, _, err := corpus.Load(corpus.Default())
	if err != nil {
		return QualityResult{}, err
	}
	filler, err := Generate(n, seed)
	if err != nil {
		return QualityResult{}, err
	}
	docs := append(builtin, filler...)
	on, _, err := retrieval.Open(ctx, docs, retrieval.Options{MinClustered: minClustered})
	if err != nil {
		return QualityResult{}, err
	}
	off, _, err := retrieval.Open(ctx, docs, retrieval.Options{MinClustered: -1})
	if err != nil {
		return QualityResult{}, err
	}
	q := QualityResult{Chunks: on.Len(), Lists: on.Lists(), NProbe: on.NProbe()}
	hitOn, hitOff := 0, 0
	for _, c := range cases {
		if !c.Answerable || len(c.ExpectDocs) == 0 {
			continue
		}
		q.Questions++
		a, err := hit5(ctx, on, c)
		if err != nil {
			return q, err
		}
		b, err := hit5(ctx, off, c)
		if err != nil {
			return q, err
		}
		hitOn, hitOff = hitOn+b2i(a), hitOff+b2i(b)
		if a != b {
			q.Differ = append(q.Differ, c.ID)
		}
	}
	if q.Questions > 0 {
		q.HitOn, q.HitOff = float64(hitOn)/float64(q.Questions), float64(hitOff)/float64(q.Questions)
	}
	return q, nil
}

// hit5 reports whether an expected document is among the first five
// passages retrieved for the case's question.
func hit5(ctx context.Context, ix *retrieval.Index, c eval.Case) (bool, error) {
	rs, err := ix.Search(ctx, c.Question, 5)
	if err != nil {
		return false, err
	}
	for _, r := range rs {
		if slices.Contains(c.ExpectDocs, r.Doc.ID) {
			return true, nil
		}
	}
	return false, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
