package retrieval

import "fmt"

// When a persisted clustering stops fitting the index, Open trains a new
// one: its lists were sized for the corpus it was trained on, and new
// chunks only ever join the list of their nearest centroid. Growing or
// shrinking by half or more changes the right number of lists (√N); one
// list swelling to several times the mean, and to twice the largest list
// at training, means new chunks crowd a few centroids, and every search
// that probes them pays for it.
const (
	driftGrowth    = 2 // retrain when the index has grown or shrunk by this factor
	driftImbalance = 4 // … or its largest list is this many times the mean
)

// cluster decides the clustering of the assembled index: none below
// minClustered chunks (or ever, when it is not positive); the persisted
// one, its rows moved as their documents were and new rows assigned to
// their nearest list, while it still fits; a new one otherwise. why says
// why a clustering was trained, "" when none was.
func (a *assembly) cluster(prev *stored, minClustered int) (c *clustering, member []int32, why string) {
	if minClustered <= 0 || a.rows < minClustered {
		return nil, nil, ""
	}
	if prev == nil || prev.clusters == nil || prev.dim != a.dim {
		return a.train("no clustering yet")
	}
	member = a.carryMembers(prev)
	if why := drifted(prev.clusters, member, a.rows); why != "" {
		return a.train(why)
	}
	return prev.clusters, member, ""
}

// carryMembers returns each row's list under the persisted clustering:
// reused rows keep theirs, new rows join their nearest list.
func (a *assembly) carryMembers(prev *stored) []int32 {
	if a.reuseAll {
		return prev.member
	}
	member := make([]int32, a.rows)
	for old, to := range a.moves {
		if to >= 0 {
			member[to] = prev.member[old]
		}
	}
	prev.clusters.assignRows(a.vecs, a.targets, member)
	return member
}

// drifted says why the clustering no longer fits an index of rows chunks
// whose lists are member, "" when it does.
func drifted(c *clustering, member []int32, rows int) string {
	switch {
	case rows >= driftGrowth*c.trained:
		return fmt.Sprintf("grew from %d to %d chunks", c.trained, rows)
	case driftGrowth*rows <= c.trained:
		return fmt.Sprintf("shrank from %d to %d chunks", c.trained, rows)
	}
	largest := largestList(member, c.k())
	if largest > driftImbalance*rows/c.k() && largest > driftGrowth*c.largest {
		return fmt.Sprintf("a list of %d chunks where the mean is %d", largest, rows/c.k())
	}
	return ""
}

// train clusters the assembled vectors afresh.
func (a *assembly) train(why string) (*clustering, []int32, string) {
	c := train(a.vecs, a.dim, clusterSeed)
	member := make([]int32, a.rows)
	c.assignRows(a.vecs, nil, member)
	c.largest = largestList(member, c.k())
	return c, member, why
}

func largestList(member []int32, k int) int {
	sizes := make([]int, k)
	largest := 0
	for _, l := range member {
		sizes[l]++
		largest = max(largest, sizes[l])
	}
	return largest
}
