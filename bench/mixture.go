package bench

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

// Mixture is an embedder whose vectors are shaped like those of an
// embedding API (1536 dimensions, say), for measuring the clustered index
// on data with the structure such models give: texts gather around topics
// and, within a topic, around subtopics; many mix two subtopics; every
// vector leans a little towards one common direction, so that unrelated
// texts are not quite orthogonal; and a question lies farther from the
// passages that answer it than those passages lie from each other. Uniform
// random vectors would have none of this structure, and every partition of
// them would be as good as a random one.
//
// Each text is a point of a mixture of Gaussians on the sphere: a hash of
// the text picks its subtopic (one of Topics × Subtopics) and, for half of
// the texts, a second subtopic; its vector is the normalised weighted sum
// of the common direction, its topic's, its subtopic's (and the second
// one's) and a direction of its own, each Gaussian and seeded by hashes.
// The weights give cosines of about 0.5 within a subtopic, 0.3 within a
// topic and 0.1 across topics. Texts ending with a question mark get a
// larger share of their own direction. The vectors carry no meaning: they
// measure how well the index finds the nearest ones, not whether those
// answer the question.
type Mixture struct {
	Dim, Topics, Subtopics int
	Seed                   uint64

	once    sync.Once
	centers [][]float64 // the common direction, topics, then subtopics
}

// NewMixture returns a 1536-dimensional mixture of 64 topics of 64
// subtopics each.
func NewMixture(seed uint64) *Mixture {
	return &Mixture{Dim: 1536, Topics: 64, Subtopics: 64, Seed: seed}
}

// Weights of the directions a vector sums (see Mixture).
const (
	mixCommon   = 0.3
	mixTopic    = 0.45
	mixSubtopic = 0.45
	mixSecond   = 0.35 // the second subtopic, for half of the texts
	mixOwn      = 0.7
	mixQuestion = 0.95 // own direction of a question
)

// Local reports that the embedder computes on this machine: indexing may
// call it on every core.
func (m *Mixture) Local() bool { return true }

// Fingerprint implements retrieval.Embedder.
func (m *Mixture) Fingerprint() string {
	return fmt.Sprintf("bench-mixture-d%d-t%d-s%d-seed%d", m.Dim, m.Topics, m.Subtopics, m.Seed)
}

// Embed implements retrieval.Embedder.
func (m *Mixture) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	m.once.Do(m.init)
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		out[i] = m.vector(t)
	}
	return out, nil
}

func (m *Mixture) init() {
	n := 1 + m.Topics*(1+m.Subtopics)
	m.centers = make([][]float64, n)
	for i := range m.centers {
		m.centers[i] = gaussianUnit(rand.New(rand.NewPCG(m.Seed, uint64(i))), m.Dim)
	}
}

func (m *Mixture) vector(text string) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	sum := h.Sum64()
	r := rand.New(rand.NewPCG(m.Seed^sum, sum))
	subs := m.Topics * m.Subtopics
	sub := r.IntN(subs)
	own := mixOwn
	if strings.HasSuffix(strings.TrimSpace(text), "?") {
		own = mixQuestion
	}
	acc := make([]float64, m.Dim)
	add := func(w float64, dir []float64) {
		for i, x := range dir {
			acc[i] += w * x
		}
	}
	add(mixCommon, m.centers[0])
	add(mixTopic, m.centers[1+sub/m.Subtopics])
	add(mixSubtopic, m.centers[1+m.Topics+sub])
	if r.IntN(2) == 0 {
		add(mixSecond, m.centers[1+m.Topics+r.IntN(subs)])
	}
	add(own, gaussianUnit(r, m.Dim))
	var sq float64
	for _, x := range acc {
		sq += x * x
	}
	inv := 1 / math.Sqrt(sq)
	v := make([]float32, m.Dim)
	for i, x := range acc {
		v[i] = float32(x * inv)
	}
	return v
}

// gaussianUnit is a uniformly random direction: a Gaussian vector scaled
// to unit length.
func gaussianUnit(r *rand.Rand, dim int) []float64 {
	v := make([]float64, dim)
	var sq float64
	for i := range v {
		v[i] = r.NormFloat64()
		sq += v[i] * v[i]
	}
	inv := 1 / math.Sqrt(sq)
	for i := range v {
		v[i] *= inv
	}
	return v
}
