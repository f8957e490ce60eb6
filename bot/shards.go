package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Past 2,500 servers Discord requires a bot to shard: one gateway session
// per shard, each identifying as [shard, count] and hearing the events of
// the servers on its shard only. The bot opens one session for each of its
// shards (all of them, or Config.ShardIDs when other processes run the
// rest), every one feeding the same handlers; REST calls, which need no
// shard, all go through the first. Discord lets max_concurrency shards
// identify at once, then wants 5 seconds before the next ones.

// ShardsAuto, as Config.Shards, runs as many shards as Discord's GET
// /gateway/bot recommends.
const ShardsAuto = -1

// identifyInterval is Discord's wait between two buckets of shards
// identifying.
const identifyInterval = 5 * time.Second

// shardPlan is which shards this process connects, among how many, and
// how many may identify at once.
type shardPlan struct {
	ids         []int
	count       int
	concurrency int
}

// planShards decides the shards from the configuration; a sharded bot
// (or ShardsAuto) asks Discord for the recommended count and its
// max_concurrency through rest.
func (b *Bot) planShards(rest *discordgo.Session) (shardPlan, error) {
	p := shardPlan{count: max(1, b.cfg.Shards), concurrency: 1}
	if b.cfg.Shards == ShardsAuto || b.cfg.Shards > 1 {
		gb, err := rest.GatewayBot()
		switch {
		case err != nil && b.cfg.Shards == ShardsAuto:
			return p, fmt.Errorf("ask Discord how many shards to run: %w", err)
		case err != nil:
			b.log.Warn("cannot ask Discord how many shards may identify at once; one at a time", "err", err)
		default:
			p.concurrency = max(1, gb.SessionStartLimit.MaxConcurrency)
			if b.cfg.Shards == ShardsAuto {
				p.count = max(1, gb.Shards)
			}
		}
	}
	p.ids = slices.Clone(b.cfg.ShardIDs)
	if len(p.ids) == 0 {
		for id := range p.count {
			p.ids = append(p.ids, id)
		}
	}
	slices.Sort(p.ids)
	p.ids = slices.Compact(p.ids)
	for _, id := range p.ids {
		if id < 0 || id >= p.count {
			return p, fmt.Errorf("shard %d is not one of the %d shards (0 to %d)", id, p.count, p.count-1)
		}
	}
	return p, nil
}

// buckets groups the plan's shards by the identify bucket Discord puts
// them in: shards 0 to concurrency-1 first, and so on.
func (p shardPlan) buckets() [][]int {
	var out [][]int
	for _, id := range p.ids {
		if n := len(out); n > 0 && out[n-1][0]/p.concurrency == id/p.concurrency {
			out[n-1] = append(out[n-1], id)
			continue
		}
		out = append(out, []int{id})
	}
	return out
}

// openShards opens sessions (one per planned shard, in plan.ids order)
// bucket by bucket, waiting identifyInterval between buckets. On failure
// it closes what it opened.
func (b *Bot) openShards(ctx context.Context, plan shardPlan, sessions []*discordgo.Session) error {
	byID := map[int]*discordgo.Session{}
	for i, id := range plan.ids {
		byID[id] = sessions[i]
	}
	var opened []*discordgo.Session
	for n, bucket := range plan.buckets() {
		if n > 0 {
			if err := b.cfg.identifyWait(ctx, identifyInterval); err != nil {
				closeSessions(opened)
				return err
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, len(bucket))
		for i, id := range bucket {
			wg.Go(func() {
				if err := byID[id].Open(); err != nil {
					errs[i] = connectError(err)
					if plan.count > 1 {
						errs[i] = fmt.Errorf("shard %d: %w", id, errs[i])
					}
				}
			})
		}
		wg.Wait()
		for _, id := range bucket {
			opened = append(opened, byID[id])
		}
		if err := errors.Join(errs...); err != nil {
			closeSessions(opened)
			return err
		}
		if plan.count > 1 {
			b.log.Info("shards connected", "shards", fmt.Sprint(bucket), "of", plan.count)
		}
	}
	return nil
}

// closeSessions closes sessions at once: discordgo's Close sleeps a
// second each.
func closeSessions(sessions []*discordgo.Session) error {
	var wg sync.WaitGroup
	errs := make([]error, len(sessions))
	for i, s := range sessions {
		wg.Go(func() { errs[i] = s.Close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// waitFor waits d or until ctx ends: the default identifyWait.
func waitFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
