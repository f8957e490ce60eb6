package scale

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/citebot/citebot/scale/natstest"
)

func TestPublishDeduplicatesAnEvent(t *testing.T) {
	srv := server(t)
	c := connect(t, srv.URL(), Options{})
	ctx := testContext(t)
	j := job(1)
	for i, wantDup := range []bool{false, true} {
		dup, err := c.Publish(ctx, j)
		if err != nil {
			t.Fatal(err)
		}
		if dup != wantDup {
			t.Errorf("publish %d: duplicate %v, want %v", i+1, dup, wantDup)
		}
	}
	if n, err := c.Pending(ctx); err != nil || n != 1 {
		t.Errorf("pending %d (%v), want 1", n, err)
	}
	bad := j
	bad.ID, bad.Question = "", ""
	if _, err := c.Publish(ctx, bad); !errors.Is(err, ErrInvalidJob) {
		t.Errorf("publishing a job without ID: %v, want ErrInvalidJob", err)
	}
}

func TestEveryJobAnsweredOnceByTwoWorkers(t *testing.T) {
	srv := server(t)
	p := newPostings()
	for _, id := range []string{"a", "b"} {
		startWorker(t, connect(t, srv.URL(), Options{}), WorkerConfig{ID: id, Slots: 2, Answer: echo, Post: p.post(id), GiveUp: p.giveUp})
	}
	pub := connect(t, srv.URL(), Options{})
	var jobs []Job
	for i := range 20 {
		jobs = append(jobs, job(i))
	}
	ids := publish(t, pub, jobs...)
	publish(t, pub, jobs[:5]...) // a gateway republishing after a restart
	p.waitJobs(testContext(t), t, ids...)
	for _, id := range ids {
		if got := p.posters(id); len(got) != 1 {
			t.Errorf("job %s posted by %v, want once", id, got)
		}
	}
}

// A worker that dies mid-job — its connection gone before it acknowledged
// — leaves the job to another, which posts the reply once. Two deaths:
// while answering, and after recording "posting" but before posting.
func TestWorkerDiesMidJob(t *testing.T) {
	for _, stage := range []string{"answering", "posting"} {
		t.Run(stage, func(t *testing.T) {
			srv := server(t)
			ctx := testContext(t)
			p := newPostings()
			started := make(chan struct{})
			hang := func(ctx context.Context) error { close(started); <-ctx.Done(); return ctx.Err() }
			cfg := WorkerConfig{ID: "doomed", AckWait: time.Second, Post: p.post("doomed"), GiveUp: p.giveUp, Answer: echo}
			if stage == "answering" {
				cfg.Answer = func(ctx context.Context, _ Job) (Reply, error) { return Reply{}, hang(ctx) }
			} else {
				cfg.Post = func(ctx context.Context, _ Job, _ Reply) error { return hang(ctx) }
			}
			doomed := connect(t, srv.URL(), Options{})
			stopDoomed := startWorker(t, doomed, cfg)
			pub := connect(t, srv.URL(), Options{})
			ids := publish(t, pub, job(1))
			select {
			case <-started:
			case <-ctx.Done():
				t.Fatal("the job never reached the first worker")
			}
			doomed.Close() // dies: no acknowledgement, no negative one either
			stopDoomed()
			startWorker(t, connect(t, srv.URL(), Options{}), WorkerConfig{ID: "heir", AckWait: time.Second, Answer: echo, Post: p.post("heir"), GiveUp: p.giveUp})
			p.waitJobs(ctx, t, ids...)
			if got := p.posters(ids[0]); !slices.Equal(got, []string{"heir"}) {
				t.Errorf("posted by %v, want once by the heir", got)
			}
			waitEmpty(ctx, t, pub)
		})
	}
}

// waitEmpty waits until the job stream holds nothing: the last job was
// acknowledged. The acknowledgement follows the post, so it is polled.
func waitEmpty(ctx context.Context, t *testing.T, c *Conn) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := c.Pending(ctx)
		if err == nil && n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("jobs left in the stream: %d (%v)", n, err)
		case <-tick.C:
		}
	}
}

