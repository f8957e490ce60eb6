package main

import (
	"context"
	"fmt"
	"time"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/scale"
)

// gateway is what `citebot discord` shares with the workers when
// CITEBOT_NATS_URL is set, over one NATS connection: the job queue, the
// members' rates and the events seen (bot.Remote), and the shared store
// (conversations, kept answers, settings, the question log).
type gateway struct {
	c      *scale.Conn
	remote *bot.Remote
	store  *scale.Store
}

// connectGateway connects to NATS and opens the shared parts. A rebuild
// of the keeper's index (/reindex, /source, the feed sync) is published
// for the workers.
func (e *env) connectGateway(ctx context.Context, s discordSettings, k *indexKeeper) (*gateway, error) {
	c, err := scale.Connect(ctx, s.natsURL, scale.Options{Name: "citebot gateway", Replicas: s.replicas,
		Retention: natsRetention(s.retention), Logger: e.log})
	if err != nil {
		return nil, err
	}
	g := &gateway{c: c}
	lim, err := c.NewLimiter(ctx, s.rate, 1)
	if err == nil {
		var seen *scale.Dedupe
		if seen, err = c.NewDedupe(ctx); err == nil {
			g.remote = &bot.Remote{Queue: jobQueue{c}, Rates: sharedRates{lim}, Events: seen}
			g.store, err = c.NewStore(ctx)
		}
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	k.publish = func(ctx context.Context) (string, error) { return c.PublishIndex(ctx, e.indexDir()) }
	return g, nil
}

// close closes the shared store (its queued writes done), then the
// connection.
func (g *gateway) close() {
	g.store.Close()
	g.c.Close()
}

// jobQueue queues the bot's jobs on the job stream.
type jobQueue struct{ c *scale.Conn }

// Dispatch publishes j; a job the stream had already is a duplicate.
func (q jobQueue) Dispatch(ctx context.Context, j bot.Job) (bool, error) {
	return q.c.Publish(ctx, scaleJob(j))
}

// scaleJob is the bot's job as the job stream carries it.
func scaleJob(j bot.Job) scale.Job {
	out := scale.Job{Kind: scale.Kind(j.Kind), ID: j.ID, Guild: j.Guild, Channel: j.Channel, Thread: j.Thread, Message: j.Message,
		User: j.User, Question: j.Question, Lang: j.Lang, KB: j.KB, Created: j.Created}
	if i := j.Interaction; i != nil {
		out.Interaction = &scale.Interaction{ID: i.ID, Token: i.Token, AppID: i.AppID, Ephemeral: i.Ephemeral}
	}
	return out
}

// sharedRates is the members' rate limit shared through NATS.
type sharedRates struct{ l *scale.Limiter }

// Allow spends one of the member's questions at perMinute with bursts
// of burst, if they have one left.
func (r sharedRates) Allow(ctx context.Context, key string, perMinute, burst int) (bool, time.Duration, error) {
	return r.l.With(perMinute, burst).Allow(ctx, key)
}

// workerBeside runs a worker in this process (--worker) until ctx ends
// or the returned stop is called; a worker that cannot start is logged,
// and the gateway goes on queueing for the others.
func (e *env) workerBeside(ctx context.Context, s discordSettings) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := e.serveWorker(ctx, workerSettings{natsURL: s.natsURL, slots: s.conc, scatter: 2 * time.Second, replicas: s.replicas,
			ackWait: 30 * time.Second, attempts: 3, minCov: s.minCov, token: s.token, retention: s.retention, discordHC: s.discordHC})
		if err != nil && ctx.Err() == nil {
			e.log.Error("the worker of this process stopped; questions wait for other workers", "err", err)
			fmt.Fprintf(e.stderr, "citebot discord: the worker stopped: %v\n", err)
		}
	}()
	return func() { cancel(); <-done }
}

// natsRetention is a retention as scale.Options takes it: negative for
// ever.
func natsRetention(keep time.Duration) time.Duration {
	if keep == 0 {
		return -1
	}
	return keep
}
