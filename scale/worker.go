package scale

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// Reply is what a job produced, for the poster: an answer (ask,
// summary), the passages found (search), or why the question cannot be
// answered (an unknown document, an unusable question), which is told
// to the asker like a reply: trying again would not change it.
type Reply struct {
	Answer   answer.Answer
	Passages []retrieval.Result
	Refusal  error
}

// WorkerConfig configures a worker; zero values mean the defaults.
type WorkerConfig struct {
	// ID names this worker in reply records and logs; unique per process
	// (default: host name and process ID).
	ID string
	// Slots is how many jobs the worker works on at once (default 2).
	Slots int
	// AckWait is how long a job may go without a sign of life from its
	// worker before NATS delivers it to another; a worker at work on it
	// says "in progress" three times per AckWait (default 30s).
	AckWait time.Duration
	// Attempts is how many deliveries a job gets before it goes to the
	// dead-letter stream and its asker is told (default 3).
	Attempts int
	// Backoff is the wait before a failed job is tried again, times the
	// attempt (default 2s).
	Backoff time.Duration
	// Answer computes a job's reply; Post shows it on Discord; GiveUp
	// tells the asker that their question failed for good.
	Answer func(ctx context.Context, job Job) (Reply, error)
	Post   func(ctx context.Context, job Job, r Reply) error
	GiveUp func(ctx context.Context, job Job) error
	Logger *slog.Logger
}

func (c *WorkerConfig) defaults() {
	c.ID = cmp.Or(c.ID, DefaultWorkerID())
	c.Slots = cmp.Or(c.Slots, 2)
	c.AckWait = cmp.Or(c.AckWait, 30*time.Second)
	c.Attempts = cmp.Or(c.Attempts, 3)
	c.Backoff = cmp.Or(c.Backoff, 2*time.Second)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// DefaultWorkerID names a worker process by its host and process ID.
func DefaultWorkerID() string {
	host, _ := os.Hostname()
	return cmp.Or(host, "worker") + "-" + strconv.Itoa(os.Getpid())
}

// ErrPermanent marks an error that another attempt cannot fix (the job
// names a document that does not exist, say): the job goes to the
// dead-letter stream at once.
var ErrPermanent = errors.New("permanent failure")

// Worker pulls jobs and answers them.
type Worker struct {
	c       *Conn
	cfg     WorkerConfig
	cons    jetstream.Consumer
	replies *replies
	log     *slog.Logger
}

// NewWorker joins the workers' shared consumer of the job stream.
func (c *Conn) NewWorker(ctx context.Context, cfg WorkerConfig) (*Worker, error) {
	cfg.defaults()
	if cfg.Answer == nil || cfg.Post == nil || cfg.GiveUp == nil {
		return nil, errors.New("a worker needs Answer, Post and GiveUp")
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, jobStream, jetstream.ConsumerConfig{
		Durable: workers, AckPolicy: jetstream.AckExplicitPolicy, AckWait: cfg.AckWait,
		// Deliveries past Attempts only bury the job (see handle): a few
		// spare ones in case burying fails.
		MaxDeliver: cfg.Attempts + 3,
	})
	if err != nil {
		return nil, fmt.Errorf("join the workers' consumer: %w", err)
	}
	r, err := c.replies(ctx, cfg.AckWait/2)
	if err != nil {
		return nil, err
	}
	return &Worker{c: c, cfg: cfg, cons: cons, replies: r, log: cfg.Logger.With("worker", cfg.ID)}, nil
}

// Run works on jobs until ctx ends. Jobs in flight then are handed back
// at once (a negative acknowledgement), so that another worker takes them
// without waiting for AckWait.
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range w.cfg.Slots {
		wg.Go(func() { w.slot(ctx) })
	}
	wg.Wait()
	return nil
}

