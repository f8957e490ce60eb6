package bot

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/store"
	"github.com/citebot/citebot/store/sqlite"
)

// TestRestartRemembers asks a question in a thread, stops the bot, and
// starts another on the same store: the new bot has nothing in its own
// memory and is told nothing by the gateway of the old thread, yet a
// follow-up there without a mention is answered with the thread's
// history, the old answer's Sources button shows its passages, and a vote
// on it is recorded as known.
//
// It runs on the memory store shared by both bots (the bot reads what it
// remembers from its store, not its own memory) and on the SQLite file,
// closed by the first bot's process and opened again by the second's.
func TestRestartRemembers(t *testing.T) {
	t.Parallel()
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		st := store.NewMemory(store.MemoryLimits{})
		testRestart(t, func(*testing.T) store.Store { return st }, func(store.Store) {})
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), sqlite.FileName)
		testRestart(t, func(t *testing.T) store.Store {
			st, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		}, func(st store.Store) { st.Close() })
	})
}

// testRestart runs the test on the store open returns; end is what the
// end of the first bot's process does to it.
func testRestart(t *testing.T, open func(*testing.T) store.Store, end func(store.Store)) {
	fake := discordtest.New(t)
	p := &recordingPipeline{}
	var st store.Store
	withStore := func(_ *Config, d *Deps) {
		d.Store = st
		p.next = d.Answer
		d.Answer = p.Answer
	}
	st = open(t)
	first := launch(t, fake, withStore)
	m := fake.MessageCreate(channel, fake.GuildID(), asker, fake.BotUser().Mention()+" "+question, true)
	first.dispatch(t, "MESSAGE_CREATE", m)
	thread := m.ID // a thread started on a message takes its ID
	first.wait(t, isAnswerIn(thread))
	first.shutdown(t)
	if err := st.Flush(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	end(st)

	st = open(t)
	second := launch(t, fake, withStore)
	if second.bot.threads.owned.len() != 0 || second.bot.answers.c.len() != 0 {
		t.Fatal("the new bot starts with something in its memory")
	}
	followUp := fake.MessageCreate(thread, fake.GuildID(), asker, "Et Sam Altman ?", false)
	second.dispatch(t, "MESSAGE_CREATE", followUp)
	if _, err := fake.WaitRequests(ctxFor(t), 2, isAnswerIn(thread)); err != nil {
		t.Fatal(err)
	}
	calls := p.calls()
	if len(calls) != 2 || len(calls[1].history) != 1 || calls[1].history[0].Question != question {
		t.Errorf("got calls %+v, want the follow-up answered with the thread's history", calls)
	}

	src := fake.ButtonClick(sourcesPrefix+m.ID, nil, "300000000000000009", fake.GuildID(), thread)
	second.dispatch(t, "INTERACTION_CREATE", src)
	b := decode(t, second.wait(t, discordtest.MatchRoute("POST", "/interactions/"+src.ID+"/{token}/callback")))
	if b.Data == nil || len(b.Data.Embeds) == 0 || b.Data.Content == say("en", "expired") {
		t.Errorf("Sources: got %+v, want the passages of the answer given before the restart", b.Data)
	} else if e := b.Data.Embeds[0]; len(e.Fields) == 0 || strings.Contains(e.Fields[0].Value, say("en", "passageChanged")) {
		t.Errorf("Sources: got %+v, want the passages' text", e)
	}

	vote := fake.ButtonClick(voteDownPrefix+m.ID, nil, asker, fake.GuildID(), thread)
	second.dispatch(t, "INTERACTION_CREATE", vote)
	second.wait(t, discordtest.MatchRoute("POST", "/interactions/"+vote.ID+"/{token}/callback"))
	votes := second.votes(t)
	if len(votes) != 1 || !votes[0].Known || votes[0].Question != question || len(votes[0].Sources) == 0 {
		t.Errorf("got votes %+v, want one known vote with the question and its sources", votes)
	}
	second.shutdown(t) // the answers in flight end, and are logged
	if err := st.Flush(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	qs, err := st.Questions(t.Context(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, q := range qs {
		keys = append(keys, q.AnswerKey)
	}
	if !slices.Equal(keys, []string{m.ID, followUp.ID}) {
		t.Errorf("got questions logged under %q, want both, across the restart", keys)
	}
}
