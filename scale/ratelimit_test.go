package scale

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Two gateways sharing a member spend one bucket: the burst is shared,
// whoever admits the questions, even asked at the same instant.
func TestRateLimitHoldsAcrossTwoLimiters(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var lims []*Limiter
	for range 2 {
		l, err := connect(t, srv.URL(), Options{}).NewLimiter(ctx, 4, 3)
		if err != nil {
			t.Fatal(err)
		}
		l.now = clock
		lims = append(lims, l)
	}
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			ok, _, err := lims[i%2].Allow(ctx, "member")
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 3 {
		t.Fatalf("%d questions allowed at once across two gateways, want the burst of 3", allowed.Load())
	}
	ok, wait, err := lims[0].Allow(ctx, "member")
	if ok || err != nil || wait <= 0 || wait > 16*time.Second {
		t.Errorf("after the burst: allowed %v, wait %v (%v); want refused for about 15s", ok, wait, err)
	}
	if ok, _, _ := lims[1].Allow(ctx, "another"); !ok {
		t.Error("another member was refused")
	}
	now = now.Add(15 * time.Second) // 4 a minute: one token back
	for i, want := range []bool{true, false} {
		if ok, _, _ := lims[1].Allow(ctx, "member"); ok != want {
			t.Errorf("15s later, question %d: allowed %v, want %v", i+1, ok, want)
		}
	}
}

func TestDedupeAcrossProcesses(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	var ds []*Dedupe
	for range 2 {
		d, err := connect(t, srv.URL(), Options{}).NewDedupe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	for i, want := range []bool{true, false, false} {
		if first, err := ds[i%2].First(ctx, "event-1"); first != want || err != nil {
			t.Errorf("delivery %d: first %v (%v), want %v", i+1, first, err, want)
		}
	}
	if first, _ := ds[1].First(ctx, ""); !first {
		t.Error("an empty ID was taken for a duplicate")
	}
}
