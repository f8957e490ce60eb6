package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// soakQuestions are asked in turn, each with a number so that no two
// answers, threads or histories are the same text.
var soakQuestions = []string{
	"Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?",
	"What did OpenAI offer to US federal employees?",
	"Combien coûtent les centres de données ?",
	"Qui dirige OpenAI ?",
	"What is Stargate?",
	"Quels pays investissent dans l'intelligence artificielle ?",
}

// TestSoak sends CITEBOT_SOAK questions (e.g. 20000) through the fake
// Discord, from many members, channels and threads — mentions that open
// threads, follow-ups there, /ask — and prints the questions answered,
// the RSS and the live Go heap after a GC at the start, the middle and
// the end, so memory can be seen to level off. It is skipped unless the
// variable is set, so CI does not run it; run it without -race:
//
//	CITEBOT_SOAK=20000 go test -run TestSoak -v ./bot
//
// CITEBOT_SOAK_HEAP=file also writes the live heap at the end (and at the
// middle, to file.middle: go tool pprof -diff_base file.middle shows what
// grew), for go tool pprof.
func TestSoak(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CITEBOT_SOAK"))
	if n <= 0 {
		t.Skip("set CITEBOT_SOAK to the number of questions to run the soak")
	}
	if os.Getenv("CITEBOT_SOAK_HEAP") != "" {
		runtime.MemProfileRate = 4096 // fine enough to tell the bot's parts apart
	}
	answered := make(chan struct{}, 64)
	h := start(t, func(c *Config, d *Deps) {
		c.RatePerMinute, c.RateBurst, c.MaxQueue = 1_000_000, 1_000_000, 64
		c.Logger = slog.New(slog.DiscardHandler) // a log kept in memory would be heap the soak measures
		d.Answer = streamed(d.Answer)
	})
	h.fake.Retain(200) // the fake's memory is not the bot's
	h.fake.Respond("POST", "/channels/{id}/messages", countAnswers(answered))
	h.fake.Respond("PATCH", "/channels/{id}/messages/{mid}", countAnswers(answered))
	h.fake.Respond("PATCH", "/webhooks/{app}/{token}/messages/{mid}", countAnswers(answered))
	s := &soak{h: h, answered: answered}
	const batch = 16
	warm := min(n, 500)
	s.run(t, warm, batch)
	s.report(t, "start")
	s.run(t, (n-warm)/2, batch)
	s.report(t, "middle")
	if path := os.Getenv("CITEBOT_SOAK_HEAP"); path != "" {
		writeHeapProfile(t, path+".middle")
	}
	s.run(t, n-s.asked, batch)
	s.report(t, "end")
	if path := os.Getenv("CITEBOT_SOAK_HEAP"); path != "" {
		writeHeapProfile(t, path)
	}
}

// writeHeapProfile writes the live heap to path for go tool pprof, to
// find what a soak's growth is made of.
func writeHeapProfile(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
}

// soak is the state of a soak: the questions asked so far and the
// threads the bot opened, where follow-ups go.
type soak struct {
	h        *harness
	answered <-chan struct{}
	asked    int
	threads  []string // the last threads opened and answered in, oldest first
	opened   []string // threads of the batch in flight
}

// run asks count more questions, batch at a time, waiting for each
// batch's answers so the queue never overflows.
func (s *soak) run(t *testing.T, count, batch int) {
	for done := 0; done < count; {
		k := min(batch, count-done)
		for range k {
			s.ask(t)
		}
		s.wait(t, k)
		done += k
		// Follow-ups go only to threads the bot has answered in.
		s.threads = append(s.threads, s.opened...)
		s.threads = s.threads[max(0, len(s.threads)-200):]
		s.opened = s.opened[:0]
	}
}

// wait waits for k answers, a minute at most: a batch takes milliseconds.
func (s *soak) wait(t *testing.T, k int) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range k {
		select {
		case <-s.answered:
		case <-ctx.Done():
			t.Fatalf("after %d questions: %v", s.asked, ctx.Err())
		}
	}
}

// ask sends the next question: half are mentions in one of 50 channels
// (a thread each), a quarter follow-ups without a mention in a recent
// thread, a quarter /ask; from 5000 members in turn.
func (s *soak) ask(t *testing.T) {
	f, i := s.h.fake, s.asked
	s.asked++
	q := fmt.Sprintf("%s (%d)", soakQuestions[i%len(soakQuestions)], i)
	member := fmt.Sprintf("5%017d", i%5000)
	ch := fmt.Sprintf("6%017d", i%50)
	switch {
	case i%4 == 1 && len(s.threads) > 0:
		th := s.threads[i%len(s.threads)]
		s.h.dispatch(t, "MESSAGE_CREATE", f.MessageCreate(th, f.GuildID(), member, q, false))
	case i%4 == 3:
		s.h.dispatch(t, "INTERACTION_CREATE", f.SlashCommand("ask", map[string]any{"question": q}, member, f.GuildID(), ch, 0))
	default:
		m := f.MessageCreate(ch, f.GuildID(), member, f.BotUser().Mention()+" "+q, true)
		s.h.dispatch(t, "MESSAGE_CREATE", m)
		s.opened = append(s.opened, m.ID) // a thread started on a message takes its ID
	}
}

// report prints the questions so far, the RSS and the live heap after a
// collection.
func (s *soak) report(t *testing.T, when string) {
	runtime.GC()
	runtime.GC() // the first moves sync.Pools' contents aside; the second frees them
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b := s.h.bot
	t.Logf("%-6s %6d questions  RSS %5.1f MB  heap %5.1f MB  (kept: %d threads, %d histories of %.1f MB, %d channel kinds, %d answers of %.1f MB)",
		when, s.asked, rssMB(t), float64(ms.HeapAlloc)/(1<<20), b.threads.owned.len(), b.threads.turns.len(),
		float64(b.threads.turns.cost())/(1<<20), b.kinds.c.len(), b.answers.c.len(), float64(b.answers.c.cost())/(1<<20))
}

// rssMB is the process's resident set size, from /proc/self/status.
func rssMB(t *testing.T) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// countAnswers signals answered for each final answer (a message with
// buttons) the bot sends, and lets the request through to the defaults.
func countAnswers(answered chan<- struct{}) discordtest.Handler {
	return func(r discordtest.Request) (int, any, http.Header) {
		if strings.Contains(string(r.Body), `"components":[{`) {
			answered <- struct{}{}
		}
		return 0, nil, nil
	}
}

// streamed streams next's answer in a few deltas, as a model would.
func streamed(next answer.Pipeline) answer.Pipeline {
	return func(ctx context.Context, q string, h []answer.Turn, d func(string)) (answer.Answer, error) {
		a, err := next(ctx, q, h, nil)
		if err != nil {
			return a, err
		}
		for part := range strings.SplitSeq(a.Text, ". ") {
			d(part + ". ")
		}
		return a, nil
	}
}
