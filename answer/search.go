package answer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// Retrieval, for both answerers. The question as asked (and its
// translation, with a model) is searched first: the gate judges those
// passages, as it was measured to. When the question asks two things
// ("where was the summit held, and where is Kyndryl hiring?", "quelles
// fonctions occupent Peter Kyle et Bruno Le Maire ?"), each part is then
// searched on its own and its best passages are handed to the answerer
// too: searched as one, such a question ranks the passages of its better
// matched half first, and the other half's answer can fall out of the
// top K. Each part costs one more search (one more embedding request
// with a remote embedding model); a question that asks one thing costs
// none.
//
// Searching the question's words said otherwise (synonyms, other names)
// as a further query was measured too: with the model's 16 passages it
// brought no fact the others lacked, and with the reader's 8 it changed
// no answer, so it is not done.

// retrieved is what a search found: the question's own passages (for
// the gate) and the passages handed to the answerer.
type retrieved struct {
	asked, handed []retrieval.Result
	// degraded is the *retrieval.DegradedError of a search that could
	// not embed a query, or nil.
	degraded error
}

// partBest is how many of a part's best passages are handed to the
// answerer.
const partBest = 2

// search searches queries (the question first), k passages each, and
// fuses them; then the question's parts, adding each one's best.
func search(ctx context.Context, ix Searcher, queries []string, k int) (retrieved, error) {
	var r retrieved
	run := func(q string, k int) ([]retrieval.Result, error) {
		rs, err := ix.Search(ctx, q, k)
		if degradedSearch(err) {
			r.degraded, err = err, nil
		}
		if err != nil {
			return nil, fmt.Errorf("retrieve: %w", err)
		}
		return rs, nil
	}
	var lists [][]retrieval.Result
	for _, q := range queries {
		rs, err := run(q, k)
		if err != nil {
			return r, err
		}
		lists = append(lists, rs)
	}
	r.asked = retrieval.FuseResults(lists, k)
	r.handed = r.asked
	for _, q := range partQueries(queries[0], ix.IDF, properWords(r.asked)) {
		if slices.Contains(queries, q) {
			continue
		}
		rs, err := run(q, partBest)
		if err != nil {
			return r, err
		}
		r.handed = addBest(r.handed, rs, partBest)
	}
	return r, nil
}

// addBest appends to passages the first n of more that it lacks.
func addBest(passages, more []retrieval.Result, n int) []retrieval.Result {
	for _, p := range more[:min(n, len(more))] {
		if !slices.ContainsFunc(passages, func(q retrieval.Result) bool { return q.Chunk.ID == p.Chunk.ID }) {
			passages = append(passages, p)
		}
	}
	return passages
}

// partQueries returns the queries of the parts of a question that asks
// two things, each with the words of the question it shares, or none for
// a question that asks one.
func partQueries(q string, idf func(string) (float64, bool), proper map[string]bool) []string {
	ps := parseQuestion(q, idf, proper)
	if split, ok := distributeAll(ps); ok {
		ps = split
	}
	var out []string
	for _, p := range ps {
		if pq := partQuery(p); len(ps) > 1 && !slices.Contains(out, pq) {
			out = append(out, pq)
		}
	}
	return out
}

// partQuery is a part's text with the words it inherits or shares.
func partQuery(p part) string {
	words := []string{p.text}
	text := analysis.Fold(p.text)
	for _, w := range p.words {
		if !strings.Contains(text, w.folded) {
			words = append(words, w.text)
		}
	}
	return strings.Join(words, " ")
}
