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

// Reads see what the writer has stored: a write still queued is not seen
// until the writer gets to it (Flush waits for that).

// Thread implements store.Store.
func (s *Store) Thread(ctx context.Context, threadID string, max int) (bool, []store.Turn, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM threads WHERE id = ?`, threadID).Scan(&n); err != nil {
		return false, nil, fmt.Errorf("read thread: %w", err)
	}
	if max <= 0 {
		return n > 0, nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT question, answer, user_id FROM
		(SELECT seq, question, answer, user_id FROM turns WHERE thread = ? ORDER BY seq DESC LIMIT ?)
		ORDER BY seq`, threadID, max)
	if err != nil {
		return false, nil, fmt.Errorf("read thread: %w", err)
	}
	turns, err := collect(rows, func(r *sql.Rows) (t store.Turn, err error) {
		return t, r.Scan(&t.Question, &t.Answer, &t.User)
	})
	if err != nil {
		return false, nil, fmt.Errorf("read thread: %w", err)
	}
	return n > 0, turns, nil
}

// Answer implements store.Store.
func (s *Store) Answer(ctx context.Context, key string) (store.KeptAnswer, bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+answerColumns+` FROM answers WHERE key = ?`, key)
	if err != nil {
		return store.KeptAnswer{}, false, fmt.Errorf("read answer: %w", err)
	}
	list, err := collect(rows, scanAnswer)
	if err != nil || len(list) == 0 {
		if err != nil {
			err = fmt.Errorf("read answer: %w", err)
		}
		return store.KeptAnswer{}, false, err
	}
	return list[0], true, nil
}

const answerColumns = `time, guild, user_id, question, text, mode, sources, passages`

func scanAnswer(r *sql.Rows) (store.KeptAnswer, error) {
	var a store.KeptAnswer
	var t int64
	var sources, passages string
	if err := r.Scan(&t, &a.Guild, &a.User, &a.Question, &a.Text, &a.Mode, &sources, &passages); err != nil {
		return a, err
	}
	a.Time = fromNanos(t)
	return a, errors.Join(unjson(sources, &a.Sources), unjson(passages, &a.Passages))
}

// Questions implements store.Store, oldest first.
func (s *Store) Questions(ctx context.Context, f store.Filter) ([]store.Question, error) {
	where, args := filter(f)
	return s.questions(ctx, where, args...)
}

const questionColumns = `id, time, guild, channel, user_id, answer_key, kb, question, lang, outcome, cited, stages, tokens`

func (s *Store) questions(ctx context.Context, where string, args ...any) ([]store.Question, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+questionColumns+` FROM questions WHERE `+where+` ORDER BY time, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	qs, err := collect(rows, func(r *sql.Rows) (store.Question, error) {
		var q store.Question
		var t int64
		var outcome, cited, stages string
		err := r.Scan(&q.ID, &t, &q.Guild, &q.Channel, &q.User, &q.AnswerKey, &q.KB, &q.Question, &q.Lang, &outcome, &cited, &stages, &q.Tokens)
		if err != nil {
			return q, err
		}
		q.Time, q.Outcome = fromNanos(t), store.Outcome(outcome)
		return q, errors.Join(unjson(cited, &q.Cited), unjson(stages, &q.Stages))
	})
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	return qs, nil
}

// Votes implements store.Store, oldest first.
func (s *Store) Votes(ctx context.Context, f store.Filter) ([]store.Vote, error) {
	where, args := filter(f)
	return s.votes(ctx, where, args...)
}

func (s *Store) votes(ctx context.Context, where string, args ...any) ([]store.Vote, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT time, guild, user_id, answer_key, vote, question, answer, sources, mode, known
		FROM votes WHERE `+where+` ORDER BY time, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	vs, err := collect(rows, func(r *sql.Rows) (store.Vote, error) {
		var v store.Vote
		var t int64
		var sources string
		if err := r.Scan(&t, &v.Guild, &v.User, &v.AnswerKey, &v.Vote, &v.Question, &v.Answer, &sources, &v.Mode, &v.Known); err != nil {
			return v, err
		}
		v.Time = fromNanos(t)
		return v, unjson(sources, &v.Sources)
	})
	if err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	return vs, nil
}

// filter turns f into a WHERE clause over time and guild.
func filter(f store.Filter) (string, []any) {
	where, args := `time >= ?`, []any{int64(0)}
	if !f.Since.IsZero() {
		args[0] = f.Since.UnixNano()
	}
	if f.Guild != "" {
		where += ` AND guild = ?`
		args = append(args, f.Guild)
	}
	return where, args
}

// Settings implements store.Store: the zero Settings for a server that
// set nothing.
func (s *Store) Settings(ctx context.Context, guild string) (store.Settings, error) {
	var value string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE guild = ?`, guild).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Settings{}, nil
	}
	if err != nil {
		return store.Settings{}, fmt.Errorf("read settings: %w", err)
	}
	var set store.Settings
	if err := json.Unmarshal([]byte(value), &set); err != nil {
		return store.Settings{}, fmt.Errorf("read settings of %s: %w", guild, err)
	}
	return set, nil
}

// KBs implements store.Store, by name. The default knowledge base is not
// stored: it is the configured corpus.
func (s *Store) KBs(ctx context.Context) ([]store.KB, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, corpus, created FROM kbs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read knowledge bases: %w", err)
	}
	kbs, err := collect(rows, func(r *sql.Rows) (store.KB, error) {
		var kb store.KB
		var t int64
		err := r.Scan(&kb.Name, &kb.Corpus, &t)
		kb.Created = fromNanos(t)
		return kb, err
	})
	if err != nil {
		return nil, fmt.Errorf("read knowledge bases: %w", err)
	}
	return kbs, nil
}

// Export implements store.Store.
func (s *Store) Export(ctx context.Context, user string) (store.UserData, error) {
	d := store.UserData{User: user}
	if user == "" {
		return d, errors.New("export: no user given")
	}
	var err error
	if d.Questions, err = s.questions(ctx, `user_id = ?`, user); err != nil {
		return d, err
	}
	if d.Votes, err = s.votes(ctx, `user_id = ?`, user); err != nil {
		return d, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+answerColumns+` FROM answers WHERE user_id = ? ORDER BY time`, user)
	if err == nil {
		d.Answers, err = collect(rows, scanAnswer)
	}
	if err != nil {
		return d, fmt.Errorf("read answers: %w", err)
	}
	rows, err = s.r.QueryContext(ctx, `SELECT question, answer, user_id FROM turns WHERE user_id = ? ORDER BY seq`, user)
	if err == nil {
		d.Turns, err = collect(rows, func(r *sql.Rows) (t store.Turn, err error) {
			return t, r.Scan(&t.Question, &t.Answer, &t.User)
		})
	}
	if err != nil {
		return d, fmt.Errorf("read turns: %w", err)
	}
	return d, nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// unjson decodes a JSON column; an empty one leaves v as it is (nil),
// as it was before it was stored.
func unjson(text string, v any) error {
	switch text {
	case "", "[]", "{}", "null":
		return nil
	}
	return json.Unmarshal([]byte(text), v)
}
