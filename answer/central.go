package answer

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// centralUnits returns the sentences of the passages that can stand alone
// (not headings, fragments or questions), most central first. Centrality
// is the mean IDF-weighted cosine similarity with the other sentences.
func centralUnits(passages []retrieval.Result, idf func(string) (float64, bool)) []unit {
	type sent struct {
		u   unit
		vec map[string]float64
	}
	seen := map[int]bool{}
	var sents []sent
	for i, p := range passages {
		for _, s := range corpus.SplitSentences(p.Chunk.Text) {
			if seen[p.Chunk.Start+s.Start] || !standalone(s.Text) {
				continue
			}
			seen[p.Chunk.Start+s.Start] = true
			sents = append(sents, sent{unit{passage: i, start: s.Start, end: s.End}, termVector(s.Text, idf)})
		}
	}
	for i := range sents {
		total := 0.0
		for j := range sents {
			if i != j {
				total += cosine(sents[i].vec, sents[j].vec)
			}
		}
		sents[i].u.score = total / float64(max(1, len(sents)-1))
	}
	slices.SortStableFunc(sents, func(a, b sent) int { return cmp.Compare(b.u.score, a.u.score) })
	out := make([]unit, len(sents))
	for i, s := range sents {
		out[i] = s.u
	}
	return out
}

func standalone(s string) bool {
	s = strings.TrimSpace(s)
	return len(strings.Fields(s)) >= 8 && !isHeading(s) && !isListItem(s) && !strings.HasSuffix(s, "?")
}

func termVector(text string, idf func(string) (float64, bool)) map[string]float64 {
	v := map[string]float64{}
	for _, t := range analysis.Terms(text) {
		w, _ := idf(t)
		v[t] = w
	}
	return v
}

func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for t, x := range a {
		na += x * x
		dot += x * b[t]
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
