package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/store"
)

// The question log and the votes are messages on the log stream, one
// subject each, kept for the retention period.
const (
	questionSubject = "citebot.log.question"
	voteSubject     = "citebot.log.vote"
)

// Log records a question.
func (s *Store) Log(q store.Question) {
	if q.Time.IsZero() {
		q.Time = time.Now()
	}
	s.enqueue(func(ctx context.Context) error {
		_, err := s.c.js.Publish(ctx, questionSubject, encode(q))
		return err
	})
}

// AddVote records a vote.
func (s *Store) AddVote(v store.Vote) {
	if v.Time.IsZero() {
		v.Time = time.Now()
	}
	s.enqueue(func(ctx context.Context) error {
		_, err := s.c.js.Publish(ctx, voteSubject, encode(v))
		return err
	})
}

// Questions returns the logged questions that f selects, oldest first,
// with their stream sequence as ID.
func (s *Store) Questions(ctx context.Context, f store.Filter) ([]store.Question, error) {
	var out []store.Question
	err := s.readLog(ctx, questionSubject, f.Since, func(seq uint64, data []byte) {
		var q store.Question
		if json.Unmarshal(data, &q) == nil && (f.Guild == "" || q.Guild == f.Guild) {
			q.ID = int64(seq)
			out = append(out, q)
		}
	})
	return out, err
}

// Votes returns the votes that f selects, oldest first.
func (s *Store) Votes(ctx context.Context, f store.Filter) ([]store.Vote, error) {
	var out []store.Vote
	err := s.readLog(ctx, voteSubject, f.Since, func(_ uint64, data []byte) {
		var v store.Vote
		if json.Unmarshal(data, &v) == nil && (f.Guild == "" || v.Guild == f.Guild) {
			out = append(out, v)
		}
	})
	return out, err
}

// readLog calls each with every message of subject stored since since
// (all of them for a zero time), in order, up to the last one stored when
// it started.
func (s *Store) readLog(ctx context.Context, subject string, since time.Time, each func(seq uint64, data []byte)) error {
	return s.scan(ctx, logStream, subject, since, func(meta *jetstream.MsgMetadata, data []byte) bool {
		each(meta.Sequence.Stream, data)
		return true
	})
}

// scan calls each with the messages of stream (those of subject, unless
// empty) stored since since (all for a zero time), in order, up to the
// last one stored when it started or until each returns false.
func (s *Store) scan(ctx context.Context, stream, subject string, since time.Time, each func(*jetstream.MsgMetadata, []byte) bool) error {
	var cfg jetstream.OrderedConsumerConfig
	if subject != "" {
		cfg.FilterSubjects = []string{subject}
	}
	if !since.IsZero() {
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &since
	}
	cons, err := s.c.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("read %s: %w", stream, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return fmt.Errorf("read %s: %w", stream, err)
	}
	for left := info.NumPending; left > 0; {
		batch, err := cons.Fetch(int(min(left, 256)), jetstream.FetchContext(ctx))
		if err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
		for m := range batch.Messages() {
			meta, err := m.Metadata()
			if err != nil {
				return err
			}
			if !each(meta, m.Data()) {
				return nil
			}
			left = meta.NumPending
		}
		if err := batch.Error(); err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
	}
	return nil
}

// guildKey is the settings key of a server ("" cannot be a key).
func guildKey(guild string) string {
	if guild == "" {
		return "_"
	}
	return guild
}

// Settings returns a server's settings; zero when it set none.
func (s *Store) Settings(ctx context.Context, guild string) (store.Settings, error) {
	var st store.Settings
	e, err := s.settings.Get(ctx, guildKey(guild))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("settings of %s: %w", guild, err)
	}
	return st, json.Unmarshal(e.Value(), &st)
}

// SetSettings replaces a server's settings.
func (s *Store) SetSettings(ctx context.Context, guild string, st store.Settings) error {
	if _, err := s.settings.Put(ctx, guildKey(guild), encode(st)); err != nil {
		return fmt.Errorf("settings of %s: %w", guild, err)
	}
	return nil
}

// CreateKB records a knowledge base; a name already taken is an error.
func (s *Store) CreateKB(ctx context.Context, kb store.KB) error {
	if kb.Created.IsZero() {
		kb.Created = time.Now()
	}
	_, err := s.kbs.Create(ctx, kb.Name, encode(kb))
	if lostRace(err) {
		return fmt.Errorf("knowledge base %q exists already", kb.Name)
	}
	return err
}

// KBs lists the knowledge bases by name.
func (s *Store) KBs(ctx context.Context) ([]store.KB, error) {
	lister, err := s.kbs.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.KB
	for name := range lister.Keys() {
		e, err := s.kbs.Get(ctx, name)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var kb store.KB
		if err := json.Unmarshal(e.Value(), &kb); err != nil {
			return nil, fmt.Errorf("knowledge base %s: %w", name, err)
		}
		out = append(out, kb)
	}
	slices.SortFunc(out, func(a, b store.KB) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
