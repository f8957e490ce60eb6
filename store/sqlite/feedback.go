package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/citebot/citebot/store"
)

// feedbackFile is where citebot versions before the store appended votes,
// one JSON object a line, in the data directory.
const feedbackFile = "feedback.jsonl"

// feedbackLine is one line of feedback.jsonl as those versions wrote it.
type feedbackLine struct {
	Time      time.Time `json:"time"`
	UserID    string    `json:"user_id"`
	Vote      string    `json:"vote"`
	Question  string    `json:"question"`
	Answer    string    `json:"answer"`
	Sources   []string  `json:"sources"`
	MessageID string    `json:"message_id"`
	Mode      string    `json:"mode"`
	Known     bool      `json:"known"`
}

// maxWarnedLines bounds the warnings about broken lines; the rest are counted.
const maxWarnedLines = 10

// importFeedback imports path as votes, once: the import is recorded in
// the imports table in the same transaction, and the file is then renamed
// to path+".imported" so that operators see it was taken in. A broken line
// is skipped with a warning and the rest imported. A missing file is
// nothing to do.
func (s *Store) importFeedback(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var done int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM imports WHERE name = ?`, feedbackFile).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	votes, skipped, err := readFeedback(f, s.warnLine)
	if err != nil {
		return err
	}
	err = s.transact(func(ctx context.Context, tx *sql.Tx) error {
		for _, v := range votes {
			if err := insertVote(ctx, tx, v); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO imports (name, time, count) VALUES (?, ?, ?)`,
			feedbackFile, time.Now().UnixNano(), len(votes))
		return err
	})
	if err != nil {
		return err
	}
	s.log.Info("imported votes from feedback.jsonl", "votes", len(votes), "skipped_lines", skipped)
	if err := os.Rename(path, path+".imported"); err != nil {
		s.log.Warn("feedback.jsonl imported but not renamed; it will not be imported again", "err", err)
	}
	return nil
}

func (s *Store) warnLine(n, line int, err error) {
	if n <= maxWarnedLines {
		s.log.Warn("feedback.jsonl: skipping a broken line", "line", line, "err", err)
	}
}

// readFeedback reads the votes of r, skipping (and reporting to warn, with
// the count of skipped lines so far) each line that is not a vote.
func readFeedback(r io.Reader, warn func(n, line int, err error)) ([]store.Vote, int, error) {
	br := bufio.NewReader(r)
	var votes []store.Vote
	skipped := 0
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			v, perr := parseFeedback(b)
			if perr != nil {
				skipped++
				warn(skipped, line, perr)
			} else {
				votes = append(votes, v)
			}
		}
		if errors.Is(err, io.EOF) {
			return votes, skipped, nil
		}
		if err != nil {
			return nil, skipped, err
		}
	}
}

// parseFeedback reads one line as a vote.
func parseFeedback(b []byte) (store.Vote, error) {
	var l feedbackLine
	if err := json.Unmarshal(b, &l); err != nil {
		return store.Vote{}, err
	}
	if l.Vote != "up" && l.Vote != "down" {
		return store.Vote{}, fmt.Errorf("vote %q, want \"up\" or \"down\"", l.Vote)
	}
	if l.Time.IsZero() {
		return store.Vote{}, errors.New("no time")
	}
	return store.Vote{Time: l.Time, User: l.UserID, AnswerKey: l.MessageID, Vote: l.Vote, Question: l.Question,
		Answer: l.Answer, Sources: l.Sources, Mode: l.Mode, Known: l.Known}, nil
}
