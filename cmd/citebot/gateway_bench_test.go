package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/llm/llmtest"
)

// TestGatewayLatency measures a question's way from Discord's gateway to
// the reply arriving at Discord's REST API, one question at a time,
// against the fake Discord and the scripted model (which answers at
// once): in the single process, and scaled out — the gateway admitting
// and queueing it, a worker answering it and posting the reply — for a
// slash command (deferred, then the response edited) and a mention (a
// thread opened, the answer posted in it). It only runs when asked
// (BENCHMARKS.md):
//
//	CITEBOT_SCALE_BENCH=1 go test ./cmd/citebot -run TestGatewayLatency -v -count=1
func TestGatewayLatency(t *testing.T) {
	if os.Getenv("CITEBOT_SCALE_BENCH") == "" {
		t.Skip("a measurement, not a test: set CITEBOT_SCALE_BENCH=1")
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("CITEBOT_LATENCY_QUESTIONS")); err == nil && v > 0 {
		n = v
	}
	t.Logf("%-14s %-8s %-9s %-10s %-10s %-10s", "mode", "event", "questions", "p50", "p95", "p99")
	for _, scaled := range []bool{false, true} {
		model := llmtest.New(t)
		model.SetDefault(scriptedModel)
		s := newScaledOut(t, llmEnv(model))
		mode := "single process"
		if scaled {
			mode = "gateway+worker"
			s.gateway(t, nil, func(st *discordSettings) { st.rate = -1 })
			s.worker(t, nil)
		} else {
			s.single(t, func(st *discordSettings) { st.rate = -1 })
		}
		for _, event := range []string{"/ask", "mention"} {
			lat := s.latencies(t, event, 20, n)
			t.Logf("%-14s %-8s %-9d %-10v %-10v %-10v", mode, event, n, pct(lat, 50), pct(lat, 95), pct(lat, 99))
		}
	}
}

// single runs `citebot discord` without NATS against the fake Discord.
func (s *scaledOut) single(t *testing.T, edit func(*discordSettings)) *process {
	t.Helper()
	return s.gateway(t, nil, func(st *discordSettings) {
		st.natsURL = ""
		if edit != nil {
			edit(st)
		}
	})
}

// latencies asks warm+n questions of kind one after the other and returns
// the last n's times from the event's dispatch to the arrival of the
// final reply (the one with the buttons) at the fake Discord.
func (s *scaledOut) latencies(t *testing.T, kind string, warm, n int) []time.Duration {
	t.Helper()
	ctx := context.Background()
	fake := s.fake
	var out []time.Duration
	for q := range warm + n {
		user := fmt.Sprint(500000000000000000 + q)
		var final func(discordtest.Request) bool
		var ev any
		if kind == "/ask" {
			i := fake.SlashCommand("ask", map[string]any{"question": gatewayQuestion}, user, fake.GuildID(), gwChannel, 0)
			edit := discordtest.MatchRoute("PATCH", "/webhooks/{app}/"+i.Token+"/messages/@original")
			final, ev = func(r discordtest.Request) bool { return edit(r) && len(decodeSent(t, r).Components) > 0 }, i
		} else {
			m := fake.MessageCreate(gwChannel, fake.GuildID(), user, fake.BotUser().Mention()+" "+gatewayQuestion, true)
			post := discordtest.MatchRoute("POST", "/channels/"+m.ID+"/messages")
			final, ev = func(r discordtest.Request) bool { return post(r) && len(decodeSent(t, r).Components) > 0 }, m
		}
		event := map[string]string{"/ask": "INTERACTION_CREATE", "mention": "MESSAGE_CREATE"}[kind]
		wait, cancel := context.WithTimeout(ctx, time.Minute)
		start := time.Now()
		if err := fake.Dispatch(event, ev); err != nil {
			t.Fatal(err)
		}
		r, err := fake.WaitRequest(wait, final)
		cancel()
		if err != nil {
			t.Fatalf("%s %d: %v", kind, q, err)
		}
		if q >= warm {
			out = append(out, r.Time.Sub(start))
		}
	}
	slices.Sort(out)
	return out
}

// pct is the p-th percentile of sorted durations, rounded for a table.
func pct(sorted []time.Duration, p int) time.Duration {
	d := sorted[min(len(sorted)-1, len(sorted)*p/100)]
	return d.Round(10 * time.Microsecond)
}
