package scale

import (
	"slices"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
)

// /forget-me and export on the shared store: a member's questions, votes,
// kept answers and turns — in a thread, and in their own conversation in
// a channel answered in place — are found, exported and deleted, and
// nobody else's.
func TestSharedForgetAndExport(t *testing.T) {
	a, b := twoStores(t)
	ctx := testContext(t)
	a.Log(store.Question{Guild: "g", Channel: "c1", User: "u1", AnswerKey: "k1", Question: "q1", Outcome: store.Answered})
	a.Log(store.Question{Guild: "g", Channel: "c3", User: "u1", AnswerKey: "k3", Question: "q3", Outcome: store.Answered})
	b.Log(store.Question{Guild: "g", Channel: "c2", User: "u2", AnswerKey: "k2", Question: "q2", Outcome: store.Answered})
	a.AddVote(store.Vote{Guild: "g", User: "u1", Vote: "up", AnswerKey: "k2"})
	b.AddVote(store.Vote{Guild: "g", User: "u2", Vote: "down", AnswerKey: "k1"})
	a.PutAnswer("k1", store.KeptAnswer{User: "u1", Question: "q1", Text: "r1"})
	b.PutAnswer("k2", store.KeptAnswer{User: "u2", Question: "q2", Text: "r2"})
	a.StartThread("c1")
	a.AddTurn("c1", store.Turn{Question: "q1", Answer: "r1", User: "u1"})
	a.AddTurn("c1", store.Turn{Question: "q1b", Answer: "r1b"}) // from before turns named their asker
	b.AddTurn("c1", store.Turn{Question: "q1c", Answer: "r1c", User: "u2"})
	a.AddTurn("c3/u1", store.Turn{Question: "q3", Answer: "r3", User: "u1"})
	b.AddTurn("c2", store.Turn{Question: "q2", Answer: "r2", User: "u2"})
	for _, s := range []*Store{a, b} {
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}

	d, err := b.Export(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Questions) != 2 || len(d.Votes) != 1 || len(d.Answers) != 1 || d.Answers[0].Text != "r1" || len(d.Turns) != 2 {
		t.Errorf("export of u1: %+v, want 2 questions, 1 vote, 1 answer, 2 turns", d)
	}
	n, err := b.Forget(ctx, "u1")
	if err != nil || n != 2+1+1+3 {
		t.Errorf("forget u1: %d records (%v), want 7 (2 questions, 1 vote, 1 answer, 3 turns)", n, err)
	}
	qs, _ := a.Questions(ctx, store.Filter{})
	vs, _ := a.Votes(ctx, store.Filter{})
	if len(qs) != 1 || qs[0].User != "u2" || len(vs) != 1 || vs[0].User != "u2" {
		t.Errorf("after forget: questions %+v, votes %+v; want u2's only", qs, vs)
	}
	if _, ok, _ := a.Answer(ctx, "k1"); ok {
		t.Error("u1's kept answer is still there")
	}
	if _, ok, _ := a.Answer(ctx, "k2"); !ok {
		t.Error("u2's kept answer went too")
	}
	owned, turns, _ := a.Thread(ctx, "c1", 10)
	_, inPlace, _ := a.Thread(ctx, "c3/u1", 10)
	_, others, _ := a.Thread(ctx, "c2", 10)
	if !owned || len(turns) != 1 || turns[0].User != "u2" || len(inPlace) != 0 || len(others) != 1 {
		t.Errorf("threads after forget: c1 owned %v with turns %+v, c3/u1 %d turns, c2 %d; want owned with u2's turn only, empty, 1",
			owned, turns, len(inPlace), len(others))
	}
	if _, err := a.threads.Get(ctx, "c1/u1"); err == nil {
		t.Error("forget created a conversation record")
	}
	if n, err := b.Forget(ctx, "u1"); n != 0 || err != nil {
		t.Errorf("forget again: %d (%v), want nothing left", n, err)
	}
	if d, _ := b.Export(ctx, "u1"); len(d.Questions)+len(d.Votes)+len(d.Answers)+len(d.Turns) != 0 || d.Questions == nil {
		t.Errorf("export after forget: %+v, want empty lists", d)
	}
}

// Prune deletes what was written before a time, and nothing after.
func TestSharedPrune(t *testing.T) {
	a, _ := twoStores(t)
	ctx := testContext(t)
	a.Log(store.Question{User: "u", Question: "old"})
	a.PutAnswer("old", store.KeptAnswer{Text: "old"})
	a.AddTurn("t-old", store.Turn{Question: "old"})
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	cut := time.Now()
	a.Log(store.Question{User: "u", Question: "new"})
	a.PutAnswer("new", store.KeptAnswer{Text: "new"})
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := a.Prune(ctx, cut)
	if err != nil || n != 3 {
		t.Errorf("prune: %d (%v), want 3 records", n, err)
	}
	qs, _ := a.Questions(ctx, store.Filter{})
	var texts []string
	for _, q := range qs {
		texts = append(texts, q.Question)
	}
	_, oldKept, _ := a.Answer(ctx, "old")
	_, newKept, _ := a.Answer(ctx, "new")
	_, oldTurns, _ := a.Thread(ctx, "t-old", 5)
	if !slices.Equal(texts, []string{"new"}) || oldKept || !newKept || len(oldTurns) != 0 {
		t.Errorf("after prune: questions %v, old answer %v, new answer %v, old turns %d; want only the new ones",
			texts, oldKept, newKept, len(oldTurns))
	}
}
