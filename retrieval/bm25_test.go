package retrieval

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/citebot/citebot/analysis"
)

var fixture = []string{
	"Le gouvernement annonce un partenariat avec OpenAI.",                   // 0
	"Vantage Data Centres investit 12 milliards dans des data centers.",     // 1
	"Le gouvernement britannique investit dans les centres de données.",     // 2
	"Synthesia a créé un avatar pour la soirée à l'ambassade.",              // 3
	"Le gouvernement et le gouvernement et encore le gouvernement parlent.", // 4
}

// newBM25 indexes texts as rows 0..n-1.
func newBM25(texts []string) *bm25 {
	b := newBM25Builder(len(texts))
	for i, t := range texts {
		b.add(i, t)
	}
	ix, err := b.finish()
	if err != nil {
		panic(err)
	}
	return ix
}

func TestBM25Ranking(t *testing.T) {
	ix := newBM25(fixture)
	tests := []struct {
		query string
		want  []int // expected order of the first results
	}{
		{"data centers", []int{1}},
		{"avatar Synthesia", []int{3}},
		{"gouvernement partenariat OpenAI", []int{0}},
		{"cassoulet", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := ix.search(analysis.Terms(tt.query), 10)
			if len(tt.want) == 0 {
				if len(got) != 0 {
					t.Errorf("got %d results, want none", len(got))
				}
				return
			}
			if len(got) < len(tt.want) {
				t.Fatalf("got %d results, want at least %d", len(got), len(tt.want))
			}
			for i, doc := range tt.want {
				if got[i].doc != doc {
					t.Errorf("rank %d: got doc %d, want %d (all: %v)", i+1, got[i].doc, doc, got)
				}
			}
		})
	}
}

func TestBM25IDFOrdersRarity(t *testing.T) {
	ix := newBM25(fixture)
	common, rare, absent := ix.idf("gouvern"), ix.idf("synthesi"), ix.idf("cassoulet")
	if !(common < rare && rare <= absent) {
		t.Errorf("got idf common %.3f, rare %.3f, absent %.3f; want increasing", common, rare, absent)
	}
}

func TestFuseRewardsAgreement(t *testing.T) {
	vector := []scored{{doc: 1}, {doc: 2}, {doc: 5}, {doc: 3}}
	lexical := []scored{{doc: 3}, {doc: 2}, {doc: 4}}
	got := fuse(vector, lexical)
	var order []int
	for _, f := range got {
		order = append(order, f.doc)
	}
	// 2 is second in both lists and beats 3 (first and fourth); 1, 4 and 5
	// appear once, 4 and 5 at the same rank, tied by chunk order.
	want := []int{2, 3, 1, 4, 5}
	if !slices.Equal(order, want) {
		t.Errorf("got order %v, want %v", order, want)
	}
	if got[0].vectorRank != 2 || got[0].bm25Rank != 2 {
		t.Errorf("got ranks %d/%d for doc 2, want 2/2", got[0].vectorRank, got[0].bm25Rank)
	}
	if got[3].vectorRank != 0 || got[3].bm25Rank != 3 {
		t.Errorf("got ranks %d/%d for a doc only BM25 found, want 0/3", got[3].vectorRank, got[3].bm25Rank)
	}
}

func TestBestOfIsTheSortedPrefix(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 5, 50, 1000} {
		xs := make([]scored, n)
		for i := range xs {
			xs[i] = scored{doc: i, score: float64(r.IntN(20))} // many ties
		}
		want := slices.Clone(xs)
		slices.SortFunc(want, byRank)
		for _, k := range []int{1, 3, n / 2, n, n + 1} {
			if k <= 0 {
				continue
			}
			got := bestOf(slices.Clone(xs), k)
			if !slices.Equal(got, want[:min(k, n)]) {
				t.Errorf("n %d, k %d: got %v, want %v", n, k, got, want[:min(k, n)])
			}
		}
	}
}
