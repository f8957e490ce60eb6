package retrieval

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
)

// bm25Builder fills a bm25 row by row, in any order: rows carried over
// from a persisted index and rows analysed now.
type bm25Builder struct {
	postings map[string][]posting
	lengths  []int32
	// words keeps each distinct word's terms for the build: stemming
	// dominated building (and so loading) the index, and words repeat.
	words  map[string][]string
	counts map[string]int
}

func newBM25Builder(rows int) *bm25Builder {
	return &bm25Builder{
		postings: map[string][]posting{},
		lengths:  make([]int32, rows),
		words:    map[string][]string{},
		counts:   map[string]int{},
	}
}

// add analyses text as chunk row; the same as analysis.Terms on the text.
func (b *bm25Builder) add(row int, text string) {
	clear(b.counts)
	for _, tok := range analysis.Tokens(text) {
		terms, ok := b.words[tok.Text]
		if !ok {
			terms = analysis.WordTerms(tok.Text)
			b.words[tok.Text] = terms
		}
		for _, term := range terms {
			b.counts[term]++
		}
	}
	n := 0
	for term, tf := range b.counts {
		b.postings[term] = append(b.postings[term], posting{doc: int32(row), tf: int32(tf)})
		n += tf
	}
	b.lengths[row] = int32(n)
}

// addCounts adds chunk row with the terms counted elsewhere (see
// hashedSession.embed): the same as add on its text.
func (b *bm25Builder) addCounts(row int, terms []termCount) {
	n := 0
	for _, t := range terms {
		b.postings[t.term] = append(b.postings[t.term], posting{doc: int32(row), tf: t.tf})
		n += int(t.tf)
	}
	b.lengths[row] = int32(n)
}

// carry copies the postings and lengths of a previous index, moving each
// old row to rows[old]; rows[old] < 0 drops it (its document changed or
// is gone). The previous index may be a mapped data file that the new one
// will not keep: its terms are copied.
func (b *bm25Builder) carry(prev *bm25, rows []int32) {
	for i := range prev.numTerms() {
		term := prev.term(i)
		out, known := b.postings[term]
		for _, p := range prev.postingsAt(i) {
			if to := rows[p.doc]; to >= 0 {
				out = append(out, posting{doc: to, tf: p.tf})
			}
		}
		if len(out) == 0 {
			continue
		}
		if !known {
			term = strings.Clone(term)
		}
		b.postings[term] = out
	}
	for old, to := range rows {
		if to >= 0 {
			b.lengths[to] = prev.lengths[old]
		}
	}
}

// finish lays the postings out as a loaded index has them: terms in byte
// order, each term's postings ordered by chunk (so that the persisted form
// does not depend on the order rows were added), all in one array. The
// builder's postings are released term by term as they are copied.
func (b *bm25Builder) finish() (*bm25, error) {
	terms := slices.Sorted(maps.Keys(b.postings))
	total, size := 0, 0
	for _, t := range terms {
		total += len(b.postings[t])
		size += len(t)
	}
	if total > math.MaxUint32 || size > math.MaxUint32 {
		return nil, fmt.Errorf("%d postings of %d bytes of terms: more than an index holds", total, size)
	}
	ix := &bm25{termEnd: make([]uint32, 0, len(terms)), posts: make([]posting, 0, total), postEnd: make([]uint32, 0, len(terms)), lengths: b.lengths}
	var text strings.Builder
	text.Grow(size)
	for _, t := range terms {
		ps := b.postings[t]
		delete(b.postings, t)
		slices.SortFunc(ps, func(x, y posting) int { return cmp.Compare(x.doc, y.doc) })
		text.WriteString(t)
		ix.termEnd = append(ix.termEnd, uint32(text.Len()))
		ix.posts = append(ix.posts, ps...)
		ix.postEnd = append(ix.postEnd, uint32(len(ix.posts)))
	}
	ix.terms = text.String()
	ix.prepare()
	return ix, nil
}

// check verifies what a loaded index relies on: terms in strictly
// increasing byte order, offsets within the arrays, every term's
// postings in strictly increasing chunk order, within the rows, with a
// positive frequency; lengths not negative.
func (ix *bm25) check() error {
	rows := len(ix.lengths)
	if slices.ContainsFunc(ix.lengths, func(n int32) bool { return n < 0 }) {
		return fmt.Errorf("a negative chunk length")
	}
	for i := range ix.numTerms() {
		lo, hi := ix.termStart(i), ix.termEnd[i]
		if hi <= lo || int(hi) > len(ix.terms) || i > 0 && ix.term(i-1) >= ix.terms[lo:hi] {
			return fmt.Errorf("term %d out of order", i)
		}
		start := uint32(0)
		if i > 0 {
			start = ix.postEnd[i-1]
		}
		if ix.postEnd[i] <= start || int(ix.postEnd[i]) > len(ix.posts) {
			return fmt.Errorf("postings of term %d out of bounds", i)
		}
		prev := int32(-1)
		for _, p := range ix.posts[start:ix.postEnd[i]] {
			if p.doc <= prev || int(p.doc) >= rows || p.tf <= 0 {
				return fmt.Errorf("postings of %q: %+v after chunk %d of %d", ix.terms[lo:hi], p, prev, rows)
			}
			prev = p.doc
		}
	}
	if n := ix.numTerms(); n > 0 && (int(ix.termEnd[n-1]) != len(ix.terms) || int(ix.postEnd[n-1]) != len(ix.posts)) {
		return fmt.Errorf("terms or postings beyond the last term")
	}
	return nil
}
