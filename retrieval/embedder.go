// Package retrieval finds the passages that answer a question: vectors in
// chromem-go (one collection, or from DefaultMinClustered chunks one per
// list of a k-means clustering, of which a search scans the nearest few)
// and a BM25 index over the same chunks, fused with reciprocal rank
// fusion, persisted with the documents so that a restart neither re-embeds
// nor re-reads an unchanged corpus.
package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/citebot/citebot/analysis"
)

// Embedder turns texts into unit-length vectors, one per text, in order.
// Implementations batch: indexing hands them many texts at once.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Fingerprint names the embedding space; when it changes, every stored
	// vector is stale and the index is rebuilt.
	Fingerprint() string
}

// batchSizer is implemented by embedders that send fixed-size batches, so
// that indexing can hand them whole batches and never split one in two
// requests.
type batchSizer interface{ BatchSize() int }

// Hashed is the built-in offline embedder: no weights, no network. Each text
// becomes a bag of features — the stems of its content words (both French and
// English stems, see analysis.Terms) and the character 3- and 4-grams of its
// accent-folded words — hashed into Dim signed buckets with sublinear term
// frequency, then L2-normalised. Character n-grams let cognates meet across
// languages ("employees"/"employés", "embassy"/"ambassade").
//
// Passage vectors carry no corpus statistics, so one changed file never
// invalidates the others; inverse document frequency is applied on the query
// side instead (see EmbedQuery), which yields the same dot product ranking
// numerator as TF-IDF on both sides.
type Hashed struct {
	Dim int
}

// DefaultHashedDim balances collisions against memory: 768 float32 are
// 3 KiB per chunk.
const DefaultHashedDim = 768

// NewHashed returns the offline embedder with the default dimension.
func NewHashed() *Hashed { return &Hashed{Dim: DefaultHashedDim} }

// hashedVersion changes whenever feature extraction changes, so that stored
// vectors from an older build are not compared with new query vectors.
const hashedVersion = 1

// Local reports that the embedder computes on this machine: indexing may
// call it on every core.
func (h *Hashed) Local() bool { return true }

// Fingerprint implements Embedder.
func (h *Hashed) Fingerprint() string {
	return fmt.Sprintf("hashed-v%d-d%d", hashedVersion, h.Dim)
}

// Embed implements Embedder for passages: term frequencies only.
func (h *Hashed) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	s := h.session()
	for i, t := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = make([]float32, h.Dim)
		s.embed(out[i], t)
	}
	return out, nil
}

// hashedSession embeds passages one after the other on one goroutine,
// remembering each distinct word's features (stemming and folding
// dominate indexing time, and words repeat across passages) and reusing
// its accumulator: indexing keeps one a core for all its batches.
type hashedSession struct {
	h      *Hashed
	cache  map[string]wordFeatures
	acc    []float64
	counts map[string]int
}

// maxCachedWords bounds a session's memory on a corpus of many distinct
// words: past it, the cache starts again.
const maxCachedWords = 1 << 17

func (h *Hashed) session() *hashedSession {
	return &hashedSession{h: h, cache: map[string]wordFeatures{}, acc: make([]float64, h.Dim), counts: map[string]int{}}
}

// termCount is how many times a passage has a BM25 term.
type termCount struct {
	term string
	tf   int32
}

// embed writes the passage vector of text into v (h.Dim values), and
// returns the sum of the squares of its values as normalizeInto computes
// it, and the passage's BM25 terms with their counts (those
// bm25Builder.add would count: the same words give the same terms), so
// that indexing reads each passage once.
func (s *hashedSession) embed(v []float32, text string) (float64, []termCount) {
	if len(s.cache) > maxCachedWords {
		clear(s.cache)
	}
	clear(s.acc)
	clear(s.counts)
	s.h.accumulate(s.acc, text, nil, s.cache, s.counts)
	terms := make([]termCount, 0, len(s.counts))
	for t, n := range s.counts {
		terms = append(terms, termCount{t, int32(n)})
	}
	return s.h.finish(v, s.acc, true), terms
}

