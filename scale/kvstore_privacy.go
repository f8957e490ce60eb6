package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/store"
)

// What the shared store keeps about one member is found from the
// question log: their questions and votes are log messages naming them;
// the answers kept for their buttons are keyed by their questions'
// answer keys; and their turns are in the conversations of the channels
// they asked in — the thread itself, or their own exchanges in a channel
// where the bot replies in place (CHANNEL/USER, as the bot keys them). A
// turn names who asked it; one from before turns did is taken to be the
// member's in a channel they asked in, as store.Memory does. The log
// messages are erased on disk (secure delete), the bucket entries purged
// with their history.

// mine is what the log holds about a member: the stream sequences of
// their questions and votes, the records themselves, and the answer keys
// and channels of their questions.
type mine struct {
	questions, votes []uint64
	qs               []store.Question
	vs               []store.Vote
	answerKeys       []string
	channels         map[string]bool
}

// find reads the log for user's records.
func (s *Store) find(ctx context.Context, user string) (mine, error) {
	m := mine{channels: map[string]bool{}}
	err := s.readLog(ctx, questionSubject, time.Time{}, func(seq uint64, data []byte) {
		var q store.Question
		if json.Unmarshal(data, &q) == nil && q.User == user {
			q.ID = int64(seq)
			m.questions, m.qs = append(m.questions, seq), append(m.qs, q)
			if q.AnswerKey != "" {
				m.answerKeys = append(m.answerKeys, q.AnswerKey)
			}
			if q.Channel != "" {
				m.channels[q.Channel] = true
			}
		}
	})
	if err != nil {
		return m, err
	}
	err = s.readLog(ctx, voteSubject, time.Time{}, func(seq uint64, data []byte) {
		var v store.Vote
		if json.Unmarshal(data, &v) == nil && v.User == user {
			m.votes, m.vs = append(m.votes, seq), append(m.vs, v)
		}
	})
	return m, err
}

// Forget deletes the member's questions, votes, kept answers and the
// conversations of the channels they asked in, and says how many records
// went (turns counted one by one).
func (s *Store) Forget(ctx context.Context, user string) (int, error) {
	if user == "" {
		return 0, nil
	}
	m, err := s.find(ctx, user)
	if err != nil {
		return 0, err
	}
	log, err := s.c.js.Stream(ctx, logStream)
	if err != nil {
		return 0, fmt.Errorf("forget: %w", err)
	}
	n := 0
	for _, seq := range append(m.questions, m.votes...) {
		err := log.SecureDeleteMsg(ctx, seq)
		if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return n, fmt.Errorf("forget: %w", err)
		}
		n++
	}
	for _, key := range m.answerKeys {
		a, ok, err := s.Answer(ctx, key)
		if err != nil {
			return n, fmt.Errorf("forget: %w", err)
		}
		if ok && a.User == user {
			if err := s.answers.Purge(ctx, key); err != nil {
				return n, fmt.Errorf("forget: %w", err)
			}
			n++
		}
	}
	for _, id := range m.conversations(user) {
		turns, err := s.dropTurns(ctx, id, user)
		if err != nil {
			return n, fmt.Errorf("forget: %w", err)
		}
		n += turns
	}
	return n, nil
}

// conversations are the keys of the conversations user may have turns
// in.
func (m mine) conversations(user string) []string {
	var out []string
	for ch := range m.channels {
		for _, id := range []string{ch, ch + "/" + user} {
			if validKey(id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// dropTurns deletes user's turns from a conversation, keeping whether
// the bot started the thread, and says how many went.
func (s *Store) dropTurns(ctx context.Context, id, user string) (int, error) {
	if _, err := s.threads.Get(ctx, id); errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	n := 0
	err := s.changeThread(ctx, id, func(t *thread) {
		before := len(t.Turns)
		t.Turns = slices.DeleteFunc(t.Turns, func(turn store.Turn) bool { return turn.User == user || turn.User == "" })
		n = before - len(t.Turns)
	})
	return n, err
}

// validKey reports whether id can be a key of a bucket: a conversation
// that could not be a key was never stored.
func validKey(id string) bool {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '/' || r == '_' || r == '=' || r == '.') {
			return false
		}
	}
	return id != ""
}

// Export returns what is kept about the member.
func (s *Store) Export(ctx context.Context, user string) (store.UserData, error) {
	d := store.UserData{User: user, Questions: []store.Question{}, Votes: []store.Vote{}, Answers: []store.KeptAnswer{}}
	m, err := s.find(ctx, user)
	if err != nil {
		return d, err
	}
	d.Questions, d.Votes, d.Turns = append(d.Questions, m.qs...), append(d.Votes, m.vs...), []store.Turn{}
	for _, id := range m.conversations(user) {
		_, turns, err := s.Thread(ctx, id, keptTurns)
		if err != nil {
			return d, err
		}
		for _, t := range turns {
			if t.User == user {
				d.Turns = append(d.Turns, t)
			}
		}
	}
	for _, key := range m.answerKeys {
		a, ok, err := s.Answer(ctx, key)
		if err != nil {
			return d, err
		}
		if ok && a.User == user {
			d.Answers = append(d.Answers, a)
		}
	}
	return d, nil
}

// Prune deletes the log messages, kept answers and conversations last
// written before before, and says how many went. The streams and buckets
// expire by age on their own; Prune matters when the retention was
// shortened after they were created.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	n := 0
	for _, stream := range []string{logStream, "KV_" + answersBucket, "KV_" + threadsBucket} {
		m, err := s.purgeBefore(ctx, stream, before)
		n += m
		if err != nil {
			return n, fmt.Errorf("prune %s: %w", stream, err)
		}
	}
	return n, nil
}

// purgeBefore purges the messages of stream stored before before: those
// below the first one stored at or after it.
func (s *Store) purgeBefore(ctx context.Context, stream string, before time.Time) (int, error) {
	n, cut := 0, uint64(0)
	err := s.scan(ctx, stream, "", time.Time{}, func(meta *jetstream.MsgMetadata, _ []byte) bool {
		if !meta.Timestamp.Before(before) {
			cut = meta.Sequence.Stream
			return false
		}
		n++
		cut = meta.Sequence.Stream + 1
		return true
	})
	if err != nil || n == 0 {
		return 0, err
	}
	st, err := s.c.js.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	return n, st.Purge(ctx, jetstream.WithPurgeSequence(cut))
}
