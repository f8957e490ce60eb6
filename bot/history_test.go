package bot

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/store"
)

// TestThreadStoreConcurrentFollowUps adds turns to one thread from as many
// goroutines as a thread remembers, as simultaneous follow-ups would: every
// turn must be kept, whatever the interleaving.
func TestThreadStoreConcurrentFollowUps(t *testing.T) {
	const rounds = 100
	ts := newThreadStore(store.NewMemory(store.MemoryLimits{}), slog.New(slog.DiscardHandler), rounds, rounds, 1<<20)
	for r := range rounds {
		id := fmt.Sprint("thread", r)
		ts.start(id)
		ts.add(id, "member", answer.Turn{Question: "first"}) // leaves spare capacity to share
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := range answer.MaxTurns - 1 {
			wg.Go(func() {
				<-start
				ts.add(id, "member", answer.Turn{Question: fmt.Sprint("q", g)})
			})
		}
		close(start)
		wg.Wait()
		var got []string
		for _, turn := range ts.history(t.Context(), id) {
			got = append(got, turn.Question)
		}
		slices.Sort(got)
		want := []string{"first", "q0", "q1", "q2", "q3", "q4"}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: got turns %q, want %q", r, got, want)
		}
	}
}

// TestThreadStoreKeepsLastTurns checks the bound on remembered history and
// that a history handed out does not change when the thread goes on.
func TestThreadStoreKeepsLastTurns(t *testing.T) {
	ts := newThreadStore(store.NewMemory(store.MemoryLimits{}), slog.New(slog.DiscardHandler), 10, 10, 1<<20)
	ts.start("t")
	for i := range answer.MaxTurns + 2 {
		ts.add("t", "member", answer.Turn{Question: fmt.Sprint(i)})
	}
	before := ts.history(t.Context(), "t")
	ts.add("t", "member", answer.Turn{Question: "next"})
	if len(before) != answer.MaxTurns || before[0].Question != "2" || before[answer.MaxTurns-1].Question != fmt.Sprint(answer.MaxTurns+1) {
		t.Errorf("got history %+v, want the last %d turns, 2..%d", before, answer.MaxTurns, answer.MaxTurns+1)
	}
	if after := ts.history(t.Context(), "t"); len(after) != answer.MaxTurns || after[answer.MaxTurns-1].Question != "next" {
		t.Errorf("got history %+v after another turn, want it last of %d", after, answer.MaxTurns)
	}
}

// TestThreadStoreHistoryIsNotOwnership checks that a conversation the bot
// only answered in (a mention in someone else's thread) is remembered
// without becoming a thread it follows.
func TestThreadStoreHistoryIsNotOwnership(t *testing.T) {
	ts := newThreadStore(store.NewMemory(store.MemoryLimits{}), slog.New(slog.DiscardHandler), 10, 10, 1<<20)
	ts.add("theirs", "member", answer.Turn{Question: "q"})
	ts.start("mine")
	ts.add("mine", "member", answer.Turn{Question: "q"})
	if ts.isOwned("theirs") || !ts.isOwned("mine") {
		t.Errorf("owned: got theirs %v, mine %v; want false, true", ts.isOwned("theirs"), ts.isOwned("mine"))
	}
	if len(ts.history(t.Context(), "theirs")) != 1 || len(ts.history(t.Context(), "mine")) != 1 {
		t.Errorf("got histories %v and %v, want one turn each", ts.history(t.Context(), "theirs"), ts.history(t.Context(), "mine"))
	}
}

// TestThreadStoreBoundedInBytes fills histories with long answers: they
// stay within their byte bound, and the threads the bot owns are not
// forgotten for it.
func TestThreadStoreBoundedInBytes(t *testing.T) {
	const bound = 20_000
	ts := newThreadStore(store.NewMemory(store.MemoryLimits{}), slog.New(slog.DiscardHandler), 100, 100, bound)
	long := strings.Repeat("x", 1000)
	for i := range 50 {
		id := fmt.Sprint("thread", i)
		ts.start(id)
		for range 3 {
			ts.add(id, "member", answer.Turn{Question: "q", Answer: long})
		}
	}
	if got := ts.turns.cost(); got > bound || ts.turns.len() >= 50 {
		t.Errorf("got %d histories weighing %d, want fewer than 50 within %d", ts.turns.len(), got, bound)
	}
	if !ts.isOwned("thread0") || len(ts.history(t.Context(), "thread49")) != 3 {
		t.Errorf("got thread0 owned %v, thread49 with %d turns; want owned and 3", ts.isOwned("thread0"), len(ts.history(t.Context(), "thread49")))
	}
}
