package bot

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// identifyWaits records the bot's waits between buckets of shards
// identifying, and which shards had identified at each, instead of
// waiting.
type identifyWaits struct {
	fake *discordtest.Server
	mu   sync.Mutex
	seen [][]int
}

func (w *identifyWaits) wait(_ context.Context, d time.Duration) error {
	ids := w.fake.IdentifiedShards()
	slices.Sort(ids)
	w.mu.Lock()
	defer w.mu.Unlock()
	if d != identifyInterval {
		ids = append(ids, -1) // a wait of another length: fails the comparison
	}
	w.seen = append(w.seen, ids)
	return nil
}

func (w *identifyWaits) waits() [][]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.seen)
}

// launchSharded runs a bot of shards (with shardIDs) against a fake
// Discord advising maxConcurrency, with the pipeline recorded.
func launchSharded(t *testing.T, shards, maxConcurrency int, shardIDs []int) (*harness, *identifyWaits, *recordingPipeline) {
	t.Helper()
	t.Parallel()
	fake := discordtest.New(t)
	fake.SetShardAdvice(max(shards, 3), maxConcurrency)
	waits := &identifyWaits{fake: fake}
	p := &recordingPipeline{}
	h := launch(t, fake, func(c *Config, d *Deps) {
		c.Shards, c.ShardIDs, c.identifyWait = shards, shardIDs, waits.wait
		c.syncEvents = true // each session handles its events in order: see askOnShard
		p.next = d.Answer
		d.Answer = p.Answer
	})
	return h, waits, p
}

// askOnShard asks a question in a new guild on shard (of count) and
// waits for its answer; it returns the question's message.
func (h *harness) askOnShard(t *testing.T, shard, count int, q string) *discordgo.Message {
	t.Helper()
	guild := h.fake.GuildOnShard(shard, count)
	ch := h.fake.NewID()
	h.fake.SetChannel(&discordgo.Channel{ID: ch, GuildID: guild, Type: discordgo.ChannelTypeGuildText})
	m := h.fake.MessageCreate(ch, guild, h.fake.NewID(), h.fake.BotUser().Mention()+" "+q, true)
	h.dispatch(t, "MESSAGE_CREATE", m)
	h.wait(t, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	return m
}

// Two shards: a question in a guild on each is answered, once, by the
// session of its shard; the two identified one after the other, with
// Discord's wait between them (max_concurrency 1).
func TestTwoShardsAnswerTheirGuildsOnce(t *testing.T) {
	h, waits, p := launchSharded(t, 2, 1, nil)
	if got := h.fake.IdentifiedShards(); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("identified shards %v, want [0 1]", got)
	}
	if got := waits.waits(); len(got) != 1 || !slices.Equal(got[0], []int{0}) {
		t.Errorf("waits between identifies (shards identified before each) %v, want one, after shard 0", got)
	}
	for shard := range 2 {
		h.askOnShard(t, shard, 2, question+" (shard "+string(rune('0'+shard))+")")
	}
	// Each session handles its events in order: once a second question
	// on each shard is answered, any second delivery of the first would
	// have been handled.
	for shard := range 2 {
		h.askOnShard(t, shard, 2, question+" (again)")
	}
	counts := map[string]int{}
	for _, c := range p.calls() {
		counts[c.q]++
	}
	for shard := range 2 {
		q := question + " (shard " + string(rune('0'+shard)) + ")"
		if counts[q] != 1 {
			t.Errorf("%q answered %d times, want once", q, counts[q])
		}
	}
}

// --shard-ids 0,2 of 4 connects only those two shards; with a
// max_concurrency of 2 they are in separate buckets (0–1, 2–3).
func TestShardSubsetConnectsOnlyThose(t *testing.T) {
	h, waits, _ := launchSharded(t, 4, 2, []int{2, 0, 2})
	if got := h.fake.IdentifiedShards(); !slices.Equal(got, []int{0, 2}) {
		t.Errorf("identified shards %v, want [0 2]", got)
	}
	if got := waits.waits(); len(got) != 1 || !slices.Equal(got[0], []int{0}) {
		t.Errorf("waits between identifies %v, want one, after shard 0", got)
	}
	h.askOnShard(t, 2, 4, question)
	m := h.fake.MessageCreate(channel, h.fake.GuildOnShard(1, 4), asker, h.fake.BotUser().Mention()+" "+question, true)
	if err := h.fake.Dispatch("MESSAGE_CREATE", m); err == nil {
		t.Error("an event for shard 1 was delivered; this process should not hold that shard")
	}
}

// auto runs the shards Discord recommends (3), identifying
// max_concurrency (2) at once.
func TestAutoShardsFollowDiscordsAdvice(t *testing.T) {
	h, waits, _ := launchSharded(t, ShardsAuto, 2, nil)
	got := h.fake.IdentifiedShards()
	if !slices.Equal(got[2:], []int{2}) || !slices.Equal(slices.Sorted(slices.Values(got[:2])), []int{0, 1}) {
		t.Errorf("identified shards %v, want 0 and 1 together, then 2", got)
	}
	if w := waits.waits(); len(w) != 1 || !slices.Equal(w[0], []int{0, 1}) {
		t.Errorf("waits between identifies %v, want one, after shards 0 and 1", w)
	}
	for shard := range 3 {
		h.askOnShard(t, shard, 3, question)
	}
}

// A shard outside the count is refused before connecting, and shards
// fall in Discord's identify buckets.
func TestShardPlan(t *testing.T) {
	t.Parallel()
	ix := defaultIndex(t)
	b, err := New(Config{Token: "t", Shards: 2, ShardIDs: []int{0, 2}, HTTPClient: discordtest.New(t).Client()},
		Deps{Answer: extractive(nil), Library: ix, Summary: &answer.Summarizer{Index: ix}})
	if err == nil {
		err = b.Run(t.Context())
	}
	if err == nil || !strings.Contains(err.Error(), "shard 2 is not one of the 2 shards") {
		t.Errorf("shard 2 of 2: %v, want refused", err)
	}
	plan := shardPlan{ids: []int{0, 1, 2, 3, 5}, count: 6, concurrency: 2}
	if got := plan.buckets(); len(got) != 3 || !slices.Equal(got[1], []int{2, 3}) || !slices.Equal(got[2], []int{5}) {
		t.Errorf("buckets %v, want [[0 1] [2 3] [5]]", got)
	}
}
