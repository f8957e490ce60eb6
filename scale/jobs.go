package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Kind is what a job asks for.
type Kind string

// The kinds of jobs a gateway publishes.
const (
	KindAsk     Kind = "ask"     // answer a question (a mention, /ask, a watched channel)
	KindSummary Kind = "summary" // summarise a document (Question holds its ID) or the corpus
	KindSearch  Kind = "search"  // show the passages that match Question
)

// dedupeWindow is how long the job stream remembers a job's ID: a gateway
// that restarts and republishes an event it had already published within
// it is ignored. An interaction's token lasts 15 minutes, so nothing
// older could still be answered in place anyway.
const dedupeWindow = 20 * time.Minute

// Job is one question a gateway admitted, with what a worker needs to
// answer it and post the reply on Discord by REST alone.
type Job struct {
	Kind Kind `json:"kind"`
	// ID is the Discord event's ID, the message or interaction ID: the
	// job's identity for deduplication and the key of its reply (the
	// buttons under the answer carry it).
	ID      string `json:"id"`
	Guild   string `json:"guild,omitempty"`
	Channel string `json:"channel"`
	// Thread is the conversation the question continues, when it was
	// asked in a thread the bot owns (or one it opened for it).
	Thread string `json:"thread,omitempty"`
	// Message is the message to reply to, for a question asked in a
	// message; Interaction is set for a slash command, whose deferred
	// response the reply fills in.
	Message     string       `json:"message,omitempty"`
	Interaction *Interaction `json:"interaction,omitempty"`
	User        string       `json:"user"`
	Question    string       `json:"question"`
	Lang        string       `json:"lang"`
	KB          string       `json:"kb,omitempty"`
	Created     time.Time    `json:"created"`
}

// Interaction is what a worker needs to edit an interaction's deferred
// response: its ID, its token (valid 15 minutes) and the application.
type Interaction struct {
	ID        string `json:"id"`
	Token     string `json:"token"`
	AppID     string `json:"app_id"`
	Ephemeral bool   `json:"ephemeral,omitempty"`
}

// Validate says what is missing from a job before it is published, so
// that a malformed one is refused at the gateway rather than failing on
// every worker it reaches.
func (j Job) Validate() error {
	var missing []string
	switch j.Kind {
	case KindAsk, KindSummary, KindSearch:
	default:
		return fmt.Errorf("job %s: unknown kind %q", j.ID, j.Kind)
	}
	if j.ID == "" {
		missing = append(missing, "id")
	}
	if j.Channel == "" {
		missing = append(missing, "channel")
	}
	if j.Kind != KindSummary && strings.TrimSpace(j.Question) == "" {
		missing = append(missing, "question")
	}
	if i := j.Interaction; i != nil && (i.ID == "" || i.Token == "" || i.AppID == "") {
		missing = append(missing, "interaction id, token or application")
	}
	if len(missing) > 0 {
		return fmt.Errorf("job %s: missing %s", j.ID, strings.Join(missing, ", "))
	}
	return nil
}

// subject is where a job of kind k is published.
func subject(k Kind) string { return "citebot.jobs." + string(k) }

// ErrInvalidJob marks a job that cannot be published as it is.
var ErrInvalidJob = errors.New("invalid job")

// Publish queues job for the workers and reports whether the stream had
// it already (the same event ID within the deduplication window): a
// duplicate is not an error, it is simply not queued twice.
func (c *Conn) Publish(ctx context.Context, job Job) (duplicate bool, err error) {
	if err := job.Validate(); err != nil {
		return false, fmt.Errorf("%w: %w", ErrInvalidJob, err)
	}
	if job.Created.IsZero() {
		job.Created = time.Now()
	}
	data, err := json.Marshal(job)
	if err != nil {
		return false, err
	}
	ack, err := c.js.Publish(ctx, subject(job.Kind), data, jetstream.WithMsgID(job.ID), jetstream.WithExpectStream(jobStream))
	if err != nil {
		return false, fmt.Errorf("publish job %s: %w", job.ID, err)
	}
	return ack.Duplicate, nil
}

// Pending is how many jobs wait in the queue, none of them being worked on.
func (c *Conn) Pending(ctx context.Context) (uint64, error) {
	s, err := c.js.Stream(ctx, jobStream)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// DeadJob is a job that failed every attempt, as the dead-letter stream
// keeps it for an operator.
type DeadJob struct {
	Job       Job       `json:"job"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Time      time.Time `json:"time"`
}

// DeadJobs returns the jobs in the dead-letter stream, oldest first, at
// most max.
func (c *Conn) DeadJobs(ctx context.Context, max int) ([]DeadJob, error) {
	cons, err := c.js.OrderedConsumer(ctx, deadStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, err
	}
	var out []DeadJob
	for len(out) < max {
		batch, err := cons.FetchNoWait(max - len(out))
		if err != nil {
			return nil, err
		}
		n := 0
		for m := range batch.Messages() {
			n++
			var d DeadJob
			if err := json.Unmarshal(m.Data(), &d); err == nil {
				out = append(out, d)
			}
		}
		if n == 0 {
			break
		}
	}
	return out, nil
}
