package bot

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// gatedPipeline is a slow model: no answer starts before open is closed,
// and each then takes delay (cut short by its context).
type gatedPipeline struct {
	open  <-chan struct{}
	delay time.Duration
}

// Answer waits for open, then takes delay, then answers with a fixed
// cited text; it gives up when ctx ends.
func (p gatedPipeline) Answer(ctx context.Context, q string, _ []answer.Turn, _ func(string)) (answer.Answer, error) {
	select {
	case <-p.open:
	case <-ctx.Done():
		return answer.Answer{}, ctx.Err()
	}
	t := time.NewTimer(p.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return answer.Answer{}, ctx.Err()
	}
	return answer.Answer{Question: q, Lang: "fr", Mode: answer.ModeLLM, Text: "Le Royaume-Uni a signé un partenariat avec OpenAI [1].",
		Sources: []answer.Source{{N: 1, ChunkID: "000#0", DocID: "000", Title: "Titre", Quote: "Citation."}}}, nil
}

var (
	callbackRoute = discordtest.MatchRoute("POST", "/interactions/{id}/{token}/callback")
	originalRoute = discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original")
)

// TestLoadManyAskersFewSlots sends 200 /ask at once from 50 members to a
// bot with 2 answering slots, 20 places in line and 4 questions a minute
// (bursts of 2) per member, and checks that every question gets exactly one
// fate: an answer, a private rate-limit reply or a polite "queue full".
func TestLoadManyAskersFewSlots(t *testing.T) {
	const users, perUser = 50, 4
	const total = users * perUser
	open := make(chan struct{})
	h := start(t, func(c *Config, d *Deps) {
		d.Answer = gatedPipeline{open: open, delay: 5 * time.Millisecond}.Answer
		c.RatePerMinute, c.RateBurst, c.MaxConcurrent, c.MaxQueue = 4, 2, 2, 20
	})
	begin := time.Now()
	tokens := map[string]bool{}
	for range perUser {
		for u := range users {
			i := h.fake.SlashCommand("ask", map[string]any{"question": question}, fmt.Sprintf("4000000000000%05d", u), h.fake.GuildID(), channel, 0)
			tokens[i.Token] = true
			h.dispatch(t, "INTERACTION_CREATE", i)
		}
	}

	// Every interaction is acknowledged before any answer can run.
	callbacks, err := h.fake.WaitRequests(ctxFor(t), total, callbackRoute)
	if err != nil {
		t.Fatalf("got fewer than %d interaction callbacks: %v", total, err)
	}
	deferred, rateLimited := map[string]bool{}, 0
	for _, r := range callbacks {
		checkNoMentions(t, r)
		b := decode(t, r)
		switch {
		case b.Type == 5:
			deferred[r.Segment("/interactions/{id}/{token}/callback", "token")] = true
		case b.Type == 4 && b.Data != nil && b.Data.Flags&64 != 0 && isRateLimit(b.Data.Content):
			rateLimited++
		default:
			t.Errorf("got callback type %d %+v, want a deferral or a private rate-limit reply", b.Type, b.Data)
		}
	}
	if want := users * 2; len(deferred) != want || rateLimited != total-want {
		t.Errorf("got %d deferred and %d rate-limited, want %d and %d (bursts of 2 each)", len(deferred), rateLimited, want, total-want)
	}

	// With the model stuck, 2 answers run, 20 wait and the rest are told
	// the line is full.
	fullText := []string{say("fr", "queueFull"), say("en", "queueFull")}
	isFull := func(r discordtest.Request) bool {
		return originalRoute(r) && (strings.Contains(string(r.Body), fullText[0]) || strings.Contains(string(r.Body), fullText[1]))
	}
	wantFull := len(deferred) - 2 - 20
	if _, err := h.fake.WaitRequests(ctxFor(t), wantFull, isFull); err != nil {
		t.Fatalf("queue-full replies: %v", err)
	}
	close(open)
	isAnswer := func(r discordtest.Request) bool {
		return originalRoute(r) && strings.Contains(string(r.Body), `"components":[{`)
	}
	if _, err := h.fake.WaitRequests(ctxFor(t), len(deferred)-wantFull, isAnswer); err != nil {
		t.Fatalf("answers: %v", err)
	}
	h.shutdown(t)
	elapsed := time.Since(begin)
	// Every answer has released its slot: the gauges say so too.
	for _, name := range []string{"citebot_answers_in_flight", "citebot_answers_queued"} {
		if v := gaugeValue(t, h.bot.metrics, name); v != 0 {
			t.Errorf("%s after the load: got %v, want 0", name, v)
		}
	}

	// Each deferred interaction ended with one final edit: the answer or
	// the queue-full message.
	final := map[string]string{}
	for _, r := range h.fake.Requests() {
		if !originalRoute(r) {
			continue
		}
		checkNoMentions(t, r)
		tok := r.Segment("/webhooks/{app}/{token}/messages/@original", "token")
		if !tokens[tok] || !deferred[tok] {
			t.Errorf("got an edit of %s, which was not deferred", tok)
			continue
		}
		switch {
		case isAnswer(r):
			final[tok] = "answered"
		case isFull(r):
			final[tok] = "queue_full"
		case final[tok] == "":
			final[tok] = "progress"
		}
	}
	count := map[string]int{}
	for tok := range deferred {
		count[final[tok]]++
	}
	if count["answered"] != 22 || count["queue_full"] != wantFull || count["answered"]+count["queue_full"]+rateLimited != total {
		t.Errorf("got %v and %d rate-limited, want 22 answered, %d queue_full, %d in all", count, rateLimited, wantFull, total)
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d questions: %d answered, %d queue full, %d rate-limited in %v; heap after GC %.1f MB",
		total, count["answered"], count["queue_full"], rateLimited, elapsed, float64(ms.HeapAlloc)/(1<<20))
	if ms.HeapAlloc > 200<<20 {
		t.Errorf("got %d bytes of heap after the load, want under 200 MB", ms.HeapAlloc)
	}
}

// isRateLimit reports whether s is the rate-limit message, in either
// language, whatever the wait it names.
func isRateLimit(s string) bool {
	for _, l := range []string{"fr", "en"} {
		prefix, _, _ := strings.Cut(say(l, "rateLimit", "X"), "X")
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
