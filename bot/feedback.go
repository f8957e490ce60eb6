package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The two votes a user can give an answer, as stored in feedbackRecord.Vote.
const (
	feedbackUp   = "up"
	feedbackDown = "down"
)

// feedbackRecord is one vote on one answer, with what is needed to judge
// the answer later without the Discord history: the question, the answer
// and the passages it cited.
type feedbackRecord struct {
	Time      time.Time `json:"time"`
	UserID    string    `json:"user_id"`
	Vote      string    `json:"vote"` // "up" or "down"
	Question  string    `json:"question"`
	Answer    string    `json:"answer"`
	Sources   []string  `json:"sources"` // cited chunk or document IDs
	MessageID string    `json:"message_id"`
	Mode      string    `json:"mode,omitempty"`
	// Known is true when the answer was the bot's own record of it, so
	// question, answer and sources are complete; false when only the
	// clicked message's text was left (after a restart, or once the
	// answer left the cache).
	Known bool `json:"known"`
}

// feedbackStore appends records as JSON lines to a file in the data
// directory, so feedback survives restarts and can be analysed with
// standard tools (jq, grep, pandas). Concurrent adds from many goroutines
// never interleave lines: each line is one write under a mutex, to a file
// opened O_APPEND|O_CREATE|O_WRONLY 0644 whose directory is created if
// missing. The file is opened on the first add, so a bot that never gets
// feedback never creates it, and a failed open is retried on the next add.
type feedbackStore struct {
	path string

	mu     sync.Mutex
	file   *os.File
	closed bool
}

// newFeedbackStore returns a store appending to path. It touches nothing
// on disk until the first add.
func newFeedbackStore(path string) *feedbackStore {
	return &feedbackStore{path: path}
}

// add appends r as one line. A zero Time is set to now, so callers need
// not, and nil Sources are written as [] so every line has the same shape.
// Votes other than "up" and "down" are refused: they would only pollute
// the analysis.
func (s *feedbackStore) add(r feedbackRecord) error {
	if r.Vote != feedbackUp && r.Vote != feedbackDown {
		return fmt.Errorf("add feedback: vote %q, want %q or %q", r.Vote, feedbackUp, feedbackDown)
	}
	line, err := encodeFeedback(r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("add feedback: %w", errClosed)
	}
	if s.file == nil {
		if s.file, err = openAppend(s.path); err != nil {
			return fmt.Errorf("open feedback file: %w", err)
		}
	}
	if _, err := s.file.Write(line); err != nil {
		return fmt.Errorf("add feedback: %w", err)
	}
	return nil
}

// encodeFeedback renders r as one JSON line ending in a newline. HTML is
// left unescaped so answers stay readable with grep.
func encodeFeedback(r feedbackRecord) ([]byte, error) {
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	r.Time = r.Time.UTC()
	if r.Sources == nil {
		r.Sources = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode feedback: %w", err)
	}
	return buf.Bytes(), nil
}

// openAppend opens path for appending, creating it and its directory.
// Its errors are *fs.PathError values, which already name the path.
func openAppend(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
}

// close closes the file. Later adds fail with errClosed rather than
// reopening it, so nothing is written after shutdown. Closing twice is
// harmless.
func (s *feedbackStore) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file = nil
	if err != nil {
		return fmt.Errorf("close feedback file: %w", err)
	}
	return nil
}
