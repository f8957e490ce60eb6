package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// discordSettings are citebot discord's flags, read over the environment.
type discordSettings struct {
	token, guild string
	channels     []string
	hostDelay    time.Duration
	syncPeriod   time.Duration
	ops          string
	rate, conc   int
	minCov       float64
	shards       int // 0: one session; bot.ShardsAuto
	shardIDs     []int
	// natsURL makes the process a gateway; worker also answers there.
	natsURL   string
	replicas  int
	retention time.Duration // CITEBOT_RETENTION; 0 keeps for ever
	worker    bool
	discordHC *http.Client // nil: Discord itself; tests point it at a fake
}

func runDiscord(ctx context.Context, e *env, args []string) error {
	fs, delay := e.sourceFlags("")
	every := fs.String("sync-every", e.getenv("CITEBOT_SYNC_EVERY"), "sync the followed feeds this often, e.g. 30m; 0: never (default 1h) [CITEBOT_SYNC_EVERY]")
	var s discordSettings
	fs.StringVar(&s.ops, "ops-addr", e.getenv("CITEBOT_OPS_ADDR"), "serve /healthz and /metrics on this address, e.g. 127.0.0.1:9090; empty: off [CITEBOT_OPS_ADDR]")
	fs.IntVar(&s.rate, "rate", envInt(e.getenv, "CITEBOT_RATE_PER_MINUTE", 4), "questions per user a minute; -1: no limit [CITEBOT_RATE_PER_MINUTE]")
	fs.IntVar(&s.conc, "concurrency", envInt(e.getenv, "CITEBOT_MAX_CONCURRENT", 2), "answers computed at once; more wait in a queue [CITEBOT_MAX_CONCURRENT]")
	shards := fs.String("shards", "", "gateway sessions to spread the servers over: a number, or auto for Discord's advice; empty: one")
	shardIDs := fs.String("shard-ids", "", "with --shards: only these shards, e.g. 0,2 (other processes run the rest)")
	fs.StringVar(&s.natsURL, "nats", e.getenv("CITEBOT_NATS_URL"), "NATS servers, comma-separated: admit questions here and queue them for workers [CITEBOT_NATS_URL]")
	fs.BoolVar(&s.worker, "worker", false, "with NATS: also answer queued questions in this process")
	minCov := minCoverageFlag(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	var err error
	if s.syncPeriod, err = syncEvery(strings.TrimSpace(*every)); err != nil {
		return err
	}
	if s.shards, s.shardIDs, err = parseShards(*shards, *shardIDs); err != nil {
		return err
	}
	s.hostDelay, s.minCov, s.natsURL = *delay, *minCov, strings.TrimSpace(s.natsURL)
	if s.worker && s.natsURL == "" {
		return usagef("--worker needs CITEBOT_NATS_URL: it answers the questions queued there")
	}
	if s.retention, err = e.retention(); err != nil {
		return err
	}
	if s.natsURL != "" {
		if s.replicas, err = e.natsReplicas(); err != nil {
			return err
		}
	}
	if s.token = strings.TrimSpace(e.getenv("DISCORD_TOKEN")); s.token == "" {
		return usagef("DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal and put its token in .env (see README)")
	}
	s.guild, s.channels = strings.TrimSpace(e.getenv("DISCORD_GUILD_ID")), splitList(e.getenv("DISCORD_CHANNELS"))
	return e.serveDiscord(ctx, s)
}

// serveDiscord runs the bot until ctx ends: the single process that
// answers everything, or, with NATS, a gateway that queues questions for
// the workers (and, with --worker, one of them).
func (e *env) serveDiscord(ctx context.Context, s discordSettings) error {
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	reg, err := e.registry(s.hostDelay)
	if err != nil {
		return err
	}
	keeper := &indexKeeper{e: e, live: retrieval.NewLive(ix), reg: reg}
	deps, mode, err := e.botDeps(keeper, s.minCov)
	if err != nil {
		return err
	}
	var st store.Store
	if s.natsURL == "" {
		sw := newSwapStore(ctx, e.openStoreFile, storeRetry, e.log)
		defer sw.Close()
		go store.PruneEvery(ctx, sw, s.retention, store.PruneInterval, e.log)
		kbs := &botKBs{ctx: ctx, e: e, st: sw, delay: s.hostDelay, minCov: s.minCov, every: s.syncPeriod, open: map[string]bot.Deps{}}
		defer kbs.stop()
		st, deps.KB = sw, kbs.deps
	} else {
		gw, err := e.connectGateway(ctx, s, keeper)
		if err != nil {
			return err
		}
		defer gw.close()
		st, deps.Remote = gw.store, gw.remote
		mode = "gateway (questions answered by workers)"
		if s.worker {
			stopWorker := e.workerBeside(ctx, s)
			defer stopWorker()
			mode = "gateway and worker"
		}
	}
	// Gateway or not, the bot remembers through st, and /gaps and /stats
	// read it: on a gateway, the log the workers write.
	deps.Store, deps.Reports = st, botReports{st}
	b, err := bot.New(bot.Config{
		Token: s.token, GuildID: s.guild, Channels: s.channels, RatePerMinute: s.rate, MaxConcurrent: s.conc,
		OpsAddr: s.ops, Shards: s.shards, ShardIDs: s.shardIDs, HTTPClient: s.discordHC, Logger: e.log,
	}, deps)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "citebot discord: %s mode, %d documents, %s; Ctrl-C stops.\n", mode, len(keeper.live.Documents()), syncNote(s.syncPeriod))
	stopSync := keeper.startSync(ctx, s.syncPeriod)
	defer stopSync()
	return b.Run(ctx)
}

// parseShards reads --shards (a count, auto, or empty for one session)
// and --shard-ids (comma-separated shard numbers).
func parseShards(shards, ids string) (int, []int, error) {
	n := 0
	switch v := strings.TrimSpace(shards); v {
	case "":
	case "auto":
		n = bot.ShardsAuto
	default:
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > 100_000 {
			return 0, nil, usagef("--shards: want a number of shards or auto, got %q", v)
		}
	}
	var out []int
	for _, f := range splitList(ids) {
		id, err := strconv.Atoi(f)
		if err != nil || id < 0 || (n > 0 && id >= n) {
			return 0, nil, usagef("--shard-ids: want shard numbers from 0 to the shard count less one, got %q", f)
		}
		out = append(out, id)
	}
	if len(out) > 0 && n == 0 {
		return 0, nil, usagef("--shard-ids needs --shards (a number, or auto)")
	}
	return n, out, nil
}

// botDeps wires answering, summaries, re-indexing and the added sources
// over the keeper's live index for the bot; mode names the answerer, as
// for chat. It is apart from runDiscord so that tests can check the
// wiring without a Discord connection.
func (e *env) botDeps(k *indexKeeper, minCov float64) (bot.Deps, string, error) {
	ask, mode, err := e.answerer(k.live, 0, minCov)
	if err != nil {
		return bot.Deps{}, "", err
	}
	summarizer, err := e.summarizer(k.live)
	if err != nil {
		return bot.Deps{}, "", err
	}
	return bot.Deps{Answer: ask, Library: k.live, Summary: summarizer, Reindex: k.reindex, Sources: k.sources()}, mode, nil
}

// splitList reads a list separated by commas, spaces or both
// (DISCORD_CHANNELS="123, 456").
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// envInt reads a whole number from the environment, or def.
func envInt(getenv func(string) string, name string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(getenv(name)))
	if err != nil {
		return def
	}
	return n
}
