package answer

import (
	"cmp"
	"context"
	"log/slog"
	"slices"

	"github.com/citebot/citebot/retrieval"
)

// Scorer scores how well each text answers a query, higher is better: a
// cross-encoder rerank endpoint (rerank.Client) in practice.
type Scorer interface {
	Scores(ctx context.Context, query string, texts []string) ([]float64, error)
}

// rerankPool is how many candidates per passage kept are handed to the
// reranker: it can only promote what retrieval found.
const rerankPool = 3

// Reranked wraps ix so that every search retrieves rerankPool times the
// passages asked for, has scorer reorder them, and keeps the best k. When
// the scorer fails, the fused ranking is kept and a warning logged: a
// reranker improves answers, it must never cost one.
func Reranked(ix Index, scorer Scorer, logger *slog.Logger) Index {
	return &reranked{Index: ix, scorer: scorer, log: orDiscard(logger)}
}

type reranked struct {
	Index
	scorer Scorer
	log    *slog.Logger
}

// Search retrieves a larger pool and keeps the k the scorer ranks best;
// ties keep retrieval's order. An error from retrieval is passed on with
// whatever it returned (see retrieval.DegradedError).
func (r *reranked) Search(ctx context.Context, query string, k int) ([]retrieval.Result, error) {
	pool, err := r.Index.Search(ctx, query, k*rerankPool)
	if len(pool) <= 1 {
		return pool, err
	}
	texts := make([]string, len(pool))
	for i, p := range pool {
		texts[i] = p.Chunk.Text
	}
	scores, serr := r.scorer.Scores(ctx, query, texts)
	if serr != nil || len(scores) != len(pool) {
		r.log.Warn("reranking failed; keeping the fused ranking", "err", serr)
		return pool[:min(k, len(pool))], err
	}
	order := make([]int, len(pool))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	out := make([]retrieval.Result, 0, min(k, len(pool)))
	for _, i := range order[:min(k, len(order))] {
		out = append(out, pool[i])
	}
	return out, err
}
