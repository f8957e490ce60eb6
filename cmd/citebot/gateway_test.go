package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/store"
)

const (
	gwChannel = "200000000000000011"
	gwAsker   = "400000000000000011"
)

// Scaled out, end to end: a gateway admits a mention and /ask and queues
// them; a worker in another process answers and posts each reply once —
// in the thread the gateway opened, and in the response it deferred; a
// follow-up in that thread is answered with its conversation; the
// buttons under an answer work on the gateway, from what the worker
// kept.
func TestGatewayAndWorkerAnswerOnce(t *testing.T) {
	s := newScaledOut(t, nil)
	ctx := scaleContext(t)
	s.gateway(t, nil, nil)
	w := s.worker(t, nil)
	fake := s.fake

	m := fake.MessageCreate(gwChannel, fake.GuildID(), gwAsker, fake.BotUser().Mention()+" "+gatewayQuestion, true)
	if err := fake.Dispatch("MESSAGE_CREATE", m); err != nil {
		t.Fatal(err)
	}
	i := fake.SlashCommand("ask", map[string]any{"question": gatewayQuestion}, "400000000000000012", fake.GuildID(), gwChannel, 0)
	if err := fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	inThread := discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages")
	reply, err := fake.WaitRequest(ctx, inThread)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSent(t, reply); !got.answered() {
		t.Errorf("the mention's reply %+v, want a cited answer with sources and buttons", got)
	}
	response := discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")
	edit, err := fake.WaitRequest(ctx, response)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSent(t, edit); !got.answered() {
		t.Errorf("/ask's response %+v, want a cited answer", got)
	}
	deferred := matching(fake.Requests(), discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))
	if len(deferred) != 1 || decodeSent(t, deferred[0]).Type != 5 || deferred[0].Time.After(edit.Time) {
		t.Errorf("/ask acknowledged %d times, want once, deferred, before the answer", len(deferred))
	}

	// A follow-up in the thread: no mention needed, answered with the
	// conversation the worker recorded.
	follow := fake.MessageCreate(m.ID, fake.GuildID(), gwAsker, "Et avec quelle entreprise ?", false)
	if err := fake.Dispatch("MESSAGE_CREATE", follow); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitRequests(ctx, 2, inThread); err != nil {
		t.Fatal(err)
	}

	// 👍 and Sources under the mention's answer, clicked on the gateway.
	msg := fake.ChannelMessages(m.ID)[0]
	for _, id := range []string{"fb:up:" + m.ID, "src:" + m.ID} {
		click := fake.ButtonClick(id, msg, gwAsker, fake.GuildID(), m.ID)
		if err := fake.Dispatch("INTERACTION_CREATE", click); err != nil {
			t.Fatal(err)
		}
		r, err := fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/interactions/"+click.ID+"/{token}/callback"))
		if err != nil {
			t.Fatal(err)
		}
		got := decodeSent(t, r)
		if got.Data == nil || (id[0] == 'f' && !strings.Contains(got.Data.Content, "Thanks")) || (id[0] == 's' && len(got.Data.Embeds) != 1) {
			t.Errorf("%s: response %+v, want thanks, or the passages", id, got.Data)
		}
	}

	w.stop()
	if n := s.pending(t); n != 0 {
		t.Errorf("%d jobs left in the queue after the replies, want none", n)
	}
	posts := matching(fake.Requests(), inThread)
	edits := matching(fake.Requests(), response)
	if len(posts) != 2 || len(edits) != 1 {
		t.Errorf("%d replies in the thread and %d edits of the response; want 2 (question, follow-up) and 1", len(posts), len(edits))
	}
	shared := sharedStore(t, s)
	votes, err := shared.Votes(ctx, store.Filter{})
	if err != nil || len(votes) != 1 || !votes[0].Known || votes[0].Question != gatewayQuestion {
		t.Errorf("votes %+v (%v), want one, on the kept answer", votes, err)
	}
	owned, turns, err := shared.Thread(ctx, m.ID, 10)
	if err != nil || !owned || len(turns) != 2 || turns[0].Question != gatewayQuestion {
		t.Errorf("the thread: owned %v, turns %+v (%v); want the gateway's, with both exchanges", owned, turns, err)
	}
	qs, err := shared.Questions(ctx, store.Filter{})
	if err != nil || len(qs) != 3 {
		t.Errorf("question log %+v (%v), want the 3 questions the worker answered", qs, err)
	}

	// /stats reads the log the worker wrote; /forget-me erases the
	// member's records from the shared store.
	stats := fake.SlashCommand("stats", nil, gwAsker, fake.GuildID(), gwChannel, discordgo.PermissionManageServer)
	forget := fake.SlashCommand("forget-me", nil, gwAsker, fake.GuildID(), gwChannel, 0)
	var said []string
	for _, i := range []*discordgo.Interaction{stats, forget} {
		if err := fake.Dispatch("INTERACTION_CREATE", i); err != nil {
			t.Fatal(err)
		}
		r, err := fake.WaitRequest(ctx, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
		if err != nil {
			t.Fatal(err)
		}
		said = append(said, decodeSent(t, r).Content)
	}
	// The member asked 2 questions (2 answers kept, 2 turns) and voted once.
	if !strings.Contains(said[0], ": 3\n") || !strings.Contains(said[0], "Votes: 1 👍") || !strings.Contains(said[1], " 7 records") {
		t.Errorf("/stats said %q, /forget-me %q; want 3 questions and a vote, then 7 records deleted", said[0], said[1])
	}
	if qs, _ := shared.Questions(ctx, store.Filter{}); len(qs) != 1 || qs[0].User == gwAsker {
		t.Errorf("question log after /forget-me: %+v, want only the other member's", qs)
	}
}

