package report

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/retrieval"
)

// wording is one distinct way a question was put, with what the grouping
// compares: its content terms (English ones with their French
// equivalents, French ones with their synonyms, all stemmed and folded)
// and, when an embedder is given, its vector.
type wording struct {
	key   string // folded, spacing normalised: the same text typed twice
	text  string // as first seen
	terms map[string]float64
	vec   []float32
}

// normalise is the key under which two texts count as one wording.
func normalise(s string) string {
	return strings.Join(analysisWords(s), " ")
}

func analysisWords(s string) []string {
	toks := analysis.Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = analysis.Fold(t.Text)
	}
	return out
}

// termsOf returns the weighted content terms of q: its own at weight 1,
// the French of its English words at translationWeight and the French
// synonyms of its words at synonymWeight, so that "salary" meets
// "salaire" and "salaire" meets "gagner" without either counting as much
// as a word both questions share. Synonym groups are loose ("prix" and
// "abonnement" share one), hence their lower weight.
func termsOf(q string) map[string]float64 {
	out := map[string]float64{}
	add := func(terms []string, w float64) {
		for _, t := range terms {
			if w > out[t] {
				out[t] = w
			}
		}
	}
	for _, tok := range analysis.Tokens(q) {
		own := analysis.WordTerms(tok.Text)
		if len(own) == 0 {
			continue
		}
		add(own, 1)
		for _, fr := range analysis.Translate(tok.Text) {
			add(analysis.WordTerms(fr), translationWeight)
		}
		for _, syn := range analysis.Synonyms(tok.Text) {
			add(analysis.WordTerms(syn), synonymWeight)
		}
	}
	return out
}

// What a term stood for by another counts, against 1 for a term written
// in the question. Both were set on testdata/gaps_*_subjects.txt.
const (
	translationWeight = 0.5
	synonymWeight     = 0.25
)

// wordings turns texts into distinct wordings, embedding them with emb
// when there is one. An embedder that fails leaves the vectors out: terms
// alone still group.
func wordings(ctx context.Context, texts []string, emb retrieval.Embedder) []*wording {
	out := make([]*wording, len(texts))
	inputs := make([]string, len(texts))
	for i, t := range texts {
		out[i] = &wording{key: normalise(t), text: t, terms: termsOf(t)}
		inputs[i] = analysis.Expand(t)
	}
	if emb != nil && len(texts) > 0 {
		if vecs, err := emb.Embed(ctx, inputs); err == nil && len(vecs) == len(texts) {
			for i := range out {
				out[i].vec = vecs[i]
			}
		}
	}
	return out
}

// idf weighs terms by how few of the wordings use them, so that what
// every declined question says ("combien", "france") joins nothing.
func idf(ws []*wording) map[string]float64 {
	df := map[string]int{}
	for _, w := range ws {
		for t := range w.terms {
			df[t]++
		}
	}
	out := make(map[string]float64, len(df))
	n := float64(len(ws))
	for t, d := range df {
		out[t] = math.Log(1 + n/float64(d))
	}
	return out
}

// termCosine is the cosine of a and b's term weights times idf.
func termCosine(a, b map[string]float64, idf map[string]float64) float64 {
	var dot, na, nb float64
	for t, wa := range a {
		x := wa * idf[t]
		na += x * x
		if wb, ok := b[t]; ok {
			dot += x * wb * idf[t]
		}
	}
	for t, wb := range b {
		y := wb * idf[t]
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// vecCosine is the dot product of two unit vectors, 0 when either is missing.
func vecCosine(a, b []float32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

// groupWordings groups ws (most frequent first) by similarity: average
// linkage over the first maxWordings, then each wording left alone, or
// beyond that bound, joins the group it is most like when that is at
// least half the threshold — a terse or oddly put question ("how to sign
// up on the electoral roll") is less like each of its group's wordings
// than they are like one another, but still far more than like anything
// else. Each group lists indexes into ws, increasing, so the first is the
// most frequent wording.
func groupWordings(ws []*wording, threshold float64) [][]int {
	weights := idf(ws)
	sim := func(i, j int) float64 {
		t := termCosine(ws[i].terms, ws[j].terms, weights)
		if ws[i].vec == nil || ws[j].vec == nil {
			return t
		}
		return (t + vecCosine(ws[i].vec, ws[j].vec)) / 2
	}
	n := min(len(ws), maxWordings)
	var groups, alone [][]int
	for _, g := range cluster(n, sim, threshold) {
		if len(g) == 1 {
			alone = append(alone, g)
		} else {
			groups = append(groups, g)
		}
	}
	for i := n; i < len(ws); i++ {
		alone = append(alone, []int{i})
	}
	joined := make([][]int, len(groups))
	for _, a := range alone {
		i := a[0]
		best, bestSim := -1, threshold/2
		for gi, g := range groups {
			var sum float64
			for _, j := range g {
				sum += sim(i, j)
			}
			if avg := sum / float64(len(g)); avg >= bestSim {
				best, bestSim = gi, avg
			}
		}
		if best < 0 {
			groups = append(groups, a)
			joined = append(joined, nil)
			continue
		}
		joined[best] = append(joined[best], i)
	}
	for gi := range groups {
		groups[gi] = append(groups[gi], joined[gi]...)
		slices.Sort(groups[gi])
	}
	return groups
}
