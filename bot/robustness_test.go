package bot

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// stuckPipeline never answers: it waits for its context to end.
type stuckPipeline struct{ entered chan struct{} }

// Answer signals entered, then waits for ctx to end, as a hung model.
func (p stuckPipeline) Answer(ctx context.Context, _ string, _ []answer.Turn, _ func(string)) (answer.Answer, error) {
	if p.entered != nil {
		p.entered <- struct{}{}
	}
	<-ctx.Done()
	return answer.Answer{}, ctx.Err()
}

func TestShutdownAbandonsWorkWithAMessage(t *testing.T) {
	entered := make(chan struct{}, 1)
	h := start(t, func(c *Config, d *Deps) {
		d.Answer = stuckPipeline{entered: entered}.Answer
		c.ShutdownTimeout = 50 * time.Millisecond
	})
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	<-entered
	h.shutdown(t)
	var told bool
	for _, r := range h.fake.Requests() {
		if discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")(r) && strings.Contains(decode(t, r).Content, "redémarre") {
			told = true
		}
	}
	if !told {
		t.Error("the abandoned asker was not told the bot is restarting")
	}
}

// panicky panics on its first question, then answers.
type panicky struct {
	calls atomic.Int32
	next  answer.Pipeline
}

// Answer panics the first time, then answers with next.
func (p *panicky) Answer(ctx context.Context, q string, h []answer.Turn, d func(string)) (answer.Answer, error) {
	if p.calls.Add(1) == 1 {
		panic("boom")
	}
	return p.next(ctx, q, h, d)
}

func TestPanicIsRecoveredAndReported(t *testing.T) {
	h := start(t, func(_ *Config, d *Deps) { d.Answer = (&panicky{next: d.Answer}).Answer })
	first := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", first)
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+first.ID+"/messages"))
	if b := decode(t, r); !strings.Contains(b.Content, "Désolé") {
		t.Errorf("got %q, want a short apology", b.Content)
	}
	second := h.fake.MessageCreate(channel, h.fake.GuildID(), "300000000000000002", h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", second)
	r = h.wait(t, discordtest.MatchRoute("POST", "/channels/"+second.ID+"/messages"))
	if b := decode(t, r); !strings.Contains(b.Content, "[1]") {
		t.Errorf("got %q after a panic, want the bot still answering", b.Content)
	}
	if !strings.Contains(h.logs.String(), "panicked") {
		t.Error("the panic was not logged")
	}
}

func TestDuplicateEventIsAnsweredOnce(t *testing.T) {
	var calls atomic.Int32
	h := start(t, func(_ *Config, d *Deps) { d.Answer = countingPipeline{&calls, d.Answer}.Answer })
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	h.shutdown(t)
	threads := 0
	for _, r := range h.fake.Requests() {
		if discordtest.MatchRoute("POST", "/channels/"+channel+"/messages/"+m.ID+"/threads")(r) {
			threads++
		}
	}
	if threads != 1 || calls.Load() != 1 {
		t.Errorf("got %d threads and %d answers, want 1 of each", threads, calls.Load())
	}
}

// countingPipeline counts the questions it answers with next.
type countingPipeline struct {
	n    *atomic.Int32
	next answer.Pipeline
}

// Answer counts the call and answers with next.
func (p countingPipeline) Answer(ctx context.Context, q string, h []answer.Turn, d func(string)) (answer.Answer, error) {
	p.n.Add(1)
	return p.next(ctx, q, h, d)
}

func TestExpiredInteractionFallsBackToChannel(t *testing.T) {
	h := start(t, func(c *Config, _ *Deps) { c.InteractionTTL = time.Nanosecond })
	i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", i)
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/messages"))
	checkNoMentions(t, r)
	if b := decode(t, r); !strings.Contains(b.Content, "[1]") || len(b.Embeds) == 0 {
		t.Errorf("got %q, want the answer posted in the channel", b.Content)
	}
}

