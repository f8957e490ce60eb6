package bot

import (
	"context"
	"encoding/json"
	"github.com/citebot/citebot/internal/logbuf"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

const (
	token   = "test-token-never-logged"
	channel = "200000000000000001"
	asker   = "300000000000000001"
)

// harness is a running bot connected to a fake Discord.
type harness struct {
	fake *discordtest.Server
	bot  *Bot
	logs *logbuf.Buffer
	stop context.CancelFunc
	done chan error
	once sync.Once
}

// defaultIndex is the real index of the bundled corpus, so flows are
// tested on the answers the bot would give.
func defaultIndex(t *testing.T) *retrieval.Index {
	t.Helper()
	docs, _, err := corpus.Load(corpus.Default())
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// extractive answers with the real offline pipeline.
func extractive(ex *answer.Extractive) answer.Pipeline {
	return func(ctx context.Context, q string, _ []answer.Turn, _ func(string)) (answer.Answer, error) {
		return ex.Answer(ctx, q, nil, nil)
	}
}

// start runs a bot on the real index and pipeline unless the test swaps
// parts through edit.
func start(t *testing.T, edit func(*Config, *Deps)) *harness {
	t.Helper()
	t.Parallel() // each test has its own fake Discord; discordgo's Close sleeps 1s
	return launch(t, discordtest.New(t), edit)
}

// launch runs a bot against fake, as start does; a test may launch
// several in turn on one fake Discord (a restart).
func launch(t *testing.T, fake *discordtest.Server, edit func(*Config, *Deps)) *harness {
	t.Helper()
	ix := defaultIndex(t)
	logs := &logbuf.Buffer{}
	cfg := Config{Token: token, HTTPClient: fake.Client(),
		EditInterval: 10 * time.Millisecond, ShutdownTimeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	deps := Deps{Answer: extractive(&answer.Extractive{Index: ix}), Library: ix, Summary: &answer.Summarizer{Index: ix},
		Reindex: func(context.Context) (string, error) { return "5 documents", nil }, Store: store.NewMemory(store.MemoryLimits{})}
	if edit != nil {
		edit(&cfg, &deps)
	}
	b, err := New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	registered := func(r discordtest.Request) bool {
		return discordtest.MatchRoute("PUT", "/applications/{app}/commands")(r) ||
			discordtest.MatchRoute("PUT", "/applications/{app}/guilds/{guild}/commands")(r)
	}
	before := 0
	for _, r := range fake.Requests() {
		if registered(r) {
			before++
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	h := &harness{fake: fake, bot: b, logs: logs, stop: stop, done: make(chan error, 1)}
	go func() { h.done <- b.Run(ctx) }()
	if _, err := fake.WaitRequests(ctxFor(t), before+1, registered); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitReady(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.shutdown(t) })
	return h
}

// shutdown stops the bot as a signal would and checks it returns; it may
// be called by a test and again by the cleanup.
func (h *harness) shutdown(t *testing.T) {
	h.once.Do(func() { h.stopAndCheck(t) })
}

// stopAndCheck stops the bot and checks Run returns in time without
// having logged the token.
func (h *harness) stopAndCheck(t *testing.T) {
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("Run did not return after the stop signal")
	}
	if strings.Contains(h.logs.String(), token) {
		t.Error("the token appears in the logs")
	}
}

// votes are the votes the bot's store holds, once its writes are done.
func (h *harness) votes(t *testing.T) []store.Vote {
	t.Helper()
	if err := h.bot.store.Flush(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	vs, err := h.bot.store.Votes(ctxFor(t), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// ctxFor bounds a test's waits, so a missing request fails the test
// rather than hanging it.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wait returns the first request matching any of the matchers.
func (h *harness) wait(t *testing.T, matchers ...func(discordtest.Request) bool) discordtest.Request {
	t.Helper()
	r, err := h.fake.WaitRequest(ctxFor(t), func(r discordtest.Request) bool {
		for _, m := range matchers {
			if m(r) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("waiting for a request: %v", err)
	}
	return r
}

// dispatch sends a gateway event to the bot as Discord would.
func (h *harness) dispatch(t *testing.T, event string, data any) {
	t.Helper()
	if err := h.fake.Dispatch(event, data); err != nil {
		t.Fatal(err)
	}
}

// body decodes a recorded request's JSON body.
type body struct {
	Type            int                       `json:"type"`
	Content         string                    `json:"content"`
	Embeds          []*discordgo.MessageEmbed `json:"embeds"`
	Components      []json.RawMessage         `json:"components"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Flags int `json:"flags"`
	Data  *struct {
		Content         string                    `json:"content"`
		Flags           int                       `json:"flags"`
		Embeds          []*discordgo.MessageEmbed `json:"embeds"`
		Choices         []map[string]any          `json:"choices"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	} `json:"data"`
}

// decode reads a recorded request's body, failing the test if it is not
// the JSON Discord expects.
func decode(t *testing.T, r discordtest.Request) body {
	t.Helper()
	var b body
	if err := r.JSON(&b); err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	return b
}

// checkNoMentions asserts allowed_mentions with an empty parse list and
// no user or role allowed: nothing the message says can ping anyone.
func checkNoMentions(t *testing.T, r discordtest.Request) {
	t.Helper()
	var b struct {
		AllowedMentions map[string]json.RawMessage `json:"allowed_mentions"`
		Data            *struct {
			AllowedMentions map[string]json.RawMessage `json:"allowed_mentions"`
		} `json:"data"`
	}
	if err := r.JSON(&b); err != nil {
		t.Fatal(err)
	}
	am := b.AllowedMentions
	if b.Data != nil {
		am = b.Data.AllowedMentions
	}
	if string(am["parse"]) != "[]" || (am["users"] != nil && string(am["users"]) != "[]") || (am["roles"] != nil && string(am["roles"]) != "[]") {
		t.Errorf("%s %s: got allowed_mentions %v, want an empty parse list", r.Method, r.Path, am)
	}
}

// syncBuffer is a log sink the goroutines a test starts can share.
type syncBuffer = logbuf.Buffer
