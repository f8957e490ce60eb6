package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/store"
)

// openTest opens a store in a new temporary directory and closes it at
// the end of the test.
func openTest(t *testing.T, opts ...Option) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), FileName), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func flush(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestQuestionsRoundTripAndFilter(t *testing.T) {
	s := openTest(t)
	q1 := store.Question{Time: t0, Guild: "g1", Channel: "c1", User: "u1", AnswerKey: "m1", KB: "jeux",
		Question: "Qui a gagné ?", Lang: "fr", Outcome: store.Answered, Cited: []string{"d1", "d2"},
		Stages: map[string]time.Duration{"retrieve": 30 * time.Millisecond, "total": 2 * time.Second}, Tokens: 812}
	q2 := store.Question{Time: t0.Add(time.Hour), Guild: "g2", User: "u2", Question: "Who won?", Lang: "en", Outcome: store.DeclinedGate}
	q3 := store.Question{Time: t0.Add(2 * time.Hour), Guild: "g1", User: "u1", Question: "Et après ?", Outcome: store.Failed}
	for _, q := range []store.Question{q1, q2, q3} {
		s.Log(q)
	}
	flush(t, s)
	ctx := context.Background()
	tests := []struct {
		name string
		f    store.Filter
		want []store.Question
	}{
		{"all", store.Filter{}, []store.Question{q1, q2, q3}},
		{"since", store.Filter{Since: t0.Add(time.Hour)}, []store.Question{q2, q3}},
		{"guild", store.Filter{Guild: "g1"}, []store.Question{q1, q3}},
		{"both", store.Filter{Guild: "g1", Since: t0.Add(time.Minute)}, []store.Question{q3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Questions(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".ID" }, cmp.Ignore())); diff != "" {
				t.Errorf("Questions(%+v) (-want +got):\n%s", tt.f, diff)
			}
			for _, q := range got {
				if q.ID == 0 {
					t.Errorf("got ID 0 for %q, want the store's ID", q.Question)
				}
			}
		})
	}
}

func TestVotesThreadsAnswersSettings(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	v := store.Vote{Time: t0, Guild: "g1", User: "u9", AnswerKey: "m1", Vote: "down", Question: "q", Answer: "a [1]",
		Sources: []string{"d1#0"}, Mode: "offline", Known: true}
	s.AddVote(v)
	s.StartThread("t1")
	for _, q := range []string{"un", "deux", "trois"} {
		s.AddTurn("t1", store.Turn{Question: q, Answer: "r " + q, User: "u1"})
	}
	a := store.KeptAnswer{Time: t0, Guild: "g1", User: "u1", Question: "q", Text: "a [1]", Mode: "llm", Sources: []string{"d1#0"},
		Passages: []store.KeptPassage{{ChunkID: "d1#0", DocID: "d1", Title: "T", Sum: 1 << 60, Fused: 0.5, Vector: 0.25, BM25: 3}}}
	s.PutAnswer("m1", a)
	flush(t, s)

	if got, err := s.Votes(ctx, store.Filter{}); err != nil || !cmp.Equal(got, []store.Vote{v}) {
		t.Errorf("Votes: got %+v, %v, want [%+v]", got, err, v)
	}
	owned, turns, err := s.Thread(ctx, "t1", 2)
	want := []store.Turn{{Question: "deux", Answer: "r deux", User: "u1"}, {Question: "trois", Answer: "r trois", User: "u1"}}
	if err != nil || !owned || !cmp.Equal(turns, want) {
		t.Errorf("Thread(t1, 2): got %v, %+v, %v, want true, %+v", owned, turns, err, want)
	}
	if owned, turns, err := s.Thread(ctx, "t2", 5); err != nil || owned || len(turns) != 0 {
		t.Errorf("Thread(t2): got %v, %v, %v, want an unknown thread", owned, turns, err)
	}
	if got, ok, err := s.Answer(ctx, "m1"); err != nil || !ok || !cmp.Equal(got, a) {
		t.Errorf("Answer(m1): got %+v, %v, %v, want %+v", got, ok, err, a)
	}
	if _, ok, err := s.Answer(ctx, "m2"); err != nil || ok {
		t.Errorf("Answer(m2): got found=%v, %v, want not found", ok, err)
	}

	set := store.Settings{Channels: []string{"c1"}, ChannelsSet: true, ReplyStyle: "inplace", Language: "en", RatePerMinute: 3, KB: "jeux"}
	if err := s.SetSettings(ctx, "g1", set); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Settings(ctx, "g1"); err != nil || !cmp.Equal(got, set) {
		t.Errorf("Settings(g1): got %+v, %v, want %+v", got, err, set)
	}
	if got, err := s.Settings(ctx, "g2"); err != nil || !cmp.Equal(got, store.Settings{}) {
		t.Errorf("Settings(g2): got %+v, %v, want the zero settings", got, err)
	}
}

