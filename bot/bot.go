// Package bot is citebot on Discord: questions asked in channels and
// threads, slash commands, source embeds and feedback buttons. It is the
// only production package that imports discordgo (bot/discordtest, the
// fake Discord its tests run against, is the other), and it answers
// through exactly the pipeline the CLI uses, so the CLI remains the way
// to test answers.
//
// A reading order: bot.go (what the bot needs) and run.go (its life);
// messages.go and the cmd_*.go files (what members do) with commands.go
// and interactions.go routing to them; answerflow.go (a question from
// admission to answer); admission.go, ratelimit.go, gate.go, dedupe.go
// (what work is taken on); replies.go, sinks.go, stream.go (speaking on
// Discord); text.go, embeds.go, embedfit.go, split.go, splitter.go,
// markers.go (making text fit Discord); buttons.go, ops.go. What the bot
// remembers goes through a store.Store: history.go, answercache.go and
// settings.go cache it, questionlog.go logs each question; kb.go picks a
// server's knowledge base; reports.go is what /gaps and /stats read.
// shards.go spreads the bot's servers over several gateway sessions;
// scaled out, remote.go makes it a gateway that queues its questions for
// workers in other processes, which post their replies with poster.go.
package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// Library is the index as the bot browses it. Chunks lets the Sources
// button read a kept answer's passages again rather than keep them.
type Library interface {
	Documents() []retrieval.DocInfo
	Search(ctx context.Context, q string, k int) ([]retrieval.Result, error)
	Chunks(docID string) []corpus.Chunk
}

// Summarizer summarises a document or the corpus (answer.Summarizer).
type Summarizer interface {
	Document(ctx context.Context, docID, lang string, onDelta func(string)) (answer.Answer, error)
	Corpus(ctx context.Context, lang string, onDelta func(string)) (answer.Answer, error)
}

// Deps are the parts of citebot the bot serves. Answer is the same
// pipeline the CLI runs, so the CLI remains the way to test answers;
// Reindex rebuilds the index and says what changed. Answer, Library,
// Summary, Reindex and Sources are the default knowledge base's.
type Deps struct {
	Answer  answer.Pipeline
	Library Library
	Summary Summarizer
	Reindex func(ctx context.Context) (string, error)
	Sources Sources // /source; nil: the command says it is not available
	// KB returns the parts of the knowledge base name (its Answer,
	// Library, Summary, Reindex and Sources; the rest is ignored), for
	// the servers /config assigned it; nil: only the default exists.
	KB func(name string) (Deps, error)
	// Store remembers conversations, answers, votes, the question log and
	// the servers' settings; nil: a store.Memory, forgotten on exit.
	Store store.Store
	// Reports are /gaps and /stats; nil: the commands say they are not
	// available.
	Reports Reports
	// Remote, when set, makes the bot a gateway: it admits questions and
	// queues them for workers in other processes, answering none itself
	// (remote.go). Answer and Summary are then unused.
	Remote *Remote
}

// Config holds the bot's settings; zero values mean the defaults.
type Config struct {
	Token    string
	GuildID  string   // register commands on this guild only (instant); empty: globally
	Channels []string // channels where every message is a question
	// RatePerMinute questions per user a minute, with bursts of RateBurst
	// (defaults 4 and 2); a negative rate disables the limit.
	RatePerMinute, RateBurst int
	// MaxConcurrent answers run at once, MaxQueue more wait (defaults 2,
	// 20; a negative MaxQueue means no waiting at all).
	MaxConcurrent, MaxQueue int
	// OpsAddr serves /healthz and /metrics when set (e.g. 127.0.0.1:9090).
	OpsAddr string
	// ShutdownTimeout bounds how long answers in flight may finish after a
	// stop signal before they are abandoned (default 20s).
	ShutdownTimeout time.Duration
	// EditInterval spaces progressive edits of a streamed answer (default 1s).
	EditInterval time.Duration
	// InteractionTTL is how long an interaction token is trusted; later
	// replies go to the channel as plain messages (default 14m: Discord's
	// tokens last 15).
	InteractionTTL time.Duration
	// ReadyTimeout bounds the wait for the gateway's READY (default 30s).
	ReadyTimeout time.Duration
	// Shards is how many gateway sessions the bot's servers are spread
	// over (Discord requires shards past 2,500 servers): 0 or 1, one
	// session; ShardsAuto, as many as Discord recommends. ShardIDs are the
	// shards this process connects when others connect the rest; empty:
	// all of them.
	Shards   int
	ShardIDs []int
	// HTTPClient, when set, carries every REST and gateway call (tests
	// point it at a local fake Discord).
	HTTPClient *http.Client
	Logger     *slog.Logger

	// identifyWait waits between two buckets of shards identifying
	// (Discord asks for 5 s); tests count the waits instead of waiting.
	identifyWait func(ctx context.Context, d time.Duration) error

	// syncEvents handles gateway events one at a time, in the order they
	// arrive, so that a test can tell an event was ignored by the next
	// one being handled. Tests only: one slow answer would hold up every
	// other event.
	syncEvents bool
}

