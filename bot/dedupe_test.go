package bot

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestDedupe(t *testing.T) {
	tests := []struct {
		name string
		size int
		ids  []string
		want []bool
	}{
		{"first then repeats", 3, []string{"a", "a", "b", "b", "a"}, []bool{true, false, true, false, false}},
		{"evicted after size", 2, []string{"a", "b", "c", "a"}, []bool{true, true, true, true}},
		{"a repeat counts as recent use", 2, []string{"a", "b", "a", "c", "a", "b"}, []bool{true, true, false, true, false, true}},
		{"size 0 remembers the last one", 0, []string{"a", "a", "b", "a"}, []bool{true, false, true, true}},
		{"empty IDs are never dropped", 2, []string{"", ""}, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDedupe(tt.size)
			for i, id := range tt.ids {
				if got := d.first(id); got != tt.want[i] {
					t.Errorf("first(%q) at step %d: got %v, want %v", id, i+1, got, tt.want[i])
				}
			}
		})
	}
}

func TestDedupeConcurrent(t *testing.T) {
	d := newDedupe(100)
	var firsts atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if d.first("1234567890") {
				firsts.Add(1)
			}
		})
	}
	wg.Wait()
	if n := firsts.Load(); n != 1 {
		t.Errorf("got %d goroutines seeing the event first, want 1", n)
	}
}
