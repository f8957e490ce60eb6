// Package sqlite keeps citebot's store.Store in one SQLite file,
// <data dir>/citebot.db, through modernc.org/sqlite (pure Go: no cgo, one
// static binary).
//
// The file is in WAL mode, so readers never wait for the writer. All
// writes go through one goroutine: the asynchronous ones (Log, AddVote,
// StartThread, AddTurn, PutAnswer) are queued, bounded, and written in
// batches of one transaction each (a write that finds the writer idle
// waits up to DefaultLinger for company), so that a burst of questions
// costs the answering goroutines a channel send and no disk wait; when the queue is
// full a write is dropped, counted (Dropped) and warned about, never
// waited for. The moderator's writes (SetSettings, CreateKB, Forget,
// Prune) go through the same goroutine after what was queued before them,
// and wait for their result. Reads use a separate pool of read-only
// connections.
//
// A write that fails at run time (a full disk, a file made read-only) is
// logged, counted (Failed) and reported by Health until a later write
// succeeds; nothing panics and answering goes on. Open refuses a corrupt
// file, a file locked by another program and a file from a newer citebot
// with an error that says which (ErrCorrupt, ErrLocked, ErrNewer), so that
// the bot can fall back to memory and try again later.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/citebot/citebot/store"
)

// FileName is the store's file in the data directory.
const FileName = "citebot.db"

// Errors Open wraps, so that callers can tell the cases apart.
var (
	ErrCorrupt = errors.New("the file is not a SQLite database or is damaged")
	ErrLocked  = errors.New("the database is locked by another program")
	ErrNewer   = errors.New("the database was written by a newer citebot")
)

// Defaults of the options.
const (
	DefaultQueue       = 4096
	DefaultBusyTimeout = 5 * time.Second
	DefaultLinger      = 50 * time.Millisecond
	maxBatch           = 256
	readConns          = 4
)

// Option changes how Open opens the store.
type Option func(*options)

type options struct {
	log    *slog.Logger
	queue  int
	busy   time.Duration
	linger time.Duration
	steps  []string
}

// WithLogger sets where warnings go (dropped and failed writes, skipped
// feedback lines); the default discards them.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithQueue sets how many asynchronous writes may wait for the writer
// before new ones are dropped (at least 1).
func WithQueue(n int) Option { return func(o *options) { o.queue = max(n, 1) } }

// WithLinger sets how long an asynchronous write waits for others to
// share its transaction (0: none; see writeLoop).
func WithLinger(d time.Duration) Option { return func(o *options) { o.linger = max(d, 0) } }

// WithBusyTimeout sets how long a statement waits for another program's
// lock before failing with ErrLocked.
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busy = d } }

// Store is the SQLite store.Store. Its methods are safe for concurrent use.
type Store struct {
	path string
	log  *slog.Logger
	w, r *sql.DB // the writer's one connection; the readers' pool

	mu     sync.RWMutex // held for reading to enqueue, for writing to close
	closed bool
	queue  chan op
	urgent chan struct{} // ends the writer's linger (see hurry)
	linger time.Duration
	done   chan struct{} // closed when the writer has stopped

	dropped, failed atomic.Int64
	lastDropWarn    atomic.Int64 // Unix nanoseconds
	health          atomic.Pointer[error]
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it and its directory if need be) the store at
// path, brings its schema up to date and, the first time, imports the
// feedback.jsonl that earlier citebot versions wrote beside it.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{log: slog.New(slog.DiscardHandler), queue: DefaultQueue, busy: DefaultBusyTimeout, linger: DefaultLinger, steps: migrations}
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	ctx := context.Background()
	w, r, err := openConns(ctx, path, o)
	// SQLite answers "busy" at once, without waiting, in a few cases
	// (two programs making a new file WAL at the same moment): those are
	// tried again until the busy timeout, like any other wait for a lock.
	for wait, until := 10*time.Millisecond, time.Now().Add(o.busy); code(err) == sqlite3.SQLITE_BUSY && time.Now().Before(until); wait *= 2 {
		time.Sleep(min(wait, time.Until(until), 200*time.Millisecond))
		w, r, err = openConns(ctx, path, o)
	}
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{path: path, log: o.log, w: w, r: r, queue: make(chan op, o.queue), urgent: make(chan struct{}, 1),
		linger: o.linger, done: make(chan struct{})}
	if err := s.importFeedback(ctx, filepath.Join(filepath.Dir(path), feedbackFile)); err != nil {
		s.log.Warn("feedback.jsonl not imported; will try again on next start", "err", err)
	}
	go s.writeLoop()
	return s, nil
}

// openConns opens the writer's connection, brings the schema up to date
// and opens the readers' pool.
func openConns(ctx context.Context, path string, o options) (w, r *sql.DB, err error) {
	if w, err = openDB(path, o.busy, false); err != nil {
		return nil, nil, err
	}
	// One connection: SQLite has one writer at a time anyway, and
	// per-connection settings (tests' max_page_count) stay put.
	w.SetMaxOpenConns(1)
	if err := migrate(ctx, w, o.steps); err != nil {
		w.Close()
		return nil, nil, err
	}
	if r, err = openDB(path, o.busy, true); err != nil {
		w.Close()
		return nil, nil, err
	}
	r.SetMaxOpenConns(readConns)
	return w, r, nil
}

// openDB opens path with the settings every connection needs: WAL,
// foreign keys, a busy timeout, and immediate transactions for the
// writer (so that a transaction never fails half-way on an upgrade from
// a read lock).
func openDB(path string, busy time.Duration, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openError says what is wrong with the file in words an operator can act on.
func openError(path string, err error) error {
	switch code(err) {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("open store %s: %w (%w)", path, ErrCorrupt, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("open store %s: %w (%w)", path, ErrLocked, err)
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// code is SQLite's primary result code behind err, or 0.
func code(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Dropped counts the asynchronous writes dropped because the queue was full.
func (s *Store) Dropped() int64 { return s.dropped.Load() }

// Failed counts the asynchronous writes lost to a failed transaction.
func (s *Store) Failed() int64 { return s.failed.Load() }

// Health implements store.Store: the error of the last write, or nil once
// a write succeeded again.
func (s *Store) Health() error {
	if p := s.health.Load(); p != nil {
		return *p
	}
	return nil
}

func (s *Store) setHealth(err error) {
	if err == nil {
		s.health.Store(nil)
		return
	}
	s.health.Store(&err)
}

// Close writes what is queued, stops the writer and closes the file.
// Writes after Close are dropped; closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.hurry()
	s.mu.Unlock()
	<-s.done
	return errors.Join(s.r.Close(), s.w.Close())
}
