package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A job may be delivered more than once: its worker died, or lost NATS,
// before acknowledging it. Its reply must still be posted once. Before
// posting, a worker records in a key-value bucket, under the reply's key
// (the interaction or message ID), that it is posting, and once posted
// that it has:
//
//   - no record: create one saying "posting", worker W (create-if-absent:
//     of two workers racing, one wins), post, then mark it "posted"
//     (compare-and-set on the revision it created), then acknowledge;
//   - "posted": the reply is on Discord; acknowledge without posting;
//   - "posting" by another worker, recorded less than a lease ago: that
//     worker may still be posting; the job is put back and retried later;
//   - "posting" by another worker longer ago: that worker died between
//     its record and "posted". It may have died before posting, or after
//     posting and before recording it; the two cannot be told apart from
//     here. We take the record over (compare-and-set, so one taker wins)
//     and post: an answer lost for good is worse than, in the rare case
//     of a crash in the instant between a successful post and its record,
//     an answer shown twice. For an interaction the first part is an edit
//     of its deferred response, so posting it again replaces it rather
//     than adding another.
//
// Records expire after replyMemory, long after any redelivery.

// replyMemory is how long a reply's record is kept.
const replyMemory = 24 * time.Hour

// recordTimeout bounds the recording of a reply that was posted.
const recordTimeout = 10 * time.Second

type replyState string

const (
	statePosting replyState = "posting"
	statePosted  replyState = "posted"
)

// replyRecord is the value kept under a reply's key.
type replyRecord struct {
	State  replyState `json:"state"`
	Worker string     `json:"worker"`
	Time   time.Time  `json:"time"`
}

// replies is the bucket of reply records.
type replies struct {
	kv jetstream.KeyValue
	// lease is how long a "posting" record protects its worker's post.
	lease time.Duration
}

func (c *Conn) replies(ctx context.Context, lease time.Duration) (*replies, error) {
	kv, err := c.bucket(ctx, repliesBucket, replyMemory, 1)
	if err != nil {
		return nil, err
	}
	return &replies{kv: kv, lease: lease}, nil
}

// errBusy says another worker is posting the same reply right now.
var errBusy = errors.New("another worker is posting this reply")

// once calls post unless the reply keyed key was posted already, and
// records that it was. posted is false when it found the reply posted by
// an earlier delivery. errBusy means another worker holds the reply.
func (r *replies) once(ctx context.Context, key, worker string, post func(context.Context) error) (posted bool, err error) {
	rev, done, err := r.claim(ctx, key, worker)
	if err != nil || done {
		return false, err
	}
	if err := post(ctx); err != nil {
		// Let a later delivery try again at once, ours or another's.
		r.kv.Delete(context.WithoutCancel(ctx), key, jetstream.LastRevision(rev))
		return false, err
	}
	// Posted: record it even if the worker is stopping meanwhile, or a
	// later delivery would take the record over and post again.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if _, err := r.kv.Update(rec, key, encode(replyRecord{State: statePosted, Worker: worker, Time: time.Now()}), rev); err != nil {
		// Posted but not recorded: the job will still be acknowledged;
		// only a redelivery after a lost acknowledgement could post again.
		return true, fmt.Errorf("reply %s posted, but recording it failed: %w", key, err)
	}
	return true, nil
}

// claim makes the reply key ours to post, returning the record's
// revision, or done when it was posted already.
func (r *replies) claim(ctx context.Context, key, worker string) (rev uint64, done bool, err error) {
	mine := encode(replyRecord{State: statePosting, Worker: worker, Time: time.Now()})
	for range 3 {
		rev, err = r.kv.Create(ctx, key, mine)
		if err == nil {
			return rev, false, nil
		}
		if !lostRace(err) {
			return 0, false, fmt.Errorf("record reply %s: %w", key, err)
		}
		e, err := r.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue // deleted after a failed post: create again
		}
		if err != nil {
			return 0, false, fmt.Errorf("read reply %s: %w", key, err)
		}
		var rec replyRecord
		if json.Unmarshal(e.Value(), &rec) != nil {
			rec = replyRecord{State: statePosting, Time: e.Created()}
		}
		switch {
		case rec.State == statePosted:
			return 0, true, nil
		case rec.Worker != worker && time.Since(rec.Time) < r.lease:
			return 0, false, errBusy
		}
		// Ours from an earlier delivery, or abandoned: take it over.
		rev, err = r.kv.Update(ctx, key, mine, e.Revision())
		if err == nil {
			return rev, false, nil
		}
		if !lostRace(err) {
			return 0, false, fmt.Errorf("take over reply %s: %w", key, err)
		}
	}
	return 0, false, errBusy
}

// posted reports whether the reply keyed key is recorded as posted.
func (r *replies) posted(ctx context.Context, key string) (bool, error) {
	e, err := r.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var rec replyRecord
	return json.Unmarshal(e.Value(), &rec) == nil && rec.State == statePosted, nil
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs are encoded
	}
	return b
}
