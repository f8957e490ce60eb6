package bot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// feedbackLines reads path and decodes each line strictly.
func feedbackLines(t *testing.T, path string) []feedbackRecord {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var out []feedbackRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var r feedbackRecord
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d %q: got %v, want a feedback record", n, sc.Text(), err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scan %s: %v", path, err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("got a last line without a newline, want every line terminated")
	}
	return out
}

func TestFeedbackStoreConcurrentAdds(t *testing.T) {
	const goroutines, adds = 50, 20
	path := filepath.Join(t.TempDir(), "data", "nested", "feedback.jsonl")
	s := newFeedbackStore(path)
	// A long answer with newlines and quotes makes interleaving likely to
	// show if writes were not one per line.
	answer := strings.Repeat("Line \"quoted\" <b>bold</b> é\n", 40)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range adds {
				err := s.add(feedbackRecord{
					UserID: fmt.Sprint("user", g), Vote: feedbackUp, Question: "q?",
					Answer: answer, Sources: []string{"doc_1#0"}, MessageID: fmt.Sprintf("%d-%d", g, i),
				})
				if err != nil {
					t.Errorf("add: got %v, want nil", err)
				}
			}
		})
	}
	wg.Wait()
	if err := s.close(); err != nil {
		t.Fatalf("close: got %v, want nil", err)
	}
	records := feedbackLines(t, path)
	if len(records) != goroutines*adds {
		t.Fatalf("got %d lines, want %d", len(records), goroutines*adds)
	}
	seen := make(map[string]bool)
	for _, r := range records {
		if r.Answer != answer || seen[r.MessageID] {
			t.Fatalf("record %s: got a changed answer or a duplicate, want each record once intact", r.MessageID)
		}
		seen[r.MessageID] = true
	}
}

func TestFeedbackStoreRecord(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name    string
		in      feedbackRecord
		want    feedbackRecord
		wantRaw []string // substrings of the stored line
	}{
		{
			"all fields, time in UTC",
			feedbackRecord{Time: at, UserID: "42", Vote: feedbackDown, Question: "Q", Answer: "A <i>x</i> & y",
				Sources: []string{"d1#2", "d3"}, MessageID: "m1", Mode: "llm"},
			feedbackRecord{Time: at.UTC(), UserID: "42", Vote: feedbackDown, Question: "Q", Answer: "A <i>x</i> & y",
				Sources: []string{"d1#2", "d3"}, MessageID: "m1", Mode: "llm"},
			[]string{`"time":"2026-03-04T04:06:07Z"`, `"answer":"A <i>x</i> & y"`, `"mode":"llm"`},
		},
		{
			"nil sources and empty mode",
			feedbackRecord{Time: at, UserID: "42", Vote: feedbackUp, MessageID: "m2"},
			feedbackRecord{Time: at.UTC(), UserID: "42", Vote: feedbackUp, Sources: []string{}, MessageID: "m2"},
			[]string{`"sources":[]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "feedback.jsonl")
			s := newFeedbackStore(path)
			if err := s.add(tt.in); err != nil {
				t.Fatalf("add: got %v, want nil", err)
			}
			s.close()
			got := feedbackLines(t, path)
			if diff := cmp.Diff([]feedbackRecord{tt.want}, got); diff != "" {
				t.Errorf("records mismatch (-want +got):\n%s", diff)
			}
			raw, _ := os.ReadFile(path)
			for _, sub := range tt.wantRaw {
				if !bytes.Contains(raw, []byte(sub)) {
					t.Errorf("got line %s, want it to contain %s", raw, sub)
				}
			}
			if tt.in.Mode == "" && bytes.Contains(raw, []byte(`"mode"`)) {
				t.Errorf("got line %s, want no mode field", raw)
			}
		})
	}
}

func TestFeedbackStoreZeroTimeIsNow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	s := newFeedbackStore(path)
	before := time.Now().Add(-time.Second)
	if err := s.add(feedbackRecord{Vote: feedbackUp}); err != nil {
		t.Fatalf("add: got %v, want nil", err)
	}
	s.close()
	got := feedbackLines(t, path)[0].Time
	if got.Before(before) || got.Location() != time.UTC {
		t.Errorf("got time %v, want now in UTC", got)
	}
}

func TestFeedbackStoreAppendsAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feedback.jsonl")
	for _, id := range []string{"first", "second"} {
		s := newFeedbackStore(path)
		if err := s.add(feedbackRecord{Vote: feedbackUp, MessageID: id}); err != nil {
			t.Fatalf("add %s: got %v, want nil", id, err)
		}
		if err := s.close(); err != nil {
			t.Fatalf("close: got %v, want nil", err)
		}
	}
	var got []string
	for _, r := range feedbackLines(t, path) {
		got = append(got, r.MessageID)
	}
	if diff := cmp.Diff([]string{"first", "second"}, got); diff != "" {
		t.Errorf("message IDs mismatch (-want +got):\n%s", diff)
	}
}

func TestFeedbackStoreErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	closed := newFeedbackStore(filepath.Join(dir, "closed.jsonl"))
	closed.close()
	tests := []struct {
		name    string
		s       *feedbackStore
		vote    string
		want    error  // matched with errors.Is when set
		wantMsg string // else a substring of the error
	}{
		{"parent is a file", newFeedbackStore(filepath.Join(blocker, "sub", "f.jsonl")), feedbackUp, nil, "open feedback file: mkdir"},
		{"path is a directory", newFeedbackStore(dir), feedbackDown, nil, "open feedback file: open"},
		{"unknown vote", newFeedbackStore(filepath.Join(dir, "f.jsonl")), "meh", nil, `vote "meh"`},
		{"after close", closed, feedbackUp, errClosed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.add(feedbackRecord{Vote: tt.vote})
			switch {
			case err == nil:
				t.Fatalf("add: got nil, want an error")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("add: got %v, want %v", err, tt.want)
			case tt.want == nil && !strings.Contains(err.Error(), tt.wantMsg):
				t.Errorf("add: got %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "f.jsonl")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a refused vote: got file stat error %v, want no file created", err)
	}
}
