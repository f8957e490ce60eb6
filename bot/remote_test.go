package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/store"
)

// fakeRemote stands for the shared services of a gateway: a queue that
// records jobs, a duplicate filter and a rate limit, each scriptable.
type fakeRemote struct {
	mu       sync.Mutex
	jobs     []Job
	queued   chan Job
	queueErr error
	seen     map[string]bool
	rate     func(key string) (bool, time.Duration, error)
	rateKeys []string
}

func newFakeRemote() *fakeRemote {
	return &fakeRemote{queued: make(chan Job, 16), seen: map[string]bool{},
		rate: func(string) (bool, time.Duration, error) { return true, 0, nil }}
}

func (f *fakeRemote) remote() *Remote { return &Remote{Queue: f, Rates: f, Events: f} }

func (f *fakeRemote) Dispatch(_ context.Context, j Job) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queueErr != nil {
		return false, f.queueErr
	}
	for _, q := range f.jobs {
		if q.ID == j.ID {
			return true, nil
		}
	}
	f.jobs = append(f.jobs, j)
	f.queued <- j
	return false, nil
}

func (f *fakeRemote) Allow(_ context.Context, key string, perMinute, burst int) (bool, time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rateKeys = append(f.rateKeys, key)
	return f.rate(key)
}

func (f *fakeRemote) First(_ context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[id] {
		return false, nil
	}
	f.seen[id] = true
	return true, nil
}

func (f *fakeRemote) job(t *testing.T) Job {
	t.Helper()
	select {
	case j := <-f.queued:
		return j
	case <-ctxFor(t).Done():
		t.Fatal("no job was queued")
		return Job{}
	}
}

// startGateway runs a bot in gateway mode on remote; its own pipeline
// fails the test if it is ever called.
func startGateway(t *testing.T, remote *fakeRemote, edit func(*Config, *Deps)) *harness {
	return start(t, func(c *Config, d *Deps) {
		d.Remote = remote.remote()
		d.Answer = func(context.Context, string, []answer.Turn, func(string)) (answer.Answer, error) {
			t.Error("a gateway answered a question itself")
			return answer.Answer{}, errors.New("not here")
		}
		if edit != nil {
			edit(c, d)
		}
	})
}