// defaults fills in the zero values, so a Config needs only a token.
func (c *Config) defaults() {
	c.RatePerMinute = cmp.Or(c.RatePerMinute, 4)
	c.RateBurst = cmp.Or(c.RateBurst, 2)
	c.MaxConcurrent = cmp.Or(c.MaxConcurrent, 2)
	c.MaxQueue = max(0, cmp.Or(c.MaxQueue, 20))
	c.ShutdownTimeout = cmp.Or(c.ShutdownTimeout, 20*time.Second)
	c.EditInterval = cmp.Or(c.EditInterval, time.Second)
	c.InteractionTTL = cmp.Or(c.InteractionTTL, 14*time.Minute)
	c.ReadyTimeout = cmp.Or(c.ReadyTimeout, 30*time.Second)
	if c.identifyWait == nil {
		c.identifyWait = waitFor
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Bot is a running Discord bot. It is made of parts with separate state,
// each in its own file: the commands (commands.go, cmd_*.go), admission
// of work (admission.go), replies on Discord (replies.go, sinks.go), the
// conversations it remembers (history.go), the buttons and the answers
// they find (buttons.go), the servers' settings (settings.go) and
// metrics; Bot itself only wires them to the session.
type Bot struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	commands commandSet
	adm      *admission
	replies  *replies
	ready    *readiness
	sess     *discordgo.Session   // the first shard's session, for REST; set by Run
	shards   []*discordgo.Session // every shard's session, sess first; set by Run
	api      *discordAPI          // sess's REST calls; set by Run
	threads  *threadStore
	kinds    *channelKinds
	answers  *answerCache
	store    store.Store
	settings *serverSettings
	metrics  *botMetrics
	watched  map[string]bool // channels where every message is a question, unless a server chose its own

	// work is the parent of every answer's context; cancelling it abandons
	// the answers still running at the end of a shutdown. Run sets both.
	work    context.Context
	abandon context.CancelFunc
}

// The bounds of what the bot caches of its store, so that its memory levels off
// however long it runs and whatever it is asked (see the soak in
// BENCHMARKS.md). Past them the least recently used goes first. The rate
// limiter (ratelimit.go), the duplicate filter (admission.go) and
// Discord's rate-limit buckets (discordapi.go) have their own.
const (
	keptThreads       = 10_000  // threads the bot started, followed without a mention (IDs only)
	keptConversations = 1000    // conversations whose last turns a follow-up sees…
	conversationBytes = 4 << 20 // …weighing at most this in all
	keptChannelKinds  = 4096    // channels known to be threads or not
	keptAnswers       = 1000    // answers the buttons under them can find…
	answerBytes       = 4 << 20 // …weighing at most this in all
)

// New checks the configuration and prepares a bot; Run connects it.
func New(cfg Config, deps Deps) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("DISCORD_TOKEN is not set (see README: Run the Discord bot)")
	}
	if cfg.Shards < ShardsAuto {
		return nil, fmt.Errorf("shards: want a count or auto, got %d", cfg.Shards)
	}
	if r := deps.Remote; r != nil && (r.Queue == nil || r.Rates == nil || r.Events == nil) {
		return nil, errors.New("a gateway needs a queue, shared rates and shared events")
	}
	if deps.Answer == nil || deps.Library == nil || deps.Summary == nil {
		return nil, errors.New("bot needs an answerer, a library and a summarizer")
	}
	cfg.defaults()
	st := deps.Store
	if st == nil {
		st = store.NewMemory(store.MemoryLimits{})
	}
	log := cfg.Logger
	b := &Bot{cfg: cfg, deps: deps, log: log, commands: commands(),
		replies: &replies{ttl: cfg.InteractionTTL, log: log}, ready: newReadiness(), metrics: newBotMetrics(),
		threads: newThreadStore(st, log, keptThreads, keptConversations, conversationBytes), kinds: newChannelKinds(keptChannelKinds),
		answers: newAnswerCache(st, log, keptAnswers, answerBytes), store: st, settings: newServerSettings(st, log), watched: map[string]bool{}}
	// Admission keeps the in-flight and queued gauges current on every
	// change, releases included, rather than only when an answer enters.
	b.adm = newAdmission(cfg, b.metrics.observeGate)
	for _, c := range cfg.Channels {
		b.watched[c] = true
	}
	return b, nil
}

// errNotReady explains the usual causes of a gateway that never says READY.
var errNotReady = errors.New("Discord did not confirm the connection: check DISCORD_TOKEN, and that the Message Content intent is enabled in the Developer Portal (Bot → Privileged Gateway Intents)")