func TestKBs(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, kb := range []store.KB{{Name: "jeux", Corpus: "/a", Created: t0}, {Name: "cuisine", Corpus: "/b", Created: t0}} {
		if err := s.CreateKB(ctx, kb); err != nil {
			t.Fatalf("CreateKB(%s): %v", kb.Name, err)
		}
	}
	if err := s.CreateKB(ctx, store.KB{Name: "jeux", Corpus: "/c"}); err == nil {
		t.Errorf("CreateKB(jeux) again: got nil, want an error")
	}
	if err := s.Health(); err != nil {
		t.Errorf("Health after a refused name: got %v, want nil (the store is fine)", err)
	}
	if err := s.CreateKB(ctx, store.KB{Name: store.DefaultKB, Corpus: "/c"}); err == nil {
		t.Errorf("CreateKB(default): got nil, want an error")
	}
	got, err := s.KBs(ctx)
	want := []store.KB{{Name: "cuisine", Corpus: "/b", Created: t0}, {Name: "jeux", Corpus: "/a", Created: t0}}
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("KBs: got %+v, %v, want %+v", got, err, want)
	}
}

// seedUser stores one record of every kind for user, at time at.
func seedUser(s *Store, user string, at time.Time) {
	s.Log(store.Question{Time: at, User: user, Question: "q de " + user, Outcome: store.Answered})
	s.AddVote(store.Vote{Time: at, User: user, AnswerKey: "k-" + user, Vote: "up"})
	s.PutAnswer("k-"+user, store.KeptAnswer{Time: at, User: user, Text: "a"})
	s.AddTurn("t-"+user, store.Turn{Question: "q", Answer: "a", User: user})
}

func TestForgetAndExport(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	seedUser(s, "alice", t0)
	seedUser(s, "bob", t0)
	// Not flushed: Forget must reach what is still queued.
	d, err := s.Export(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Forget(ctx, "alice")
	if err != nil || n != 4 {
		t.Errorf("Forget(alice): got %d, %v, want 4 records", n, err)
	}
	if n, err := s.Forget(ctx, "alice"); err != nil || n != 0 {
		t.Errorf("Forget(alice) again: got %d, %v, want 0", n, err)
	}
	if _, err := s.Forget(ctx, ""); err == nil {
		t.Errorf("Forget(\"\"): got nil, want an error (it would forget the CLI's records)")
	}
	d, err = s.Export(ctx, "alice")
	if err != nil || len(d.Questions)+len(d.Votes)+len(d.Answers)+len(d.Turns) != 0 {
		t.Errorf("Export(alice) after Forget: got %+v, %v, want nothing", d, err)
	}
	d, err = s.Export(ctx, "bob")
	if err != nil || len(d.Questions) != 1 || len(d.Votes) != 1 || len(d.Answers) != 1 || len(d.Turns) != 1 {
		t.Errorf("Export(bob): got %+v, %v, want one record of each kind", d, err)
	}
	if d.User != "bob" || d.Questions[0].Question != "q de bob" {
		t.Errorf("Export(bob): got user %q question %q, want bob's", d.User, d.Questions[0].Question)
	}
}

func TestPrune(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	seedUser(s, "old", t0.AddDate(0, 0, -100))
	seedUser(s, "new", t0)
	// AddTurn stamps turns with the time of the call: both are recent, so
	// only the three dated records of "old" go.
	n, err := s.Prune(ctx, t0.AddDate(0, 0, -90))
	if err != nil || n != 3 {
		t.Errorf("Prune: got %d, %v, want 3", n, err)
	}
	qs, err := s.Questions(ctx, store.Filter{})
	if err != nil || len(qs) != 1 || qs[0].User != "new" {
		t.Errorf("Questions after Prune: got %+v, %v, want only the new one", qs, err)
	}
	if n, err := s.Prune(ctx, t0.AddDate(0, 0, -90)); err != nil || n != 0 {
		t.Errorf("Prune again: got %d, %v, want 0", n, err)
	}
}

func TestPruneThreads(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	s.StartThread("empty")
	s.StartThread("busy")
	s.AddTurn("busy", store.Turn{Question: "q", Answer: "a"})
	flush(t, s)
	// Everything so far is before this instant; the turn goes first,
	// then both threads have no turn left.
	n, err := s.Prune(ctx, time.Now().Add(time.Minute))
	if err != nil || n != 3 {
		t.Errorf("Prune: got %d, %v, want 3 (a turn and two threads)", n, err)
	}
	if owned, _, err := s.Thread(ctx, "busy", 1); err != nil || owned {
		t.Errorf("Thread(busy) after Prune: got owned=%v, %v, want forgotten", owned, err)
	}
}

func TestCloseWritesWhatIsQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		s.Log(store.Question{Question: "q", Outcome: store.Answered})
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close again: got %v, want nil", err)
	}
	s.Log(store.Question{Question: "after close", Outcome: store.Answered}) // dropped, no panic
	if err := s.Flush(context.Background()); !errors.Is(err, errClosed) {
		t.Errorf("Flush after Close: got %v, want %v", err, errClosed)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	qs, err := s2.Questions(context.Background(), store.Filter{})
	if err != nil || len(qs) != 50 {
		t.Errorf("after reopening: got %d questions, %v, want 50", len(qs), err)
	}
}
