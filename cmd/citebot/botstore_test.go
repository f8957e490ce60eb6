package main

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
)

// TestSwapStoreRecovers opens a store file that is broken at first: the
// bot's store runs on memory and says so, then takes the file up once it
// opens, without a restart.
func TestSwapStoreRecovers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var fixed atomic.Bool
	file := store.NewMemory(store.MemoryLimits{}) // stands for the SQLite file once mended
	open := func() (store.Store, error) {
		if !fixed.Load() {
			return nil, errors.New("file is not a database")
		}
		return file, nil
	}
	s := newSwapStore(ctx, open, time.Millisecond, slog.New(slog.DiscardHandler))
	defer s.Close()
	if err := s.Health(); err == nil {
		t.Fatal("got a healthy store on a broken file, want an error")
	}
	s.Log(store.Question{Question: "during the outage"})
	if qs, _ := s.Questions(ctx, store.Filter{}); len(qs) != 1 {
		t.Errorf("during the outage: got %d questions, want the one kept in memory", len(qs))
	}
	fixed.Store(true)
	select {
	case <-s.swapped:
	case <-ctx.Done():
		t.Fatal("the mended file was never taken up")
	}
	if err := s.Health(); err != nil {
		t.Errorf("after the file opened: got %v, want healthy", err)
	}
	s.Log(store.Question{Question: "after"})
	if qs, _ := file.Questions(ctx, store.Filter{}); len(qs) != 1 || qs[0].Question != "after" {
		t.Errorf("got %+v in the file, want the question asked after it opened", qs)
	}
}

// TestBotStoreIsTheFile: what citebot discord opens is citebot.db in the
// data directory, healthy, and what it stores is there for the next run.
func TestBotStoreIsTheFile(t *testing.T) {
	ctx := t.Context()
	e, _ := discordKeeper(t, map[string]string{"CITEBOT_DATA_DIR": t.TempDir()}, nil)
	s := newSwapStore(ctx, e.openStoreFile, time.Millisecond, slog.New(slog.DiscardHandler))
	if err := s.Health(); err != nil {
		t.Fatalf("got %v, want the file in use", err)
	}
	s.Log(store.Question{Question: "kept"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := e.openStoreFile()
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if qs, _ := again.Questions(ctx, store.Filter{}); len(qs) != 1 || qs[0].Question != "kept" {
		t.Errorf("got %+v, want the question stored by the previous run", qs)
	}
}
