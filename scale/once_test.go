package scale

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestReplyRecords(t *testing.T) {
	srv := server(t)
	ctx := testContext(t)
	c := connect(t, srv.URL(), Options{})
	const lease = time.Hour
	r, err := c.replies(ctx, lease)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	post := func(context.Context) error { calls++; return nil }

	if posted, err := r.once(ctx, "k1", "a", post); !posted || err != nil {
		t.Fatalf("first post: posted %v, %v", posted, err)
	}
	if posted, err := r.once(ctx, "k1", "b", post); posted || err != nil || calls != 1 {
		t.Errorf("second post: posted %v, %v, %d calls; want skipped", posted, err, calls)
	}

	// A failed post leaves no record: the next delivery posts.
	if _, err := r.once(ctx, "k2", "a", func(context.Context) error { return errScripted }); !errors.Is(err, errScripted) {
		t.Fatalf("failed post: %v", err)
	}
	if posted, err := r.once(ctx, "k2", "b", post); !posted || err != nil {
		t.Errorf("after a failed post: posted %v, %v; want posted", posted, err)
	}

	// Another worker's fresh "posting" record holds the reply; an old one
	// (its worker died) is taken over; this worker's own is its to finish.
	for _, tc := range []struct {
		name, worker string
		age          time.Duration
		want         error
	}{
		{"fresh, another worker's", "other", time.Minute, errBusy},
		{"abandoned", "other", 2 * lease, nil},
		{"our own", "a", time.Minute, nil},
	} {
		key := "k-" + tc.worker + tc.age.String()
		rec := replyRecord{State: statePosting, Worker: tc.worker, Time: time.Now().Add(-tc.age)}
		if _, err := r.kv.Create(ctx, key, encode(rec)); err != nil {
			t.Fatal(err)
		}
		before := calls
		_, err := r.once(ctx, key, "a", post)
		if !errors.Is(err, tc.want) || (err == nil) != (calls == before+1) {
			t.Errorf("%s: %v after %d posts, want %v", tc.name, err, calls-before, tc.want)
		}
	}
}