// A mention reaching a gateway: the bot is shown typing, a thread is
// opened on the question and remembered as the bot's, and the question is
// queued with what a worker needs to answer in that thread.
func TestGatewayQueuesAMention(t *testing.T) {
	remote := newFakeRemote()
	h := startGateway(t, remote, nil)
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	j := remote.job(t)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/typing"))
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/messages/"+m.ID+"/threads"))
	want := Job{Kind: JobAsk, ID: m.ID, Guild: h.fake.GuildID(), Channel: m.ID, Thread: m.ID, User: asker, Question: question, Lang: "fr"}
	got := j
	got.Created = time.Time{}
	if got != want || j.Created.IsZero() {
		t.Errorf("queued %+v, want %+v with its time", j, want)
	}
	if err := h.bot.store.Flush(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	if owned, _, _ := h.bot.store.Thread(ctxFor(t), m.ID, 0); !owned {
		t.Error("the thread opened for the question is not recorded as the bot's")
	}
	if keys := remote.rateKeys; len(keys) != 1 || keys[0] != h.fake.GuildID()+"."+asker {
		t.Errorf("rate keys %v, want the member in the server", keys)
	}
	// Delivered again (a resume, or another gateway): not queued twice,
	// and nothing said.
	h.dispatch(t, "MESSAGE_CREATE", m)
	// Seen by another gateway already (after a restart, say): not queued.
	other := h.fake.MessageCreate(m.ID, h.fake.GuildID(), asker, "Et OpenAI ?", false)
	remote.mu.Lock()
	remote.seen[other.ID] = true
	remote.mu.Unlock()
	h.dispatch(t, "MESSAGE_CREATE", other)
	follow := h.fake.MessageCreate(m.ID, h.fake.GuildID(), asker, "Et Sam Altman ?", false)
	h.dispatch(t, "MESSAGE_CREATE", follow)
	if j := remote.job(t); j.ID != follow.ID || j.Thread != m.ID || j.Message != follow.ID || j.Channel != m.ID {
		t.Errorf("the follow-up queued as %+v, want in the thread, replying to it", j)
	}
	if n := len(remote.jobs); n != 2 {
		t.Errorf("%d jobs queued, want 2", n)
	}
}

// Where the server chose replies in place, the job replies to the
// message in its channel, the conversation being the asker's there.
func TestGatewayQueuesInPlace(t *testing.T) {
	remote := newFakeRemote()
	h := startGateway(t, remote, func(_ *Config, d *Deps) {
		st := store.NewMemory(store.MemoryLimits{})
		st.SetSettings(context.Background(), "300000000000000001", store.Settings{ReplyStyle: styleInPlace})
		d.Store = st
	})
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	j := remote.job(t)
	if j.Channel != channel || j.Message != m.ID || j.Thread != channel+"/"+asker {
		t.Errorf("queued %+v, want a reply to %s in %s, conversation %s/%s", j, m.ID, channel, channel, asker)
	}
}

// /ask, /summary and /search on a gateway: deferred first, then queued
// with the interaction a worker edits.
func TestGatewayQueuesSlashCommands(t *testing.T) {
	remote := newFakeRemote()
	h := startGateway(t, remote, nil)
	for _, tc := range []struct {
		name      string
		opts      map[string]any
		kind      JobKind
		text      string
		ephemeral bool
	}{
		{"ask", map[string]any{"question": question}, JobAsk, question, false},
		{"summary", map[string]any{"document": "doc1", "lang": "en"}, JobSummary, "doc1", false},
		{"search", map[string]any{"query": "OpenAI"}, JobSearch, "OpenAI", true},
	} {
		i := h.fake.SlashCommand(tc.name, tc.opts, asker, h.fake.GuildID(), channel, 0)
		h.dispatch(t, "INTERACTION_CREATE", i)
		j := remote.job(t)
		r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))
		if b := decode(t, r); b.Type != 5 || (b.Data != nil && b.Data.Flags != 0) != tc.ephemeral {
			t.Errorf("/%s: callback %+v, want deferred (ephemeral %v)", tc.name, b, tc.ephemeral)
		}
		ref := j.Interaction
		if j.Kind != tc.kind || j.ID != i.ID || j.Question != tc.text || j.Channel != channel || ref == nil ||
			ref.Token != i.Token || ref.AppID != i.AppID || ref.Ephemeral != tc.ephemeral {
			t.Errorf("/%s queued %+v (%+v), want a %s job with its interaction", tc.name, j, ref, tc.kind)
		}
		if j.Created.Before(r.Time) {
			t.Errorf("/%s: the job's time %v is before the deferral %v", tc.name, j.Created, r.Time)
		}
	}
}

// When the questions cannot be queued, or the shared rate cannot be
// checked, the asker is told so; a member over the rate is told when to
// ask again.
func TestGatewayTellsWhatWasNotQueued(t *testing.T) {
	remote := newFakeRemote()
	remote.queueErr = errors.New("nats: no responders")
	h := startGateway(t, remote, nil)
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	if got := decode(t, r).Content; got != say("fr", "serviceDown") {
		t.Errorf("told %q, want %q", got, say("fr", "serviceDown"))
	}
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	r = h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
	if got := decode(t, r).Content; got != say("fr", "serviceDown") {
		t.Errorf("/ask: told %q, want %q", got, say("fr", "serviceDown"))
	}
	if qs := h.questions(t); len(qs) != 2 || qs[0].Outcome != store.Failed || qs[1].Outcome != store.Failed {
		t.Errorf("question log %+v, want both failed", qs)
	}

	remote.mu.Lock()
	remote.queueErr = nil
	remote.rate = func(key string) (bool, time.Duration, error) {
		if strings.HasSuffix(key, ".slow") {
			return false, 0, errors.New("nats: timeout")
		}
		return false, 12 * time.Second, nil
	}
	remote.mu.Unlock()
	for _, tc := range []struct{ user, want string }{{"fast", say("fr", "rateLimit", "12s")}, {"slow", say("fr", "serviceDown")}} {
		i := h.fake.SlashCommand("ask", map[string]any{"question": question}, tc.user, h.fake.GuildID(), channel, 0)
		h.dispatch(t, "INTERACTION_CREATE", i)
		r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))
		if b := decode(t, r); b.Type != 4 || b.Data == nil || b.Data.Content != tc.want {
			t.Errorf("%s: callback %+v, want %q", tc.user, b, tc.want)
		}
	}
	if n := len(remote.jobs); n != 0 {
		t.Errorf("%d jobs queued, want none", n)
	}
}

// questions are the question log the bot's store holds, once its writes
// are done.
func (h *harness) questions(t *testing.T) []store.Question {
	t.Helper()
	if err := h.bot.store.Flush(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	qs, err := h.bot.store.Questions(ctxFor(t), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}
