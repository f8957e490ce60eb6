package discordtest

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// Two sessions, shards 0 and 1 of 2: each hears the events of the guilds
// on its shard only, and direct messages go to shard 0, as on Discord.
func TestEventsGoToTheGuildsShard(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	s := New(t)
	s.SetShardAdvice(2, 2)
	var got [2]<-chan *discordgo.MessageCreate
	for shard := range 2 {
		sess := newSession(t, s)
		sess.ShardID, sess.ShardCount = shard, 2
		got[shard] = forward(sess)
		if err := sess.Open(); err != nil {
			t.Fatalf("open shard %d: %v", shard, err)
		}
	}
	if err := s.WaitShards(ctx, 2); err != nil {
		t.Fatal(err)
	}
	gb, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	gb.Client = s.Client()
	advice, err := gb.GatewayBot()
	if err != nil || advice.Shards != 2 || advice.SessionStartLimit.MaxConcurrency != 2 {
		t.Fatalf("GET /gateway/bot: %+v (%v), want 2 shards, 2 at once", advice, err)
	}
	for _, tc := range []struct {
		guild string
		shard int
	}{{s.GuildOnShard(0, 2), 0}, {s.GuildOnShard(1, 2), 1}, {"", 0}, {s.GuildOnShard(1, 2), 1}} {
		if ShardOf(tc.guild, 2) != tc.shard {
			t.Fatalf("ShardOf(%s, 2) = %d, want %d", tc.guild, ShardOf(tc.guild, 2), tc.shard)
		}
		m := s.MessageCreate("500", tc.guild, "700", "for shard "+tc.guild, false)
		if err := s.Dispatch("MESSAGE_CREATE", m); err != nil {
			t.Fatal(err)
		}
		if ev := receive(ctx, t, got[tc.shard]); ev.ID != m.ID {
			t.Errorf("shard %d received %s, want %s", tc.shard, ev.ID, m.ID)
		}
	}
	// Every event was received where it belonged; one more to each shard
	// shows nothing else was queued on either.
	for shard := range 2 {
		m := s.MessageCreate("500", s.GuildOnShard(shard, 2), "700", "last", false)
		if err := s.Dispatch("MESSAGE_CREATE", m); err != nil {
			t.Fatal(err)
		}
		if ev := receive(ctx, t, got[shard]); ev.ID != m.ID {
			t.Errorf("shard %d received %s after its own events, want %s", shard, ev.ID, m.ID)
		}
	}
	if ids := s.IdentifiedShards(); len(ids) != 2 || ids[0] != 0 || ids[1] != 1 {
		t.Errorf("identified shards %v, want [0 1]", ids)
	}
}

// An event for a shard nobody connected is not delivered anywhere, and
// an IDENTIFY out of range is refused.
func TestShardsNotConnected(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	s := New(t)
	sess := newSession(t, s)
	sess.ShardID, sess.ShardCount = 1, 2
	open(ctx, t, s, sess)
	if err := s.Dispatch("MESSAGE_CREATE", s.MessageCreate("500", s.GuildOnShard(0, 2), "700", "x", false)); err == nil {
		t.Error("dispatch to shard 0 with only shard 1 connected: nil error, want ErrNotConnected")
	}
	bad := newSession(t, s)
	// discordgo refuses shard 3 of 2 itself; set it where it sends it as is.
	bad.Identify.Shard = &[2]int{3, 2}
	if err := bad.Open(); err == nil {
		t.Error("IDENTIFY with shard 3 of 2 was accepted")
	}
}
