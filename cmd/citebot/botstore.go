package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/citebot/citebot/store"
	"github.com/citebot/citebot/store/sqlite"
)

// openStoreFile opens the bot's store file, citebot.db in the data
// directory (store/sqlite).
func (e *env) openStoreFile() (store.Store, error) {
	return sqlite.Open(filepath.Join(e.dataDir, sqlite.FileName), sqlite.WithLogger(e.log))
}

// storeRetry is how often the bot tries its store file again while it
// runs on memory because the file could not be opened.
const storeRetry = time.Minute

// swapStore is the bot's store.Store: it forwards to the store file when
// it opens, and otherwise to memory while it tries the file again every
// storeRetry, swapping it in once it opens — a corrupt or locked file
// mended while the bot runs is taken up without a restart. What the
// memory held meanwhile is not carried over. Health says when the file
// is not in use, and why.
type swapStore struct {
	mu      sync.RWMutex
	cur     store.Store
	openErr error // why the file is not in use; nil once it is

	done    chan struct{} // closed by Close: stops the retries
	once    sync.Once
	swapped chan struct{} // closed once the file is swapped in after a retry
}

// newSwapStore opens the store with open, falling back to memory and
// retrying every retry until ctx ends or Close.
func newSwapStore(ctx context.Context, open func() (store.Store, error), retry time.Duration, log *slog.Logger) *swapStore {
	s := &swapStore{done: make(chan struct{}), swapped: make(chan struct{})}
	st, err := open()
	if err == nil {
		s.cur = st
		return s
	}
	s.cur, s.openErr = store.NewMemory(store.MemoryLimits{}), err
	log.Warn("cannot open the bot's store; keeping it in memory until it opens (answers go on, without what it remembers)", "err", err)
	go s.retry(ctx, open, retry, log)
	return s
}

// retry tries open every period until it works, then swaps it in.
func (s *swapStore) retry(ctx context.Context, open func() (store.Store, error), period time.Duration, log *slog.Logger) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-t.C:
		}
		st, err := open()
		if err != nil {
			log.Warn("the bot's store still cannot be opened", "err", err)
			continue
		}
		s.mu.Lock()
		select {
		case <-s.done: // closed meanwhile
			s.mu.Unlock()
			st.Close()
			return
		default:
		}
		old := s.cur
		s.cur, s.openErr = st, nil
		s.mu.Unlock()
		old.Close()
		close(s.swapped)
		log.Info("the bot's store opened; remembering again")
		return
	}
}

// current is the store in use.
func (s *swapStore) current() store.Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

func (s *swapStore) Log(q store.Question)                   { s.current().Log(q) }
func (s *swapStore) AddVote(v store.Vote)                   { s.current().AddVote(v) }
func (s *swapStore) StartThread(id string)                  { s.current().StartThread(id) }
func (s *swapStore) AddTurn(id string, t store.Turn)        { s.current().AddTurn(id, t) }
func (s *swapStore) PutAnswer(k string, a store.KeptAnswer) { s.current().PutAnswer(k, a) }
func (s *swapStore) Flush(ctx context.Context) error        { return s.current().Flush(ctx) }

func (s *swapStore) Thread(ctx context.Context, id string, max int) (bool, []store.Turn, error) {
	return s.current().Thread(ctx, id, max)
}

func (s *swapStore) Answer(ctx context.Context, key string) (store.KeptAnswer, bool, error) {
	return s.current().Answer(ctx, key)
}

func (s *swapStore) Questions(ctx context.Context, f store.Filter) ([]store.Question, error) {
	return s.current().Questions(ctx, f)
}

func (s *swapStore) Votes(ctx context.Context, f store.Filter) ([]store.Vote, error) {
	return s.current().Votes(ctx, f)
}

func (s *swapStore) Settings(ctx context.Context, guild string) (store.Settings, error) {
	return s.current().Settings(ctx, guild)
}

func (s *swapStore) SetSettings(ctx context.Context, guild string, v store.Settings) error {
	return s.current().SetSettings(ctx, guild, v)
}

func (s *swapStore) CreateKB(ctx context.Context, kb store.KB) error {
	return s.current().CreateKB(ctx, kb)
}
func (s *swapStore) KBs(ctx context.Context) ([]store.KB, error) { return s.current().KBs(ctx) }

func (s *swapStore) Forget(ctx context.Context, user string) (int, error) {
	return s.current().Forget(ctx, user)
}

func (s *swapStore) Export(ctx context.Context, user string) (store.UserData, error) {
	return s.current().Export(ctx, user)
}

func (s *swapStore) Prune(ctx context.Context, before time.Time) (int, error) {
	return s.current().Prune(ctx, before)
}

// Health is the store's own, or why the file is not in use.
func (s *swapStore) Health() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.openErr != nil {
		return fmt.Errorf("kept in memory: %w", s.openErr)
	}
	return s.cur.Health()
}

// Close stops the retries and closes the store in use.
func (s *swapStore) Close() error {
	s.once.Do(func() { close(s.done) })
	return s.current().Close()
}
