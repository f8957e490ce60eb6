package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/citebot/citebot/store"
)

// Log implements store.Store. A zero Time is set to now.
func (s *Store) Log(q store.Question) {
	q.Time = stamp(q.Time)
	s.enqueue("log question", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO questions
			(time, guild, channel, user_id, answer_key, kb, question, lang, outcome, cited, stages, tokens)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			q.Time.UnixNano(), q.Guild, q.Channel, q.User, q.AnswerKey, q.KB, q.Question, q.Lang, string(q.Outcome),
			jsonText(q.Cited, "[]"), jsonText(q.Stages, "{}"), q.Tokens)
		return err
	})
}

// AddVote implements store.Store. A zero Time is set to now.
func (s *Store) AddVote(v store.Vote) {
	v.Time = stamp(v.Time)
	s.enqueue("add vote", func(ctx context.Context, tx *sql.Tx) error { return insertVote(ctx, tx, v) })
}

func insertVote(ctx context.Context, tx *sql.Tx, v store.Vote) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO votes
		(time, guild, user_id, answer_key, vote, question, answer, sources, mode, known)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.Time.UnixNano(), v.Guild, v.User, v.AnswerKey, v.Vote, v.Question, v.Answer,
		jsonText(v.Sources, "[]"), v.Mode, v.Known)
	return err
}

// StartThread implements store.Store; starting a known thread again
// keeps its first start.
func (s *Store) StartThread(threadID string) {
	now := time.Now().UnixNano()
	s.enqueue("start thread", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO threads (id, started) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, threadID, now)
		return err
	})
}

// AddTurn implements store.Store.
func (s *Store) AddTurn(threadID string, t store.Turn) {
	now := time.Now().UnixNano()
	s.enqueue("add turn", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO turns (thread, time, user_id, question, answer) VALUES (?, ?, ?, ?, ?)`,
			threadID, now, t.User, t.Question, t.Answer)
		return err
	})
}

// PutAnswer implements store.Store; a second answer under the same key
// replaces the first. A zero Time is set to now.
func (s *Store) PutAnswer(key string, a store.KeptAnswer) {
	a.Time = stamp(a.Time)
	s.enqueue("put answer", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO answers
			(key, time, guild, user_id, question, text, mode, sources, passages)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			key, a.Time.UnixNano(), a.Guild, a.User, a.Question, a.Text, a.Mode,
			jsonText(a.Sources, "[]"), jsonText(a.Passages, "[]"))
		return err
	})
}

// SetSettings implements store.Store: s replaces the server's settings.
func (s *Store) SetSettings(ctx context.Context, guild string, set store.Settings) error {
	if guild == "" {
		return errors.New("set settings: no server given")
	}
	value := jsonText(set, "{}")
	return s.call(ctx, "set settings", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings (guild, value, updated) VALUES (?, ?, ?)`,
			guild, value, time.Now().UnixNano())
		return err
	})
}

// CreateKB implements store.Store; a name already taken is refused.
func (s *Store) CreateKB(ctx context.Context, kb store.KB) error {
	if kb.Name == "" || kb.Name == store.DefaultKB {
		return fmt.Errorf("create knowledge base: the name %q is reserved", kb.Name)
	}
	kb.Created = stamp(kb.Created)
	return s.call(ctx, "create knowledge base", func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kbs WHERE name = ?`, kb.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return refusal{fmt.Errorf("knowledge base %q already exists", kb.Name)}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kbs (name, corpus, created) VALUES (?, ?, ?)`,
			kb.Name, kb.Corpus, kb.Created.UnixNano())
		return err
	})
}

// Forget implements store.Store: questions, votes, kept answers and
// thread turns of user, including those still queued when it was called.
func (s *Store) Forget(ctx context.Context, user string) (int, error) {
	if user == "" {
		return 0, errors.New("forget: no user given")
	}
	return s.deleteAll(ctx, "forget", `user_id = ?`, user)
}

// Prune implements store.Store: questions, votes, kept answers and thread
// turns older than before, and threads started before it that have no
// turn left.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	n, err := s.deleteAll(ctx, "prune", `time < ?`, before.UnixNano())
	if err != nil {
		return n, err
	}
	var threads int64
	err = s.call(ctx, "prune threads", func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM threads WHERE started < ?
			AND NOT EXISTS (SELECT 1 FROM turns WHERE turns.thread = threads.id)`, before.UnixNano())
		if err == nil {
			threads, err = res.RowsAffected()
		}
		return err
	})
	return n + int(threads), err
}

// deleteAll deletes the rows matching where from every table of personal
// records, in one transaction, and counts them.
func (s *Store) deleteAll(ctx context.Context, name, where string, arg any) (int, error) {
	var total int64
	err := s.call(ctx, name, func(ctx context.Context, tx *sql.Tx) error {
		total = 0
		for _, table := range []string{"questions", "votes", "answers", "turns"} {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+where, arg)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return int(total), nil
}

// stamp is t, or now when t is zero.
func stamp(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// jsonText encodes v for a TEXT column; empty for nil slices and maps.
// Our types always encode, so an error cannot happen; empty is the guard.
func jsonText(v any, empty string) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return empty
	}
	return string(b)
}
