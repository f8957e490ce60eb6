package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/store"
)

// workerSettings are a worker's flags, read over the environment.
type workerSettings struct {
	natsURL   string
	slots     int
	held      string // --partitions-held; "" holds every list
	scatter   time.Duration
	replicas  int
	ackWait   time.Duration
	attempts  int
	minCov    float64
	token     string
	retention time.Duration // CITEBOT_RETENTION; 0 keeps for ever
	discordHC *http.Client  // nil: Discord itself; tests point it at a fake
}

func runWorker(ctx context.Context, e *env, args []string) error {
	fs := e.flags("")
	var s workerSettings
	fs.StringVar(&s.natsURL, "nats", e.getenv("CITEBOT_NATS_URL"), "NATS servers, comma-separated [CITEBOT_NATS_URL]")
	fs.IntVar(&s.slots, "concurrency", envInt(e.getenv, "CITEBOT_MAX_CONCURRENT", 2), "jobs answered at once [CITEBOT_MAX_CONCURRENT]")
	fs.StringVar(&s.held, "partitions-held", "", "hold only these lists of a clustered index (e.g. 0-15,32-47) and ask other workers for the rest; empty: all")
	fs.DurationVar(&s.scatter, "scatter-timeout", 2*time.Second, "how long a question waits for the holders of the lists it probes")
	fs.DurationVar(&s.ackWait, "ack-wait", 30*time.Second, "a job whose worker shows no sign of life this long goes to another")
	fs.IntVar(&s.attempts, "attempts", 3, "deliveries of a job before it is given up and its asker told")
	minCov := minCoverageFlag(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	s.minCov = *minCov
	s.natsURL = strings.TrimSpace(s.natsURL)
	if s.natsURL == "" {
		return usagef("CITEBOT_NATS_URL is not set: a worker takes its questions from NATS (see README: Scaling out)")
	}
	if s.token = strings.TrimSpace(e.getenv("DISCORD_TOKEN")); s.token == "" {
		return usagef("DISCORD_TOKEN is not set: a worker posts its replies on Discord with the bot's token")
	}
	if s.slots < 1 || s.attempts < 1 || s.ackWait < time.Second || s.scatter <= 0 {
		return usagef("-concurrency and -attempts must be at least 1, -ack-wait at least 1s, -scatter-timeout positive")
	}
	var err error
	if s.replicas, err = e.natsReplicas(); err != nil {
		return err
	}
	if s.retention, err = e.retention(); err != nil {
		return err
	}
	return e.serveWorker(ctx, s)
}

// serveWorker connects to NATS, loads the index and answers jobs until
// ctx ends.
func (e *env) serveWorker(ctx context.Context, s workerSettings) error {
	var held func(int) bool
	if s.held != "" {
		var err error
		if held, err = parseLists(s.held); err != nil {
			return err
		}
	}
	poster, err := bot.NewPoster(s.token, s.discordHC)
	if err != nil {
		return err
	}
	c, err := scale.Connect(ctx, s.natsURL, scale.Options{Name: "citebot worker", Replicas: s.replicas,
		Retention: natsRetention(s.retention), Logger: e.log})
	if err != nil {
		return err
	}
	defer c.Close()
	id := scale.DefaultWorkerID()
	wi := &workerIndex{e: e, c: c, id: id, held: held, slots: s.slots, grace: s.scatter}
	if held != nil {
		if wi.scatter, err = c.NewScatter(ctx, s.scatter); err != nil {
			return err
		}
		defer wi.scatter.Close()
	}
	if err := wi.start(ctx); err != nil {
		return err
	}
	defer wi.close()
	shared, err := c.NewStore(ctx)
	if err != nil {
		return err
	}
	defer shared.Close()
	j, mode, err := e.workerJobs(wi, s.minCov, shared, poster)
	if err != nil {
		return err
	}
	w, err := c.NewWorker(ctx, scale.WorkerConfig{ID: id, Slots: s.slots, AckWait: s.ackWait, Attempts: s.attempts,
		Answer: j.answer, Post: j.post, GiveUp: j.giveUp, Logger: e.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "citebot worker %s: %s mode, %d documents, %s, %d at once; Ctrl-C stops.\n",
		id, mode, len(wi.live.Documents()), heldNote(s.held), s.slots)
	prune, stopPrune := context.WithCancel(ctx)
	defer stopPrune()
	go store.PruneEvery(prune, shared, s.retention, store.PruneInterval, e.log)
	return w.Run(ctx)
}

// workerJobs builds the answering side of a worker over its live index.
func (e *env) workerJobs(wi *workerIndex, minCov float64, shared *scale.Store, poster *bot.Poster) (*jobs, string, error) {
	ask, mode, err := e.answerer(wi.live, 0, minCov)
	if err != nil {
		return nil, "", err
	}
	sum, err := e.summarizer(wi.live)
	if err != nil {
		return nil, "", err
	}
	return &jobs{ask: ask, summary: sum, search: wi.live, shared: shared, poster: poster, log: e.log}, mode, nil
}
