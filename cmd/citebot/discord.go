package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

func runDiscord(ctx context.Context, e *env, args []string) error {
	fs, delay := e.sourceFlags("")
	every := fs.String("sync-every", e.getenv("CITEBOT_SYNC_EVERY"), "sync the followed feeds this often, e.g. 30m; 0: never (default 1h) [CITEBOT_SYNC_EVERY]")
	ops := fs.String("ops-addr", e.getenv("CITEBOT_OPS_ADDR"), "serve /healthz and /metrics on this address, e.g. 127.0.0.1:9090; empty: off [CITEBOT_OPS_ADDR]")
	rate := fs.Int("rate", envInt(e.getenv, "CITEBOT_RATE_PER_MINUTE", 4), "questions per user a minute; -1: no limit [CITEBOT_RATE_PER_MINUTE]")
	conc := fs.Int("concurrency", envInt(e.getenv, "CITEBOT_MAX_CONCURRENT", 2), "answers computed at once; more wait in a queue [CITEBOT_MAX_CONCURRENT]")
	minCov := minCoverageFlag(fs)
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	period, err := syncEvery(strings.TrimSpace(*every))
	if err != nil {
		return err
	}
	token := strings.TrimSpace(e.getenv("DISCORD_TOKEN"))
	if token == "" {
		return usagef("DISCORD_TOKEN is not set: create a bot in the Discord Developer Portal and put its token in .env (see README)")
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	reg, err := e.registry(*delay)
	if err != nil {
		return err
	}
	keeper := &indexKeeper{e: e, live: retrieval.NewLive(ix), reg: reg}
	deps, mode, err := e.botDeps(keeper, *minCov)
	if err != nil {
		return err
	}
	keep, err := e.retention()
	if err != nil {
		return err
	}
	st := newSwapStore(ctx, e.openStoreFile, storeRetry, e.log)
	defer st.Close()
	go store.PruneEvery(ctx, st, keep, store.PruneInterval, e.log)
	kbs := &botKBs{ctx: ctx, e: e, st: st, delay: *delay, minCov: *minCov, every: period, open: map[string]bot.Deps{}}
	defer kbs.stop()
	deps.Store, deps.KB, deps.Reports = st, kbs.deps, botReports{st}
	b, err := bot.New(bot.Config{
		Token: token, GuildID: strings.TrimSpace(e.getenv("DISCORD_GUILD_ID")), Channels: splitList(e.getenv("DISCORD_CHANNELS")),
		RatePerMinute: *rate, MaxConcurrent: *conc,
		OpsAddr: *ops, Logger: e.log,
	}, deps)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "citebot discord: %s mode, %d documents, %s; Ctrl-C stops.\n", mode, len(keeper.live.Documents()), syncNote(period))
	stopSync := keeper.startSync(ctx, period)
	defer stopSync()
	return b.Run(ctx)
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
