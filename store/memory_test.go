package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// TestMemoryRemembers writes one of everything and reads it back, and
// checks that what was read is a copy the caller may change.
func TestMemoryRemembers(t *testing.T) {
	ctx := t.Context()
	m := NewMemory(MemoryLimits{})
	q := Question{Time: t0, Guild: "g1", User: "u1", Question: "Qui ?", Outcome: Answered, Cited: []string{"d1"},
		Stages: map[string]time.Duration{"total": time.Second}}
	m.Log(q)
	q.Cited[0] = "changed"
	m.Log(Question{Time: t0.Add(time.Hour), Guild: "g2", User: "u2", Question: "Quoi ?", Outcome: DeclinedGate})
	m.AddVote(Vote{Time: t0, Guild: "g1", User: "u1", AnswerKey: "k1", Vote: "down", Known: true})
	m.StartThread("th1")
	m.AddTurn("th1", Turn{Question: "q1", Answer: "a1"})
	m.AddTurn("th1", Turn{Question: "q2", Answer: "a2"})
	kept := KeptAnswer{Time: t0, User: "u1", Question: "Qui ?", Text: "Lui [1].", Sources: []string{"d1#0"},
		Passages: []KeptPassage{{ChunkID: "d1#0", DocID: "d1", Sum: 7}}}
	m.PutAnswer("k1", kept)
	if err := m.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	qs, _ := m.Questions(ctx, Filter{Guild: "g1"})
	if len(qs) != 1 || qs[0].ID == 0 || qs[0].Cited[0] != "d1" || qs[0].Stages["total"] != time.Second {
		t.Errorf("got %+v, want g1's question with an ID, as logged", qs)
	}
	if qs, _ := m.Questions(ctx, Filter{Since: t0.Add(time.Minute)}); len(qs) != 1 || qs[0].Guild != "g2" {
		t.Errorf("since a minute later: got %+v, want the g2 question only", qs)
	}
	if vs, _ := m.Votes(ctx, Filter{}); len(vs) != 1 || !vs[0].Known {
		t.Errorf("got votes %+v, want the one vote", vs)
	}
	owned, turns, _ := m.Thread(ctx, "th1", 1)
	if !owned || len(turns) != 1 || turns[0].Question != "q2" {
		t.Errorf("got owned %v turns %+v, want owned and the last turn", owned, turns)
	}
	if owned, turns, _ := m.Thread(ctx, "other", 6); owned || len(turns) != 0 {
		t.Errorf("unknown thread: got %v %+v, want nothing", owned, turns)
	}
	got, ok, _ := m.Answer(ctx, "k1")
	if diff := cmp.Diff(kept, got); !ok || diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}

	s := Settings{Channels: []string{"c1"}, ChannelsSet: true, ReplyStyle: "inplace", RatePerMinute: 10, KB: "kb1"}
	if err := m.SetSettings(ctx, "g1", s); err != nil {
		t.Fatal(err)
	}
	s.Channels[0] = "changed"
	if got, _ := m.Settings(ctx, "g1"); got.Channels[0] != "c1" || got.KB != "kb1" {
		t.Errorf("got settings %+v, want them as set", got)
	}
	if got, _ := m.Settings(ctx, "g2"); !cmp.Equal(got, Settings{}) {
		t.Errorf("got %+v for a server that set nothing, want zero settings", got)
	}
	m.CreateKB(ctx, KB{Name: "zeta", Corpus: "/z"})
	m.CreateKB(ctx, KB{Name: "alpha", Corpus: "/a"})
	if kbs, _ := m.KBs(ctx); len(kbs) != 2 || kbs[0].Name != "alpha" {
		t.Errorf("got KBs %+v, want alpha then zeta", kbs)
	}
}

// TestMemoryForgetExportPrune deletes one user's records and then old
// ones, leaving the rest.
func TestMemoryForgetExportPrune(t *testing.T) {
	ctx := t.Context()
	m := NewMemory(MemoryLimits{})
	for i, u := range []string{"u1", "u2", "u1"} {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		m.Log(Question{Time: at, User: u, Channel: "th-" + u, Question: fmt.Sprint("q", i)})
		m.AddVote(Vote{Time: at, User: u, Vote: "up"})
		m.PutAnswer(fmt.Sprint("k", i), KeptAnswer{Time: at, User: u})
		m.AddTurn("th-"+u, Turn{Question: fmt.Sprint("q", i)})
	}
	d, _ := m.Export(ctx, "u1")
	if len(d.Questions) != 2 || len(d.Votes) != 2 || len(d.Answers) != 2 {
		t.Errorf("export: got %d questions, %d votes, %d answers; want 2 each", len(d.Questions), len(d.Votes), len(d.Answers))
	}
	// 2 questions, 2 votes, 2 answers and the 2 turns of u1's thread.
	if n, err := m.Forget(ctx, "u1"); n != 8 || err != nil {
		t.Errorf("forget: got %d, %v; want 8 records", n, err)
	}
	if n, _ := m.Forget(ctx, "u1"); n != 0 {
		t.Errorf("forget again: got %d, want 0", n)
	}
	if _, turns, _ := m.Thread(ctx, "th-u2", 6); len(turns) != 1 {
		t.Errorf("got %d turns in u2's thread, want it kept", len(turns))
	}
	if d, _ := m.Export(ctx, "u2"); len(d.Questions) != 1 || len(d.Votes) != 1 || len(d.Answers) != 1 {
		t.Errorf("u2: got %+v, want everything kept", d)
	}
	// u2's records are from day 1: pruning before day 2 removes them.
	if n, _ := m.Prune(ctx, t0.Add(36*time.Hour)); n != 3 {
		t.Errorf("prune: got %d, want 3", n)
	}
}

