package bot

import (
	"fmt"
	"testing"
)

// TestRestBucketsBounded asks for far more buckets than are kept: the
// recent ones are kept (a busy channel keeps what its bucket learnt), the
// rest forgotten, and each limiter makes a bounded number.
func TestRestBucketsBounded(t *testing.T) {
	r := newRestBuckets(4, 8)
	for i := range 100 {
		r.lock(fmt.Sprint("key", i)).Release(nil)
	}
	if r.used.len() != 4 || r.made > 8 {
		t.Errorf("got %d buckets kept and %d made by the limiter, want 4 and at most 8", r.used.len(), r.made)
	}
	a := r.lock("key99")
	a.Release(nil)
	if b := r.lock("key99"); b != a {
		t.Error("got a new bucket for a key in use, want the same")
	} else {
		b.Release(nil)
	}
}
