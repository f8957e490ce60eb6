package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/store"
)

// Lines as bot/feedback.go wrote them, with a broken one between.
const feedbackSample = `{"time":"2026-01-05T10:00:00Z","user_id":"u1","vote":"up","question":"Qui ?","answer":"Elle [1].","sources":["d1#0"],"message_id":"m1","mode":"offline","known":true}
{"time":"2026-01-05T10:01:00Z","user_id":"u2","vote":"down","question":"Quand ?"
{"time":"2026-01-05T10:02:00Z","user_id":"u3","vote":"meh","question":"Où ?","answer":"","sources":[],"message_id":"m3","known":false}

{"time":"2026-01-05T10:03:00Z","user_id":"u2","vote":"down","question":"","answer":"Rien.","sources":[],"message_id":"m4","mode":"llm","known":false}`

func TestImportFeedbackOnce(t *testing.T) {
	dir := t.TempDir()
	fb := filepath.Join(dir, feedbackFile)
	if err := os.WriteFile(fb, []byte(feedbackSample), 0o644); err != nil {
		t.Fatal(err)
	}
	var logged syncBuffer
	s, err := Open(filepath.Join(dir, FileName), WithLogger(newTestLogger(&logged)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := s.Votes(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Vote{
		{Time: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), User: "u1", AnswerKey: "m1", Vote: "up", Question: "Qui ?",
			Answer: "Elle [1].", Sources: []string{"d1#0"}, Mode: "offline", Known: true},
		{Time: time.Date(2026, 1, 5, 10, 3, 0, 0, time.UTC), User: "u2", AnswerKey: "m4", Vote: "down", Answer: "Rien.", Mode: "llm"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("imported votes (-want +got):\n%s", diff)
	}
	if n := strings.Count(logged.String(), "skipping a broken line"); n != 2 {
		t.Errorf("log: got %d warnings about broken lines, want 2:\n%s", n, logged.String())
	}
	if _, err := os.Stat(fb + ".imported"); err != nil {
		t.Errorf("feedback.jsonl not renamed: %v", err)
	}
	s.Close()

	// The file is back (an operator restored it): not imported twice.
	if err := os.Rename(fb+".imported", fb); err != nil {
		t.Fatal(err)
	}
	s, err = Open(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Votes(ctx, store.Filter{}); err != nil || len(got) != len(want) {
		t.Errorf("after a second Open: got %d votes, %v, want %d", len(got), err, len(want))
	}
}
