package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
)

func TestOpenCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a database, just text\n"), 400), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of a text file: got %v, want %v", err, ErrCorrupt)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	// Fixed (here: moved aside), the next Open works.
	if err := os.Rename(path, path+".bad"); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open after the file was moved aside: %v", err)
	}
	s.Close()
}

func TestOpenLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Another program holds the write lock and does not let go.
	other, err := sql.Open("sqlite", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO kbs (name, corpus, created) VALUES ('x', 'y', 0)`); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, WithBusyTimeout(50*time.Millisecond))
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Open of a locked file: got %v, want %v", err, ErrLocked)
	}
	tx.Rollback()
	s, err = Open(path, WithBusyTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatalf("Open once the lock is gone: %v", err)
	}
	s.Close()
}

// A full disk, made with max_page_count on the writer's one connection:
// writes fail with a warning and Health says why; answering callers are
// not affected; once there is room, writes succeed and Health is nil.
func TestDiskFullThenRecovered(t *testing.T) {
	var logged syncBuffer
	s := openTest(t, WithLogger(newTestLogger(&logged)))
	ctx := context.Background()
	var pages int
	if err := s.w.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("une question très longue ", 2000)
	for range 20 {
		s.Log(store.Question{Question: big, Outcome: store.Answered})
	}
	if err := s.Flush(ctx); err == nil {
		t.Fatalf("Flush on a full disk: got nil, want the write's error")
	}
	if s.Health() == nil || s.Failed() == 0 {
		t.Errorf("on a full disk: got Health %v, Failed %d, want an error and lost records", s.Health(), s.Failed())
	}
	if !strings.Contains(logged.String(), "store write failed") {
		t.Errorf("log: got %q, want a warning", logged.String())
	}

	if _, err := s.w.Exec(`PRAGMA max_page_count = 1000000`); err != nil {
		t.Fatal(err)
	}
	s.Log(store.Question{Question: "après", Outcome: store.Answered})
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush with room again: %v", err)
	}
	if err := s.Health(); err != nil {
		t.Errorf("Health with room again: got %v, want nil", err)
	}
	qs, err := s.Questions(ctx, store.Filter{})
	if err != nil || len(qs) != 1 || qs[0].Question != "après" {
		t.Errorf("Questions: got %d, %v, want the one written after the fault", len(qs), err)
	}
}

// 200 questions logged at once from 200 goroutines: none lost.
func TestBurstNoneLost(t *testing.T) {
	s := openTest(t)
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s.Log(store.Question{User: fmt.Sprint("u", i), Question: fmt.Sprint("question ", i), Outcome: store.Answered})
		})
	}
	wg.Wait()
	flush(t, s)
	qs, err := s.Questions(context.Background(), store.Filter{})
	if err != nil || len(qs) != n || s.Dropped() != 0 {
		t.Errorf("after a burst of %d: got %d stored, %d dropped, %v; want all stored", n, len(qs), s.Dropped(), err)
	}
}

// A queue that overflows while the writer is busy: the writes beyond it
// are dropped and counted, the others stored, and the caller never waits.
func TestOverflowIsCounted(t *testing.T) {
	var logged syncBuffer
	const queue, extra = 10, 5
	s := openTest(t, WithQueue(queue), WithLogger(newTestLogger(&logged)))
	started, release := make(chan struct{}), make(chan struct{})
	blocked := make(chan error, 1)
	go func() {
		blocked <- s.call(context.Background(), "block", func(context.Context, *sql.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started // the writer is busy and the queue empty
	for i := range queue + extra {
		s.Log(store.Question{Question: fmt.Sprint("q", i), Outcome: store.Answered})
	}
	if got := s.Dropped(); got != extra {
		t.Errorf("Dropped: got %d, want %d", got, extra)
	}
	if !strings.Contains(logged.String(), "write dropped") {
		t.Errorf("log: got %q, want a warning about dropped writes", logged.String())
	}
	close(release)
	if err := <-blocked; err != nil {
		t.Fatal(err)
	}
	flush(t, s)
	qs, err := s.Questions(context.Background(), store.Filter{})
	if err != nil || len(qs) != queue {
		t.Errorf("stored: got %d, %v, want %d", len(qs), err, queue)
	}
}

// A write waiting for company (group commit) does not hold up Flush or
// Close: with a linger of an hour, both return at once.
func TestFlushAndCloseEndTheLinger(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), FileName), WithLinger(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	s.Log(store.Question{Question: "q1", Outcome: store.Answered})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush during a linger: %v", err)
	}
	if qs, err := s.Questions(ctx, store.Filter{}); err != nil || len(qs) != 1 {
		t.Errorf("after Flush: got %d questions, %v, want 1", len(qs), err)
	}
	s.Log(store.Question{Question: "q2", Outcome: store.Answered})
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Close waited for the linger")
	}
}