// slot fetches one job at a time, only when free: a job waits in the
// stream, where any free worker can take it, rather than behind a busy one.
func (w *Worker) slot(ctx context.Context) {
	for ctx.Err() == nil {
		msg, err := w.cons.Next(jetstream.FetchContext(ctx))
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded):
			continue
		case err != nil:
			w.log.Warn("cannot fetch a job; retrying", "err", err)
			if !sleep(ctx, time.Second) {
				return
			}
			continue
		}
		w.handle(ctx, msg)
	}
}

// handle works on one delivery of a job and settles it: acknowledged once
// the reply is posted (or found posted), handed back to be tried again,
// or, past its attempts, moved to the dead-letter stream.
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg) {
	var job Job
	if err := json.Unmarshal(msg.Data(), &job); err != nil {
		w.log.Error("dropping a job that cannot be read", "err", err)
		msg.Term()
		return
	}
	attempt := 1
	if meta, err := msg.Metadata(); err == nil {
		attempt = int(meta.NumDelivered)
	}
	log := w.log.With("job", job.ID, "kind", job.Kind, "attempt", attempt)
	if attempt > w.cfg.Attempts {
		w.bury(ctx, msg, job, attempt-1, errors.New("no attempt succeeded"), log)
		return
	}
	stop := keepAlive(msg, w.cfg.AckWait/3)
	err := w.work(ctx, job)
	stop()
	switch {
	case err == nil:
		if err := msg.DoubleAck(context.WithoutCancel(ctx)); err != nil {
			log.Warn("the reply is posted but the job's acknowledgement failed; a redelivery will find it posted", "err", err)
		}
	case ctx.Err() != nil:
		msg.Nak() // stopping: another worker takes it now
	case errors.Is(err, errBusy):
		msg.NakWithDelay(w.cfg.AckWait / 2)
	case errors.Is(err, ErrPermanent) || attempt >= w.cfg.Attempts:
		w.bury(ctx, msg, job, attempt, err, log)
	default:
		log.Warn("job failed; it will be tried again", "err", err)
		msg.NakWithDelay(min(30*time.Second, time.Duration(attempt)*w.cfg.Backoff))
	}
}

// work answers job and posts the reply, once.
func (w *Worker) work(ctx context.Context, job Job) error {
	if done, err := w.replies.posted(ctx, job.ID); err != nil || done {
		return err // posted by an earlier delivery whose ack was lost
	}
	reply, err := w.cfg.Answer(ctx, job)
	if err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	posted, err := w.replies.once(ctx, job.ID, w.cfg.ID, func(ctx context.Context) error {
		return w.cfg.Post(ctx, job, reply)
	})
	if posted && err != nil {
		// On Discord, but not recorded: acknowledge all the same, since a
		// redelivery could post it again.
		w.log.Warn("the reply is posted; recording it failed", "job", job.ID, "err", err)
		return nil
	}
	return err
}

// bury moves a job that failed every attempt to the dead-letter stream
// and tells its asker — unless a reply was posted after all.
func (w *Worker) bury(ctx context.Context, msg jetstream.Msg, job Job, attempts int, cause error, log *slog.Logger) {
	log.Error("job failed for good; moving it to the dead-letter stream", "err", cause)
	dead := DeadJob{Job: job, Attempts: attempts, LastError: cause.Error(), Time: time.Now()}
	_, err := w.c.js.Publish(ctx, deadSubject+"."+string(job.Kind), encode(dead), jetstream.WithMsgID("dead-"+job.ID))
	if err != nil {
		log.Warn("cannot publish to the dead-letter stream; trying again later", "err", err)
		msg.NakWithDelay(w.cfg.AckWait)
		return
	}
	_, err = w.replies.once(ctx, job.ID, w.cfg.ID, func(ctx context.Context) error { return w.cfg.GiveUp(ctx, job) })
	if err != nil {
		log.Warn("cannot tell the asker that the question failed", "err", err)
	}
	msg.Term()
}

// keepAlive tells NATS every period that msg is still being worked on,
// until the returned stop is called.
func keepAlive(msg jetstream.Msg, period time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// sleep waits d or until ctx ends, and reports whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
