package main

import (
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/scale/natstest"
)

// Two gateway processes — here each connected to a Discord of its own,
// the same server and member on both — share the member's rate: the
// burst spent on one is spent on the other.
func TestRateLimitHoldsAcrossTwoGateways(t *testing.T) {
	s := newScaledOut(t, nil)
	ctx := scaleContext(t)
	other := discordtest.New(t)
	oneAMinute := func(st *discordSettings) { st.rate = 1 } // bursts of 2
	s.gateway(t, s.fake, oneAMinute)
	s.gateway(t, other, oneAMinute)
	for n, fake := range []*discordtest.Server{s.fake, s.fake, other, s.fake} {
		i := fake.SlashCommand("ask", map[string]any{"question": gatewayQuestion}, gwAsker, fake.GuildID(), gwChannel, 0)
		if err := fake.Dispatch("INTERACTION_CREATE", i); err != nil {
			t.Fatal(err)
		}
		r, err := fake.WaitRequest(ctx, discordtest.MatchRoute("POST", "/interactions/"+i.ID+"/{token}/callback"))
		if err != nil {
			t.Fatal(err)
		}
		got := decodeSent(t, r)
		wantLimited := n >= 2
		if limited := got.Type == int(discordgo.InteractionResponseChannelMessageWithSource); limited != wantLimited || (limited && got.Data == nil) {
			t.Errorf("question %d: response %+v, want rate limited %v", n+1, got, wantLimited)
		}
	}
	if n := s.pending(t); n != 2 {
		t.Errorf("%d questions queued, want the 2 of the burst", n)
	}
}

// A worker killed mid-answer — its connection to NATS gone, nothing
// acknowledged — leaves the question to another worker, and the answer
// arrives once, in the thread the gateway opened.
func TestWorkerKilledMidAnswer(t *testing.T) {
	model := llmtest.New(t)
	model.SetDefault(scriptedModel)
	model.Reply(llmtest.Reply{Block: true}) // the first worker's first call hangs
	s := newScaledOut(t, llmEnv(model))
	ctx := scaleContext(t)
	s.gateway(t, nil, nil)
	link := natstest.NewProxy(t, s.nats.URL())
	doomed := s.worker(t, func(w *workerSettings) { w.natsURL, w.ackWait = link.URL(), time.Second })
	fake := s.fake
	m := fake.MessageCreate(gwChannel, fake.GuildID(), gwAsker, fake.BotUser().Mention()+" "+gatewayQuestion, true)
	if err := fake.Dispatch("MESSAGE_CREATE", m); err != nil {
		t.Fatal(err)
	}
	select {
	case <-model.Blocked():
	case <-ctx.Done():
		t.Fatal("the question never reached the first worker's model")
	}
	link.Cut() // killed: its connection gone, no acknowledgement of any kind
	heir := s.worker(t, func(w *workerSettings) { w.ackWait = time.Second })
	inThread := discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages")
	r, err := fake.WaitRequest(ctx, inThread)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeSent(t, r); !got.answered() {
		t.Errorf("reply %+v, want the answer", got)
	}
	heir.stop()
	doomed.stop()
	if n := len(matching(fake.Requests(), inThread)); n != 1 {
		t.Errorf("%d replies, want one", n)
	}
	if n := s.pending(t); n != 0 {
		t.Errorf("%d jobs left, want none", n)
	}
}
