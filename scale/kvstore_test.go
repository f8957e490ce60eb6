package scale

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/store"
)

func twoStores(t *testing.T) (*Store, *Store) {
	t.Helper()
	srv := server(t)
	var out []*Store
	for range 2 {
		s, err := connect(t, srv.URL(), Options{}).NewStore(testContext(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out[0], out[1]
}

// A thread started by one process is continued by another, and two
// processes adding turns to it at once both keep theirs.
func TestSharedThreads(t *testing.T) {
	a, b := twoStores(t)
	ctx := testContext(t)
	if owned, turns, err := b.Thread(ctx, "t1", 6); owned || turns != nil || err != nil {
		t.Fatalf("unknown thread: owned %v, %v, %v", owned, turns, err)
	}
	a.StartThread("t1")
	for i := range 20 {
		s := []*Store{a, b}[i%2]
		s.AddTurn("t1", store.Turn{Question: fmt.Sprint("q", i), Answer: "a"})
	}
	for _, s := range []*Store{a, b} {
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	owned, turns, err := b.Thread(ctx, "t1", 100)
	if err != nil || !owned || len(turns) != 20 {
		t.Fatalf("owned %v, %d turns (%v); want owned with all 20", owned, len(turns), err)
	}
	_, last, _ := a.Thread(ctx, "t1", 3)
	if len(last) != 3 {
		t.Errorf("%d turns, want the last 3", len(last))
	}
	if a.Health() != nil || a.Dropped() != 0 {
		t.Errorf("health %v, dropped %d", a.Health(), a.Dropped())
	}
}

func TestSharedAnswersSettingsAndKBs(t *testing.T) {
	a, b := twoStores(t)
	ctx := testContext(t)
	kept := store.KeptAnswer{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Guild: "g", User: "u", Question: "Qui ?", Text: "Lui [1].",
		Mode: "extractive", Sources: []string{"d#0"}, Passages: []store.KeptPassage{{ChunkID: "d#0", DocID: "d", Title: "T", Sum: 42, Fused: 0.5}}}
	a.PutAnswer("k", kept)
	a.Flush(ctx)
	got, ok, err := b.Answer(ctx, "k")
	if err != nil || !ok {
		t.Fatalf("answer: %v, %v", ok, err)
	}
	if d := cmp.Diff(kept, got); d != "" {
		t.Errorf("kept answer (-put +got):\n%s", d)
	}
	if _, ok, err := b.Answer(ctx, "missing"); ok || err != nil {
		t.Errorf("missing answer: %v, %v", ok, err)
	}

	set := store.Settings{Channels: []string{"c1"}, ChannelsSet: true, ReplyStyle: "inplace", RatePerMinute: 2, KB: "docs"}
	if err := a.SetSettings(ctx, "g", set); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Settings(ctx, "g"); err != nil || !cmp.Equal(got, set) {
		t.Errorf("settings %+v (%v), want %+v", got, err, set)
	}
	if got, err := b.Settings(ctx, "other"); err != nil || !cmp.Equal(got, store.Settings{}) {
		t.Errorf("unset settings %+v (%v), want zero", got, err)
	}

	if kbs, err := b.KBs(ctx); err != nil || len(kbs) != 0 {
		t.Errorf("no KB yet: %v, %v", kbs, err)
	}
	for _, name := range []string{"zeta", "alpha"} {
		if err := a.CreateKB(ctx, store.KB{Name: name, Corpus: "/srv/" + name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.CreateKB(ctx, store.KB{Name: "alpha"}); err == nil {
		t.Error("a KB name was taken twice")
	}
	kbs, err := b.KBs(ctx)
	if err != nil || len(kbs) != 2 || kbs[0].Name != "alpha" || kbs[1].Corpus != "/srv/zeta" {
		t.Errorf("KBs %+v (%v), want alpha then zeta", kbs, err)
	}
}

func TestSharedLog(t *testing.T) {
	a, b := twoStores(t)
	ctx := testContext(t)
	t0 := time.Now().Add(-time.Hour)
	a.Log(store.Question{Time: t0, Guild: "g1", Question: "old", Outcome: store.Answered})
	a.Flush(ctx)
	since := time.Now()
	for i, g := range []string{"g1", "g2", "g1"} {
		b.Log(store.Question{Guild: g, User: "u", Question: fmt.Sprint("q", i), Outcome: store.DeclinedGate})
	}
	b.AddVote(store.Vote{Guild: "g1", Vote: "down", AnswerKey: "k"})
	b.Flush(ctx)
	all, err := a.Questions(ctx, store.Filter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("%d questions (%v), want 4", len(all), err)
	}
	recent, err := a.Questions(ctx, store.Filter{Since: since, Guild: "g1"})
	var qs []string
	for _, q := range recent {
		qs = append(qs, q.Question)
	}
	if err != nil || !slices.Equal(qs, []string{"q0", "q2"}) {
		t.Errorf("recent questions of g1: %v (%v), want q0, q2", qs, err)
	}
	votes, err := a.Votes(ctx, store.Filter{Guild: "g1"})
	if err != nil || len(votes) != 1 || votes[0].Vote != "down" {
		t.Errorf("votes %+v (%v)", votes, err)
	}
}