// EmbedQuery embeds a question with each word's features weighted by
// weight(term) squared: the query carries the IDF that passage vectors leave
// out. weight receives the word's first stem.
func (h *Hashed) EmbedQuery(text string, weight func(term string) float64) []float32 {
	acc, v := make([]float64, h.Dim), make([]float32, h.Dim)
	h.accumulate(acc, text, weight, nil, nil)
	h.finish(v, acc, weight == nil)
	return v
}

// accumulate adds the features of text to acc. Each word contributes its
// stems with weight 1 and its n-grams with a total squared weight of 1, so
// a word's spelling counts as much as its stem. cache, when not nil, keeps
// each word's features for the next texts; counts, when not nil, counts
// the words' terms.
func (h *Hashed) accumulate(acc []float64, text string, weight func(string) float64, cache map[string]wordFeatures, counts map[string]int) {
	for _, tok := range analysis.Tokens(text) {
		f, ok := cache[tok.Text]
		if !ok {
			f = h.features(tok.Text)
			if cache != nil {
				cache[tok.Text] = f
			}
		}
		if len(f.stems) == 0 {
			continue
		}
		if counts != nil {
			for _, t := range f.terms {
				counts[t]++
			}
		}
		w := 1.0
		if weight != nil {
			idf := weight(f.terms[0])
			w = idf * idf
		}
		for _, b := range f.stems {
			acc[b.bucket] += b.sign * w
		}
		gw := w / math.Sqrt(float64(len(f.grams)))
		for _, b := range f.grams {
			acc[b.bucket] += b.sign * gw
		}
	}
}

// wordFeatures is what one word adds to a vector before weighting: the
// hashed buckets of its stems and of its character n-grams. terms are its
// stems (analysis.WordTerms), the first of which query weights are looked
// up by. A word without content (a stopword) has no stems and adds
// nothing.
type wordFeatures struct {
	terms        []string
	stems, grams []feature
}

// feature is a hashed bucket and the sign its weight is added with.
type feature struct {
	bucket uint32
	sign   float64
}

func (h *Hashed) features(word string) wordFeatures {
	terms := analysis.WordTerms(word)
	if len(terms) == 0 {
		return wordFeatures{}
	}
	f := wordFeatures{terms: terms}
	for _, term := range terms {
		f.stems = append(f.stems, h.feature("w:"+term))
	}
	for _, g := range ngrams(analysis.Fold(word)) {
		f.grams = append(f.grams, h.feature("g:"+g))
	}
	return f
}

func (h *Hashed) feature(name string) feature {
	f := fnv.New64a()
	f.Write([]byte(name))
	sum := f.Sum64()
	sign := 1.0
	if sum>>63 == 1 {
		sign = -1
	}
	return feature{bucket: uint32(sum % uint64(h.Dim)), sign: sign}
}

// finish writes acc into v with sublinear term frequency for passages (a
// word repeated ten times is not ten times as relevant; queries are short
// and keep their IDF weights as they are) and L2 normalisation: chromem-go
// expects unit vectors and does not normalise stored ones for us. It
// returns the sum of the squares of v's values in float64, in order, as
// squaredNorm would compute it, so that indexing need not read v again.
func (h *Hashed) finish(v []float32, acc []float64, sublinear bool) float64 {
	var norm float64
	for b, x := range acc {
		s := x
		if sublinear && x != 0 { // most buckets are empty: log1p(0) is 0
			s = math.Copysign(math.Log1p(math.Abs(x)), x)
		}
		v[b] = float32(s)
		norm += s * s
	}
	if norm == 0 {
		v[0] = 1 // an empty text still needs a unit vector; it matches nothing in particular
		return 1
	}
	inv := float32(1 / math.Sqrt(norm))
	var sq float64
	for i := range v {
		v[i] *= inv
		sq += float64(v[i]) * float64(v[i])
	}
	return sq
}

// ngrams returns the character 3- and 4-grams of a word framed by
// boundary marks, so that prefixes and suffixes are features of their own.
func ngrams(word string) []string {
	r := []rune("<" + word + ">")
	var out []string
	for n := 3; n <= 4; n++ {
		for i := 0; i+n <= len(r); i++ {
			out = append(out, string(r[i:i+n]))
		}
	}
	if len(out) == 0 {
		out = append(out, string(r))
	}
	return out
}
