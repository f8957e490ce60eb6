package retrieval

// defaultNProbe is how many lists a search scans unless told otherwise,
// for an index of k lists. The rule is the smallest number that
// keeps the hybrid recall@10 at or above 0.98 against the exhaustive
// search, and for the built-in embedder that number does not follow one
// share of the lists (see builtinNProbe). Vectors from an embedding model
// gather by topic: on the bench's API-shaped vectors 2 or 3 lists were
// enough at every size, and max(8, k/32) is kept as a margin, since real
// embeddings are less cleanly clustered than those.
func defaultNProbe(k int, builtin bool) int {
	if !builtin {
		return min(k, max(8, k/32))
	}
	return min(k, builtinCurve(k))
}

// builtinNProbe is, for indexes of the bench corpora made with the
// built-in embedder, the number of lists and the smallest nprobe that kept
// the hybrid recall@10 at or above 0.98 (BENCHMARKS.md: 200 questions at
// 20,000 and 100,000 chunks, 100 at a million). Its vectors are bags of
// hashed words with little cluster structure: the vector half's best
// matches for a question are often near-noise similarities that no list
// holds more than another, and what keeps the recall up is BM25's
// candidates, scored exactly, which cover less of a larger corpus.
var builtinNProbe = [...]struct{ lists, nprobe int }{
	{142, 55},  // 20,000 chunks
	{317, 47},  // 100,000
	{999, 288}, // 1,000,000
}

// builtinCurve follows builtinNProbe: the measured number at a measured
// size, a straight line between two of them, the first's number below
// them (a small index can afford it) and the last's share above.
func builtinCurve(k int) int {
	first, last := builtinNProbe[0], builtinNProbe[len(builtinNProbe)-1]
	switch {
	case k <= first.lists:
		return first.nprobe
	case k >= last.lists:
		return (last.nprobe*k + last.lists - 1) / last.lists
	}
	for i := 1; i < len(builtinNProbe); i++ {
		lo, hi := builtinNProbe[i-1], builtinNProbe[i]
		if k <= hi.lists {
			// Round up: between two sizes, scan at least the line's number.
			num := lo.nprobe*(hi.lists-lo.lists) + (hi.nprobe-lo.nprobe)*(k-lo.lists)
			return (num + hi.lists - lo.lists - 1) / (hi.lists - lo.lists)
		}
	}
	return last.nprobe
}

// NProbe is how many lists a search scans, Exhaustive when all of them.
func (ix *Index) NProbe() int { return ix.nprobe }

// WithNProbe returns the index searching nprobe lists per question (see
// Options.NProbe); both share everything else. The bench compares an
// index with itself made exhaustive to measure recall.
func (ix *Index) WithNProbe(nprobe int) *Index {
	c := *ix
	c.nprobe = c.resolveNProbe(nprobe)
	return &c
}

// resolveNProbe turns Options.NProbe into the number of lists to scan,
// warning about a value above the number of lists.
func (ix *Index) resolveNProbe(n int) int {
	k := ix.Lists()
	switch {
	case k == 0 || n == Exhaustive:
		return Exhaustive
	case n <= 0:
		_, builtin := ix.emb.(*Hashed)
		return defaultNProbe(k, builtin)
	case n >= k:
		if n > k {
			ix.log.Warn("nprobe is larger than the number of lists; scanning them all", "nprobe", n, "lists", k)
		}
		return Exhaustive
	}
	return n
}
