package bot

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestLRUMapPut checks replacing, recency and eviction: a put of a known
// key replaces its value and counts as a use, and the least recently used
// key goes first.
func TestLRUMapPut(t *testing.T) {
	type op struct {
		key string
		val int // 0: get
	}
	tests := []struct {
		name     string
		ops      []op
		wantKeys []string // still held, oldest first
		wantVals []int
	}{
		{"evicts the oldest", []op{{"a", 1}, {"b", 2}, {"c", 3}}, []string{"b", "c"}, []int{2, 3}},
		{"put replaces and refreshes", []op{{"a", 1}, {"b", 2}, {"a", 9}, {"c", 3}}, []string{"a", "c"}, []int{9, 3}},
		{"get refreshes", []op{{"a", 1}, {"b", 2}, {"a", 0}, {"c", 3}}, []string{"a", "c"}, []int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLRUMap[int](2)
			for _, o := range tt.ops {
				if o.val == 0 {
					c.get(o.key)
				} else {
					c.put(o.key, o.val)
				}
			}
			var keys []string
			var vals []int
			for el := c.order.Back(); el != nil; el = el.Prev() {
				e := el.Value.(*lruEntry[int])
				keys, vals = append(keys, e.key), append(vals, e.val)
			}
			if !slices.Equal(keys, tt.wantKeys) || !slices.Equal(vals, tt.wantVals) || c.len() != len(tt.wantKeys) {
				t.Errorf("got keys %q values %v (len %d), want %q %v", keys, vals, c.len(), tt.wantKeys, tt.wantVals)
			}
		})
	}
}

// TestLRUMapCost checks the bound on total cost: the oldest entries go
// until the rest fit, a replaced value is re-weighed, and one entry over
// the bound alone is still kept.
func TestLRUMapCost(t *testing.T) {
	c := newCostLRUMap(100, 10, func(_ string, v string) int { return len(v) })
	c.put("a", "xxxx")
	c.put("b", "xxxx")
	c.put("c", "xxxx") // 12 > 10: a goes
	if _, ok := c.get("a"); ok || c.len() != 2 || c.total != 8 {
		t.Errorf("got a kept %v, %d entries weighing %d; want a gone, 2 weighing 8", ok, c.len(), c.total)
	}
	c.put("b", "x") // re-weighed: 5
	if c.total != 5 {
		t.Errorf("got total %d after replacing b, want 5", c.total)
	}
	c.put("big", strings.Repeat("x", 50))
	if _, ok := c.get("big"); !ok || c.len() != 1 || c.total != 50 {
		t.Errorf("got big kept %v, %d entries weighing %d; want it alone, weighing 50", ok, c.len(), c.total)
	}
}

// TestLRUUpdateConcurrent increments one key from many goroutines: an
// update that reads and writes under separate locks loses increments.
func TestLRUUpdateConcurrent(t *testing.T) {
	const goroutines, each = 8, 500
	c := newLRU[int](4)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			<-start
			for range each {
				c.update("k", func(n int, _ bool) int { return n + 1 })
			}
		})
	}
	close(start)
	wg.Wait()
	if got, _ := c.get("k"); got != goroutines*each {
		t.Errorf("got %d after %d concurrent increments, want %d", got, goroutines*each, goroutines*each)
	}
}
