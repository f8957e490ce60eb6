package scale

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"
)

// TestNATSHopCost measures what going through NATS adds to a question:
// from the gateway's publish to the worker's post, with an answer that
// takes no time and a post that does nothing — the job stream, the pull,
// the reply record (create, then "posted") — one question at a time, on
// one local JetStream server with file storage. It only runs when asked
// (BENCHMARKS.md):
//
//	CITEBOT_SCALE_BENCH=1 go test ./scale -run TestNATSHopCost -v
func TestNATSHopCost(t *testing.T) {
	if os.Getenv("CITEBOT_SCALE_BENCH") == "" {
		t.Skip("a measurement, not a test: set CITEBOT_SCALE_BENCH=1")
	}
	srv := server(t)
	ctx := testContext(t)
	posted := make(chan time.Time, 1)
	post := func(context.Context, Job, Reply) error { posted <- time.Now(); return nil }
	startWorker(t, connect(t, srv.URL(), Options{}), WorkerConfig{ID: "w", Slots: 1, Answer: echo, Post: post, GiveUp: func(context.Context, Job) error { return nil }})
	pub := connect(t, srv.URL(), Options{})
	var hops []time.Duration
	for i := range 520 {
		start := time.Now()
		publish(t, pub, job(i))
		select {
		case at := <-posted:
			if i >= 20 { // the first ones warm up connections and buckets
				hops = append(hops, at.Sub(start))
			}
		case <-ctx.Done():
			t.Fatal("a job was never posted")
		}
	}
	slices.Sort(hops)
	t.Logf("NATS hop, publish to post, %d questions one at a time: p50 %v, p95 %v, p99 %v", len(hops),
		hops[len(hops)/2].Round(time.Microsecond), hops[len(hops)*95/100].Round(time.Microsecond), hops[len(hops)*99/100].Round(time.Microsecond))
}