// sharedStore opens the store the processes share, for the test to read.
func sharedStore(t *testing.T, s *scaledOut) *scale.Store {
	t.Helper()
	c, err := scale.Connect(scaleContext(t), s.nats.URL(), scale.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	st, err := c.NewStore(scaleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A gateway stopped and started again on the same NATS while questions
// flow loses none and answers none twice: what it queued waits for a
// worker, an event delivered again (to the new process) is dropped, one
// it refused while stopping is taken by the new one. The new gateway
// runs a worker itself (--worker).
func TestGatewayRestartLosesNothing(t *testing.T) {
	s := newScaledOut(t, nil)
	ctx := scaleContext(t)
	fake := s.fake
	first := s.gateway(t, nil, nil)
	var msgs []string
	ask := func(n int) string {
		m := fake.MessageCreate(gwChannel, fake.GuildID(), fmt.Sprint("4000000000000001", n), fake.BotUser().Mention()+" "+gatewayQuestion, true)
		if err := fake.Dispatch("MESSAGE_CREATE", m); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m.ID)
		return m.ID
	}
	for n := range 3 {
		id := ask(n)
		// Its thread is opened: the gateway has it in hand, and a stop
		// waits for it to be queued.
		if _, err := fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/channels/"+gwChannel+"/messages/"+id+"/threads")); err != nil {
			t.Fatal(err)
		}
	}
	i := fake.SlashCommand("ask", map[string]any{"question": gatewayQuestion}, "400000000000000199", fake.GuildID(), gwChannel, 0)
	if err := fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback")); err != nil {
		t.Fatal(err)
	}
	last := ask(3) // mid-flow: queued, or refused as the gateway stops
	first.stop()

	second := s.gateway(t, nil, func(st *discordSettings) { st.worker = true })
	for _, id := range []string{msgs[1], last} { // Discord delivering again
		m := fake.MessageCreate(gwChannel, fake.GuildID(), "400000000000000101", fake.BotUser().Mention()+" "+gatewayQuestion, true)
		m.ID = id
		if err := fake.Dispatch("MESSAGE_CREATE", m); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range msgs {
		if _, err := fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/channels/"+id+"/messages")); err != nil {
			t.Fatalf("question %s: %v", id, err)
		}
	}
	if _, err := fake.WaitRequest(ctx, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")); err != nil {
		t.Fatal(err)
	}
	second.stop() // its worker hands back or acknowledges everything
	if n := s.pending(t); n != 0 {
		t.Errorf("%d jobs left in the queue, want none", n)
	}
	all := fake.Requests()
	for _, id := range msgs {
		threads := matching(all, discordtest.MatchRoute("POST", "/channels/"+gwChannel+"/messages/"+id+"/threads"))
		answers := matching(all, discordtest.MatchRoute("POST", "/channels/"+id+"/messages"))
		if len(threads) != 1 || len(answers) != 1 {
			t.Errorf("question %s: %d threads, %d answers; want one of each", id, len(threads), len(answers))
		}
	}
	if n := len(matching(all, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))); n != 1 {
		t.Errorf("/ask answered %d times, want once", n)
	}
}

