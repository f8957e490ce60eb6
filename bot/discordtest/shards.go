package discordtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
)

// A bot past 2,500 servers must shard: open one gateway session per
// shard, each identifying with [shard, count], and Discord sends each
// session the events of the guilds on its shard, (guild_id >> 22) modulo
// count; direct messages go to shard 0. GET /gateway/bot says how many
// shards Discord recommends and how many may identify at once
// (max_concurrency). The fake does all of this, so a sharded bot's
// routing and identify order can be tested.

// ShardOf is the shard of guildID among count, as Discord computes it;
// shard 0 for a direct message (no guild) or an ID that is not a number.
func ShardOf(guildID string, count int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// GuildOnShard returns a fresh guild ID that Discord would route to shard
// among count, for tests that need a guild on each shard.
func (s *Server) GuildOnShard(shard, count int) string {
	id, _ := strconv.ParseUint(s.NewID(), 10, 64)
	ts, low := id>>22, id&(1<<22-1)
	for ts%uint64(count) != uint64(shard) {
		ts++
	}
	return strconv.FormatUint(ts<<22|low, 10)
}

// SetShardAdvice makes GET /gateway/bot recommend shards shards, of which
// maxConcurrency may identify at once (both 1 by default).
func (s *Server) SetShardAdvice(shards, maxConcurrency int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gw.advice = [2]int{shards, maxConcurrency}
}

// shardAdvice is SetShardAdvice's values, or the defaults.
func (s *Server) shardAdvice() (shards, maxConcurrency int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return max(1, s.gw.advice[0]), max(1, s.gw.advice[1])
}

// shardForLocked is the session an event of guildID goes to, nil when
// that shard never identified. The count is the one the shards
// identified with.
func (s *Server) shardForLocked(guildID string) *shardSession {
	count := 1
	for _, sh := range s.gw.shards {
		count = sh.count
	}
	return s.gw.shards[ShardOf(guildID, count)]
}

// IdentifiedShards is the shard of every IDENTIFY received, in order, so
// tests can check which shards a bot connected and in what order.
func (s *Server) IdentifiedShards() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.gw.identified)
}

// WaitShards blocks until n shards have a ready connection (see
// WaitReady).
func (s *Server) WaitShards(ctx context.Context, n int) error {
	err := s.wait(ctx, func() bool {
		ready := 0
		for _, sh := range s.gw.shards {
			if sh.cur != nil {
				ready++
			}
		}
		return ready >= n
	})
	if err != nil {
		return fmt.Errorf("wait for %d shards: %w", n, err)
	}
	return nil
}

// identifyShard reads IDENTIFY's shard, [id, count]; ok is false for one
// out of range.
func identifyShard(payload map[string]any) (id, count int, ok bool) {
	pair, present := payload["shard"].([]any)
	if !present {
		return 0, 1, payload["shard"] == nil
	}
	if len(pair) != 2 {
		return 0, 0, false
	}
	a, aok := pair[0].(float64)
	b, bok := pair[1].(float64)
	id, count = int(a), int(b)
	return id, count, aok && bok && count >= 1 && id >= 0 && id < count
}
