package scale

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/scale/natstest"
)

// testTimeout bounds every wait of these tests: a failure, not a timing.
const testTimeout = 60 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// connect opens a connection to url that the test closes.
func connect(t *testing.T, url string, opts Options) *Conn {
	t.Helper()
	c, err := Connect(testContext(t), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// postings records what workers posted, by job, and by whom.
type postings struct {
	mu     sync.Mutex
	byJob  map[string][]string // job ID → workers that posted it
	gaveUp map[string]int
	event  chan string // a job ID each time something is posted
}

func newPostings() *postings {
	return &postings{byJob: map[string][]string{}, gaveUp: map[string]int{}, event: make(chan string, 1000)}
}

func (p *postings) post(worker string) func(context.Context, Job, Reply) error {
	return func(_ context.Context, job Job, r Reply) error {
		p.mu.Lock()
		p.byJob[job.ID] = append(p.byJob[job.ID], worker)
		p.mu.Unlock()
		p.event <- job.ID
		return nil
	}
}

func (p *postings) giveUp(_ context.Context, job Job) error {
	p.mu.Lock()
	p.gaveUp[job.ID]++
	p.mu.Unlock()
	p.event <- job.ID
	return nil
}

func (p *postings) posters(id string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.byJob[id]...)
}

// waitJobs waits until every one of ids was posted or given up on.
func (p *postings) waitJobs(ctx context.Context, t *testing.T, ids ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for len(want) > 0 {
		select {
		case id := <-p.event:
			delete(want, id)
		case <-ctx.Done():
			t.Fatalf("jobs never answered: %v", want)
		}
	}
}

// echo answers every job with its question.
func echo(_ context.Context, job Job) (Reply, error) {
	return Reply{Answer: answer.Answer{Question: job.Question, Text: "re: " + job.Question}}, nil
}

// startWorker runs a worker on c until the test ends or stop is called.
func startWorker(t *testing.T, c *Conn, cfg WorkerConfig) (stop func()) {
	t.Helper()
	w, err := c.NewWorker(testContext(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return sync.OnceFunc(stop)
}

func job(n int) Job {
	return Job{Kind: KindAsk, ID: fmt.Sprintf("1%017d", n), Channel: "200000000000000001", User: "400000000000000001",
		Question: fmt.Sprintf("question %d", n), Lang: "fr"}
}

func publish(t *testing.T, c *Conn, jobs ...Job) []string {
	t.Helper()
	var ids []string
	for _, j := range jobs {
		if _, err := c.Publish(testContext(t), j); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	return ids
}

// server starts one JetStream server for the test.
func server(t *testing.T) *natstest.Server { return natstest.Start(t) }

var errScripted = errors.New("scripted failure")
