package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/citebot/citebot/retrieval"
)

// maxFloorQueries bounds the questions the floors are timed with: a flat
// scan of a million 1536-dimensional rows takes a second or more, and the
// median of 50 is steady.
const maxFloorQueries = 50

// truth is what the exhaustive search finds for each question: the IDs of
// the hybrid and vector top 10.
type truth struct {
	hybrid, vector [][]string
}

// timeQueries times the default search (hybrid and vector alone), the
// exhaustive one, the recall of the default and of each number of lists
// in nprobes, and the floors, over the same questions.
func (r *Result) timeQueries(ctx context.Context, ix *retrieval.Index, qs []string, nprobes []int) error {
	qvs := make([][]float32, len(qs))
	for i, q := range qs {
		var err error
		if qvs[i], err = ix.QueryVector(ctx, q); err != nil {
			return err
		}
	}
	search, err := timeSearch(ctx, ix, qs, K, nil)
	if err != nil {
		return err
	}
	r.QueryP50Ms, r.QueryP95Ms = ms(percentile(search, 50)), ms(percentile(search, 95))
	vector := make([]time.Duration, len(qs))
	for i, qv := range qvs {
		start := time.Now()
		if _, err := ix.VectorSearch(ctx, qv, vectorPool); err != nil {
			return err
		}
		vector[i] = time.Since(start)
	}
	r.VectorP50Ms = ms(percentile(vector, 50))

	ex := ix.WithNProbe(retrieval.Exhaustive)
	var tr truth
	exhaustive, err := timeSearch(ctx, ex, qs, recallK, &tr.hybrid)
	if err != nil {
		return err
	}
	r.ExhaustiveP50Ms = ms(percentile(exhaustive, 50))
	for _, qv := range qvs {
		ids, err := ex.VectorSearch(ctx, qv, recallK)
		if err != nil {
			return err
		}
		tr.vector = append(tr.vector, ids)
	}
	def, err := probe(ctx, ix, qs, qvs, tr)
	if err != nil {
		return err
	}
	r.VectorRecall, r.HybridRecall = def.VectorRecall, def.HybridRecall
	if err := r.sweep(ctx, ix, qs, qvs, tr, nprobes); err != nil {
		return err
	}
	r.timeFloors(ix, qvs[:min(len(qvs), maxFloorQueries)])
	return nil
}

// sweep measures the search with each number of lists below the index's.
func (r *Result) sweep(ctx context.Context, ix *retrieval.Index, qs []string, qvs [][]float32, tr truth, nprobes []int) error {
	if nprobes == nil {
		for n := 1; n < ix.Lists(); n *= 2 {
			nprobes = append(nprobes, n)
		}
	}
	for _, n := range nprobes {
		if n <= 0 || n >= ix.Lists() {
			continue
		}
		p, err := probe(ctx, ix.WithNProbe(n), qs, qvs, tr)
		if err != nil {
			return err
		}
		r.Sweep = append(r.Sweep, p)
	}
	return nil
}

// probe measures the recall@10 of ix's search against tr, and its time.
func probe(ctx context.Context, ix *retrieval.Index, qs []string, qvs [][]float32, tr truth) (Probe, error) {
	var hybrid [][]string
	ds, err := timeSearch(ctx, ix, qs, recallK, &hybrid)
	if err != nil {
		return Probe{}, err
	}
	p := Probe{NProbe: ix.NProbe(), HybridP50Ms: ms(percentile(ds, 50)), HybridRecall: recall(hybrid, tr.hybrid)}
	var vector [][]string
	for _, qv := range qvs {
		ids, err := ix.VectorSearch(ctx, qv, recallK)
		if err != nil {
			return p, err
		}
		vector = append(vector, ids)
	}
	p.VectorRecall = recall(vector, tr.vector)
	return p, nil
}

// timeSearch times ix.Search(q, k) for every question, keeping the IDs
// found in ids when it is not nil.
func timeSearch(ctx context.Context, ix *retrieval.Index, qs []string, k int, ids *[][]string) ([]time.Duration, error) {
	ds := make([]time.Duration, len(qs))
	for i, q := range qs {
		start := time.Now()
		rs, err := ix.Search(ctx, q, k)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ds[i] = time.Since(start)
		if ids != nil {
			found := make([]string, len(rs))
			for j, res := range rs {
				found[j] = res.Chunk.ID
			}
			*ids = append(*ids, found)
		}
	}
	return ds, nil
}

// recall is the share of the wanted IDs found, over all questions.
func recall(got, want [][]string) float64 {
	hits, total := 0, 0
	for i := range want {
		for _, id := range want[i] {
			if slices.Contains(got[i], id) {
				hits++
			}
		}
		total += len(want[i])
	}
	if total == 0 {
		return 1
	}
	return float64(hits) / float64(total)
}

// timeFloors times the three scans of the index's own rows.
func (r *Result) timeFloors(ix *retrieval.Index, qvs [][]float32) {
	_, flat := ix.Vectors()
	r.ScanP50Ms = ms(percentile(timeScan(flat, qvs, dotPlain, 1), 50))
	r.UnrolledP50Ms = ms(percentile(timeScan(flat, qvs, dot4, 1), 50))
	r.Unrolled2P50Ms = ms(percentile(timeScan(flat, qvs, dot4, 0), 50))
	if r.ScanP50Ms > 0 {
		r.VectorVsScan = r.VectorP50Ms / r.ScanP50Ms
	}
}