func TestDiscordScaleOutFlags(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"DISCORD_TOKEN": "t"}, []string{"discord", "--worker"}, "--worker needs CITEBOT_NATS_URL"},
		{map[string]string{"DISCORD_TOKEN": "t"}, []string{"discord", "--shards", "none"}, "--shards"},
		{map[string]string{"DISCORD_TOKEN": "t"}, []string{"discord", "--shard-ids", "0,1"}, "--shard-ids needs --shards"},
		{map[string]string{"DISCORD_TOKEN": "t"}, []string{"discord", "--shards", "2", "--shard-ids", "0,2"}, "--shard-ids"},
		{map[string]string{"DISCORD_TOKEN": "t", "CITEBOT_NATS_URL": "nats://127.0.0.1:1", "CITEBOT_RETENTION": "3 months"}, []string{"discord"}, "CITEBOT_RETENTION"},
		{map[string]string{"DISCORD_TOKEN": "t", "CITEBOT_NATS_URL": "nats://127.0.0.1:1", "CITEBOT_RETENTION": "-5d"}, []string{"worker"}, "CITEBOT_RETENTION"},
	} {
		_, stderr, code := cli(t, tc.env, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestShardsAndRetentionParsing(t *testing.T) {
	for _, tc := range []struct {
		shards, ids string
		n           int
		want        []int
	}{{"", "", 0, nil}, {"auto", "", -1, nil}, {"auto", "3,1", -1, []int{3, 1}}, {"4", "0, 2", 4, []int{0, 2}}} {
		n, ids, err := parseShards(tc.shards, tc.ids)
		if err != nil || n != tc.n || fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("--shards %q --shard-ids %q: %d %v (%v), want %d %v", tc.shards, tc.ids, n, ids, err, tc.n, tc.want)
		}
	}
	for v, want := range map[string]time.Duration{"": 90 * 24 * time.Hour, "30d": 30 * 24 * time.Hour, "36h": 36 * time.Hour, "0": 0} {
		e := &env{getenv: func(string) string { return v }}
		if got, err := e.retention(); err != nil || got != want {
			t.Errorf("CITEBOT_RETENTION=%q: %v (%v), want %v", v, got, err, want)
		}
	}
	if natsRetention(0) >= 0 || natsRetention(time.Hour) != time.Hour {
		t.Error("a retention of 0 must keep for ever in NATS")
	}
}

// /reindex on a gateway rebuilds its index and publishes it, so that the
// workers switch to it.
func TestGatewayReindexPublishes(t *testing.T) {
	s := newScaledOut(t, nil)
	ctx := scaleContext(t)
	s.gateway(t, nil, nil)
	c, err := scale.Connect(ctx, s.nats.URL(), scale.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	noop := func(string, string) error { return nil }
	if err := c.FollowIndex(ctx, t.TempDir(), noop); !errors.Is(err, scale.ErrNoIndex) {
		t.Fatalf("before /reindex: %v, want nothing published", err)
	}
	i := s.fake.SlashCommand("reindex", nil, gwAsker, s.fake.GuildID(), gwChannel, discordgo.PermissionManageServer)
	if err := s.fake.Dispatch("INTERACTION_CREATE", i); err != nil {
		t.Fatal(err)
	}
	r, err := s.fake.WaitRequest(ctx, discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original"))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSent(t, r).Content; !strings.Contains(got, "documents") {
		t.Errorf("/reindex said %q, want what was re-indexed", got)
	}
	var version string
	err = c.FollowIndex(ctx, t.TempDir(), func(_, v string) error { version = v; return nil })
	if err != nil || version == "" {
		t.Errorf("after /reindex: version %q (%v), want one published", version, err)
	}
}

// A server's answer language (/config language) reaches the worker: a
// French question the articles do not answer is declined in English.
func TestWorkerAnswersInTheServersLanguage(t *testing.T) {
	s := newScaledOut(t, nil)
	ctx := scaleContext(t)
	if err := sharedStore(t, s).SetSettings(ctx, s.fake.GuildID(), store.Settings{Language: "en"}); err != nil {
		t.Fatal(err)
	}
	s.gateway(t, nil, nil)
	s.worker(t, nil)
	m := s.fake.MessageCreate(gwChannel, s.fake.GuildID(), gwAsker, s.fake.BotUser().Mention()+" Quelle est la recette de la tarte tatin ?", true)
	if err := s.fake.Dispatch("MESSAGE_CREATE", m); err != nil {
		t.Fatal(err)
	}
	r, err := s.fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages"))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSent(t, r).Content; !strings.Contains(got, "I could not find the answer") {
		t.Errorf("reply %q, want it declined in English", got)
	}
}