// TestMemoryForgetsOnlyTheUsersTurns: in a thread two members asked in,
// forgetting one leaves the other's turns, and export lists the user's.
func TestMemoryForgetsOnlyTheUsersTurns(t *testing.T) {
	ctx := t.Context()
	m := NewMemory(MemoryLimits{})
	for _, tu := range []Turn{{Question: "a1", User: "ana"}, {Question: "b1", User: "bo"}, {Question: "a2", User: "ana"}} {
		m.AddTurn("shared", tu)
	}
	if d, _ := m.Export(ctx, "ana"); len(d.Turns) != 2 {
		t.Errorf("export: got turns %+v, want ana's two", d.Turns)
	}
	if n, _ := m.Forget(ctx, "ana"); n != 2 {
		t.Errorf("forget: got %d records, want 2 turns", n)
	}
	if _, turns, _ := m.Thread(ctx, "shared", 6); len(turns) != 1 || turns[0].User != "bo" {
		t.Errorf("got %+v left, want bo's turn only", turns)
	}
}

// TestMemoryIsBounded fills every part past its bound.
func TestMemoryIsBounded(t *testing.T) {
	ctx := t.Context()
	m := NewMemory(MemoryLimits{Questions: 100, Votes: 100, Threads: 10, Conversations: 50, ConversationBytes: 20_000,
		Answers: 50, AnswerBytes: 20_000})
	long := strings.Repeat("x", 1000)
	for i := range 1000 {
		id := fmt.Sprint(i)
		m.Log(Question{Question: id})
		m.AddVote(Vote{AnswerKey: id})
		m.StartThread(id)
		m.AddTurn(id, Turn{Answer: long})
		m.PutAnswer(id, KeptAnswer{Text: long})
	}
	qs, _ := m.Questions(ctx, Filter{})
	vs, _ := m.Votes(ctx, Filter{})
	if len(qs) > 125 || len(vs) > 125 || qs[len(qs)-1].Question != "999" {
		t.Errorf("got %d questions and %d votes, want at most 125 each, the newest kept", len(qs), len(vs))
	}
	if m.owned.Len() != 10 || m.turns.total > 20_000 || m.answers.total > 20_000 || m.answers.c.Len() >= 50 {
		t.Errorf("got %d threads, %d B of turns, %d answers of %d B; want 10 and within 20,000 B",
			m.owned.Len(), m.turns.total, m.answers.c.Len(), m.answers.total)
	}
	if _, ok, _ := m.Answer(ctx, "999"); !ok {
		t.Error("the newest answer is not kept")
	}
	m.AddTurn("999", Turn{Answer: "short"})
	if _, turns, _ := m.Thread(ctx, "999", 100); len(turns) != 2 {
		t.Errorf("got %d turns, want 2", len(turns))
	}
}

// TestMemoryConcurrentWrites writes from many goroutines under -race.
func TestMemoryConcurrentWrites(t *testing.T) {
	m := NewMemory(MemoryLimits{})
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for i := range 50 {
				m.Log(Question{User: fmt.Sprint(g)})
				m.AddTurn("t", Turn{Question: fmt.Sprint(g, i)})
				m.Thread(t.Context(), "t", 6)
			}
		})
	}
	wg.Wait()
	if qs, _ := m.Questions(t.Context(), Filter{}); len(qs) != 1000 {
		t.Errorf("got %d questions, want 1000", len(qs))
	}
	if _, turns, _ := m.Thread(t.Context(), "t", 100); len(turns) != maxTurns {
		t.Errorf("got %d turns, want the last %d", len(turns), maxTurns)
	}
	m.Close()
	m.Log(Question{})
	if qs, _ := m.Questions(t.Context(), Filter{}); len(qs) != 1000 {
		t.Errorf("after Close: got %d questions, want the write ignored", len(qs))
	}
}
