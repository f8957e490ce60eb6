package report

// cluster groups n items by average linkage: it starts with one group per
// item and keeps merging the two groups whose members are most similar on
// average, while that average is at least threshold. Average linkage
// (rather than single) keeps a chain of look-alikes from joining two
// subjects through one ambiguous wording; rather than complete, it lets a
// terse wording ("salaire depute 2025") join the group it shares most
// with. It returns the groups as lists of item indexes, each in
// increasing order. sim must be symmetric.
func cluster(n int, sim func(i, j int) float64, threshold float64) [][]int {
	// s[i][j] is the average similarity between groups i and j (i < j
	// kept up to date); members[i] is nil once i is merged into another.
	s := make([][]float64, n)
	members := make([][]int, n)
	for i := range n {
		s[i] = make([]float64, n)
		members[i] = []int{i}
		for j := range i {
			s[i][j] = sim(i, j)
			s[j][i] = s[i][j]
		}
	}
	for {
		bi, bj, best := -1, -1, threshold
		for i := range n {
			if members[i] == nil {
				continue
			}
			for j := i + 1; j < n; j++ {
				if members[j] != nil && s[i][j] >= best {
					bi, bj, best = i, j, s[i][j]
				}
			}
		}
		if bi < 0 {
			break
		}
		ni, nj := float64(len(members[bi])), float64(len(members[bj]))
		for k := range n {
			if members[k] == nil || k == bi || k == bj {
				continue
			}
			v := (ni*s[bi][k] + nj*s[bj][k]) / (ni + nj)
			s[bi][k], s[k][bi] = v, v
		}
		members[bi] = mergeSorted(members[bi], members[bj])
		members[bj] = nil
	}
	var out [][]int
	for _, m := range members {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// mergeSorted merges two increasing lists.
func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}