func TestQueuedJobsSurviveAServerRestart(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	pub := connect(t, srv.URL(), Options{})
	ids := publish(t, pub, job(1), job(2), job(3))
	srv.Stop()
	srv.Start()
	p := newPostings()
	startWorker(t, connect(t, srv.URL(), Options{}), WorkerConfig{ID: "w", Answer: echo, Post: p.post("w"), GiveUp: p.giveUp})
	p.waitJobs(ctx, t, ids...)
	// The publisher reconnected by itself: it can publish again.
	more := publish(t, pub, job(4))
	p.waitJobs(ctx, t, more...)
}

func TestClusterWithANodeDownKeepsAnswering(t *testing.T) {
	cl := natstest.StartCluster(t, 3)
	ctx := testContext(t)
	p := newPostings()
	opts := Options{Replicas: 3}
	pub := connect(t, cl.URLs(), opts)
	startWorker(t, connect(t, cl.URLs(), opts), WorkerConfig{ID: "w", Answer: echo, Post: p.post("w"), GiveUp: p.giveUp})
	p.waitJobs(ctx, t, publish(t, pub, job(1))...)
	cl.Nodes[0].Stop()
	var jobs []Job
	for i := 2; i < 12; i++ {
		jobs = append(jobs, job(i))
	}
	p.waitJobs(ctx, t, publishRetrying(ctx, t, pub, jobs...)...)
}

// publishRetrying publishes each job, trying again while the cluster
// moves a stream's leadership off a stopped node (a publish then fails
// until the new leader is elected). The job ID deduplicates retries.
func publishRetrying(ctx context.Context, t *testing.T, c *Conn, jobs ...Job) []string {
	t.Helper()
	var ids []string
	for _, j := range jobs {
		for {
			try, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := c.Publish(try, j)
			cancel()
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("publish %s: %v", j.ID, err)
			}
		}
		ids = append(ids, j.ID)
	}
	return ids
}

func TestFailingJobGoesToDeadLetters(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	c := connect(t, srv.URL(), Options{})
	p := newPostings()
	fail := func(context.Context, Job) (Reply, error) { return Reply{}, errScripted }
	startWorker(t, c, WorkerConfig{ID: "w", Attempts: 3, Backoff: time.Millisecond, Answer: fail, Post: p.post("w"), GiveUp: p.giveUp})
	ids := publish(t, c, job(1))
	p.waitJobs(ctx, t, ids...)
	waitEmpty(ctx, t, c)
	dead, err := c.DeadJobs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Job.ID != ids[0] || dead[0].Attempts != 3 {
		t.Fatalf("dead letters %+v, want job %s after 3 attempts", dead, ids[0])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gaveUp[ids[0]] != 1 || len(p.byJob[ids[0]]) != 0 {
		t.Errorf("asker told %d times, answer posted %d times; want told once, nothing posted", p.gaveUp[ids[0]], len(p.byJob[ids[0]]))
	}
}

// A worker stopped just as a reply is posted records it and acknowledges
// the job: it is not handed back for another worker to post again.
func TestWorkerStoppedAfterPostingAcknowledges(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	p := newPostings()
	run, stop := context.WithCancel(context.Background())
	post := p.post("stopped")
	cfg := WorkerConfig{ID: "stopped", Answer: echo, GiveUp: p.giveUp,
		Post: func(ctx context.Context, j Job, r Reply) error {
			err := post(ctx, j, r)
			stop() // the stop signal arrives as the post returns
			return err
		}}
	w, err := connect(t, srv.URL(), Options{}).NewWorker(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	pub := connect(t, srv.URL(), Options{})
	ids := publish(t, pub, job(1))
	w.Run(run)
	if n, err := pub.Pending(ctx); err != nil || n != 0 {
		t.Fatalf("%d jobs left after the stop (%v), want the posted one acknowledged", n, err)
	}
	if got := p.posters(ids[0]); !slices.Equal(got, []string{"stopped"}) {
		t.Errorf("posted by %v, want once", got)
	}
}