func TestQueueFullIsPolite(t *testing.T) {
	entered := make(chan struct{}, 2)
	h := start(t, func(c *Config, d *Deps) {
		d.Answer = stuckPipeline{entered: entered}.Answer
		c.MaxConcurrent, c.MaxQueue, c.ShutdownTimeout = 1, -1, 10*time.Millisecond
	})
	h.dispatch(t, "INTERACTION_CREATE", h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0))
	<-entered
	second := h.fake.SlashCommand("ask", map[string]any{"question": question}, "300000000000000009", h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", second)
	r := h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+second.Token+"/messages/@original"))
	if b := decode(t, r); !strings.Contains(b.Content, "Trop de questions") {
		t.Errorf("got %q, want a polite queue-full message", b.Content)
	}
}

func TestAutocompleteSearchAndSources(t *testing.T) {
	h := start(t, nil)
	ac := h.fake.Autocomplete("summary", "document", "royaume", nil, asker, h.fake.GuildID(), channel)
	h.dispatch(t, "INTERACTION_CREATE", ac)
	r := h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+ac.ID+"/{token}/callback"))
	b := decode(t, r)
	if b.Type != 8 || b.Data == nil || len(b.Data.Choices) == 0 || len(b.Data.Choices) > 25 {
		t.Fatalf("got %+v, want autocomplete choices", b)
	}
	for _, c := range b.Data.Choices {
		if !strings.Contains(strings.ToLower(c["name"].(string)), "royaume") {
			t.Errorf("got choice %v, want titles containing what was typed", c)
		}
	}

	s := h.fake.SlashCommand("search", map[string]any{"query": "data centers"}, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", s)
	r = h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+s.ID+"/{token}/callback"))
	if b := decode(t, r); b.Type != 5 || b.Data == nil || b.Data.Flags&64 == 0 {
		t.Errorf("got %+v, want a private deferral", b)
	}
	r = h.wait(t, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+s.Token+"/messages/@original"))
	if b := decode(t, r); len(b.Embeds) == 0 || len(b.Embeds[0].Fields) == 0 {
		t.Errorf("got %+v, want the passages embed", b)
	}

	src := h.fake.SlashCommand("sources", nil, asker, h.fake.GuildID(), channel, 0)
	h.dispatch(t, "INTERACTION_CREATE", src)
	r = h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+src.ID+"/{token}/callback"))
	if b := decode(t, r); b.Type != 4 || len(b.Data.Embeds) == 0 || len(b.Data.Embeds[0].Fields) != 5 {
		t.Errorf("got %+v, want the five documents", b)
	}
}

func TestDiscordRateLimitIsRetried(t *testing.T) {
	h := start(t, nil)
	h.fake.Respond("POST", "/channels/{id}/messages/{mid}/threads", discordtest.Once(discordtest.TooManyRequests(10*time.Millisecond, false)))
	m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	if b := decode(t, r); !strings.Contains(b.Content, "[1]") {
		t.Errorf("got %q, want the answer in the thread after the retried 429", b.Content)
	}
}

func TestNewRefusesAnIncompleteSetup(t *testing.T) {
	ix := defaultIndex(t)
	full := Deps{Answer: extractive(&answer.Extractive{Index: ix}), Library: ix, Summary: &answer.Summarizer{Index: ix}}
	tests := []struct {
		name string
		cfg  Config
		edit func(*Deps)
		want string // in the error
	}{
		{"no token", Config{}, nil, "DISCORD_TOKEN"},
		{"no token, no parts", Config{}, func(d *Deps) { *d = Deps{} }, "DISCORD_TOKEN"},
		{"no answerer", Config{Token: token}, func(d *Deps) { d.Answer = nil }, "needs an answerer, a library and a summarizer"},
		{"no library", Config{Token: token}, func(d *Deps) { d.Library = nil }, "needs an answerer, a library and a summarizer"},
		{"no summarizer", Config{Token: token}, func(d *Deps) { d.Summary = nil }, "needs an answerer, a library and a summarizer"},
		{"complete", Config{Token: token}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deps := full
			if tt.edit != nil {
				tt.edit(&deps)
			}
			b, err := New(tt.cfg, deps)
			switch {
			case tt.want == "" && (err != nil || b == nil):
				t.Errorf("got %v, %v, want a bot", b, err)
			case tt.want != "" && (err == nil || b != nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, %v, want no bot and an error containing %q", b, err, tt.want)
			}
		})
	}
}
