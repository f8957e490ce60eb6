// Package scale carries citebot past one process on NATS JetStream: the
// questions a gateway admits become jobs on a work-queue stream that any
// number of workers pull (jobs.go, worker.go), replies are posted once
// however often a job is delivered (once.go), rate limits, duplicate
// events, conversations and kept answers live in key-value buckets every
// process shares (ratelimit.go, dedupe.go, kvstore.go), the index is
// distributed through an object store (index.go), and a clustered index
// can be spread over several workers, each holding some of its lists
// (scatter.go).
//
// Nothing here runs unless CITEBOT_NATS_URL is set: the single-process
// bot keeps its own state in memory and in its store. This package is the
// only one that imports nats.go; NATS types stay inside it.
package scale

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The names every citebot process agrees on. Streams and buckets are
// created (or updated) by whichever process connects first.
const (
	jobStream   = "CITEBOT_JOBS"
	jobSubjects = "citebot.jobs.>"
	deadStream  = "CITEBOT_DEAD"
	deadSubject = "citebot.dead"
	logStream   = "CITEBOT_LOG"
	logSubjects = "citebot.log.>"
	workers     = "citebot-workers" // the durable consumer every worker shares

	repliesBucket  = "citebot_replies"
	eventsBucket   = "citebot_events"
	ratesBucket    = "citebot_rates"
	threadsBucket  = "citebot_threads"
	answersBucket  = "citebot_answers"
	settingsBucket = "citebot_settings"
	kbBucket       = "citebot_kb"
	holdersBucket  = "citebot_holders"
	indexBucket    = "citebot_index"
)

// Options configure Connect; zero values mean the defaults.
type Options struct {
	// Name identifies the process to the NATS server (shown by its
	// monitoring): "citebot worker", "citebot gateway".
	Name string
	// Replicas is how many servers of a NATS cluster keep each stream and
	// bucket: 1 on a single server, 3 on a cluster of three or more.
	Replicas int
	// Retention is how long the question log, conversations and kept
	// answers are remembered (default 90 days, as CITEBOT_RETENTION);
	// negative: for ever. It applies to the streams and buckets this
	// process creates; Store.Prune applies it to existing ones.
	Retention time.Duration
	Logger    *slog.Logger
}

// keep is the retention as streams and buckets take it: 0 for ever.
func (o Options) keep() time.Duration { return max(0, o.Retention) }

func (o *Options) defaults() {
	o.Name = cmp.Or(o.Name, "citebot")
	o.Replicas = max(1, o.Replicas)
	o.Retention = cmp.Or(o.Retention, 90*24*time.Hour)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Conn is a connection to NATS with JetStream, and the streams and
// buckets citebot uses there.
type Conn struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	opts Options
	log  *slog.Logger
}

// Connect connects to the NATS servers at url (comma-separated for a
// cluster) and makes sure the job streams exist. A connection that drops
// is reconnected for as long as the process runs: a NATS server restart
// pauses the work, it does not end it.
func Connect(ctx context.Context, url string, opts Options) (*Conn, error) {
	opts.defaults()
	log := opts.Logger
	nc, err := nats.Connect(url, nats.Name(opts.Name), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(false),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("lost the connection to NATS; reconnecting", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("reconnected to NATS", "server", c.ConnectedUrlRedacted()) }))
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	c := &Conn{nc: nc, js: js, opts: opts, log: log}
	if err := c.setupStreams(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// Close drains nothing: work in flight that was not acknowledged is
// delivered again to another worker.
func (c *Conn) Close() { c.nc.Close() }

// setupStreams creates the job, dead-letter and log streams unless they
// exist. An existing stream is used as it is: its replicas and limits are
// the first process's, so that a process started with other options does
// not change them under the others.
func (c *Conn) setupStreams(ctx context.Context) error {
	streams := []jetstream.StreamConfig{{
		Name: jobStream, Subjects: []string{jobSubjects}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: c.opts.Replicas,
		// A restarted gateway republishing an event within this window
		// is deduplicated by its Nats-Msg-Id (the Discord event ID).
		Duplicates: dedupeWindow,
		// A question nobody answered within a day is not worth answering.
		MaxAge: 24 * time.Hour,
	}, {
		Name: deadStream, Subjects: []string{deadSubject + ".>"}, Storage: jetstream.FileStorage,
		Replicas: c.opts.Replicas, MaxAge: 7 * 24 * time.Hour,
	}, {
		Name: logStream, Subjects: []string{logSubjects}, Storage: jetstream.FileStorage,
		Replicas: c.opts.Replicas, MaxAge: c.opts.keep(),
	}}
	for _, cfg := range streams {
		if _, err := c.js.Stream(ctx, cfg.Name); err == nil {
			continue
		}
		if _, err := c.js.CreateStream(ctx, cfg); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}

// bucket opens a key-value bucket, creating it unless it exists, whose
// entries expire ttl after their last write (0: never).
func (c *Conn) bucket(ctx context.Context, name string, ttl time.Duration, history uint8) (jetstream.KeyValue, error) {
	if kv, err := c.js.KeyValue(ctx, name); err == nil {
		return kv, nil
	}
	kv, err := c.js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: name, TTL: ttl, History: max(1, history), Storage: jetstream.FileStorage, Replicas: c.opts.Replicas,
	})
	if errors.Is(err, jetstream.ErrBucketExists) {
		kv, err = c.js.KeyValue(ctx, name) // another process created it meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", name, err)
	}
	return kv, nil
}

// lostRace reports whether err says a key that should have been new was
// there already, or that an update's revision was no longer the key's:
// the two ways a compare-and-set fails, whatever the replication.
func lostRace(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch)
}
