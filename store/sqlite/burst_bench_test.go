//go:build unix

package sqlite_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
	"github.com/citebot/citebot/store/sqlite"
)

// The load bar of the store: 200 questions arrive at once and are
// answered offline, two at a time as the bot does by default
// (CITEBOT_MAX_CONCURRENT), with and without logging each question and
// keeping each answer in the store, as the bot does after answering.
//
//	go test ./store/sqlite -run '^$' -bench Burst -count 5
//
// Reported per answer, with and without the store: the median and 95th
// percentile of the time from a worker taking the question to the answer
// being answered and logged (answer), and of the time from the burst's
// start (wait, which includes the queue), and the CPU time the process
// used for a burst (cpu, with the writer's share: a Flush ends the burst
// with the store). They should be the same.

const burstSize, burstWorkers = 200, 2

func BenchmarkBurst(b *testing.B) {
	p := offlinePipeline(b)
	questions := devQuestions(b, burstSize)
	// linger=0s is the writer without group commit, one transaction a
	// write when they come a few milliseconds apart: what it costs.
	for _, linger := range []time.Duration{sqlite.DefaultLinger, 0} {
		b.Run(fmt.Sprint("linger=", linger), func(b *testing.B) { benchBurst(b, p, questions, linger) })
	}
}

func benchBurst(b *testing.B, p answer.Pipeline, questions []string, linger time.Duration) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), sqlite.FileName), sqlite.WithLinger(linger))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	// Bursts with and without the store alternate, in turn first, so that
	// both see the same load of a shared machine.
	var times [2][2][]time.Duration // [without, with][answer, wait]
	var cpu [2]time.Duration        // the process's CPU time, all bursts
	bursts := 0
	for b.Loop() {
		for k := range 2 {
			with := (bursts+k)%2 == 1
			store := (*sqlite.Store)(nil)
			i := 0
			if with {
				store, i = s, 1
			}
			c0 := cpuTime(b)
			a, w := burst(p, store, questions)
			if with {
				// The writer's work for this burst belongs to it.
				if err := s.Flush(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			cpu[i] += cpuTime(b) - c0
			times[i][0], times[i][1] = append(times[i][0], a...), append(times[i][1], w...)
		}
		bursts++
	}
	for i, name := range []string{"without", "with"} {
		report(b, name+"-answer", times[i][0])
		report(b, name+"-wait", times[i][1])
		b.ReportMetric(float64(cpu[i])/float64(bursts)/float64(time.Millisecond), name+"-cpu-ms/burst")
	}
	checkLogged(b, s, bursts*burstSize)
}

// burst answers questions with burstWorkers workers, logging to s when it
// is not nil, and returns each question's answer time and time since the
// burst began.
func burst(p answer.Pipeline, s *sqlite.Store, questions []string) (answerTimes, waitTimes []time.Duration) {
	start := time.Now()
	queue := make(chan int, len(questions))
	for i := range questions {
		queue <- i
	}
	close(queue)
	answerTimes, waitTimes = make([]time.Duration, len(questions)), make([]time.Duration, len(questions))
	var wg sync.WaitGroup
	for range burstWorkers {
		wg.Go(func() {
			for i := range queue {
				t0 := time.Now()
				a, err := p(context.Background(), questions[i], nil, nil)
				if err != nil {
					panic(err)
				}
				if s != nil {
					logAnswer(s, i, a, time.Since(t0))
				}
				answerTimes[i], waitTimes[i] = time.Since(t0), time.Since(start)
			}
		})
	}
	wg.Wait()
	return answerTimes, waitTimes
}

// logAnswer records what the bot records after an answer.
func logAnswer(s *sqlite.Store, i int, a answer.Answer, took time.Duration) {
	key := fmt.Sprint("m", time.Now().UnixNano(), "-", i)
	outcome, cited := store.Answered, []string{}
	if a.Refused {
		outcome = store.DeclinedModel
		if a.GateRefused {
			outcome = store.DeclinedGate
		}
	}
	var passages []store.KeptPassage
	for _, src := range a.Sources {
		cited = append(cited, src.DocID)
	}
	for _, r := range a.Passages {
		passages = append(passages, store.KeptPassage{ChunkID: r.Chunk.ID, DocID: r.Doc.ID, Title: r.Doc.Title, Fused: r.Fused, Vector: r.Vector, BM25: r.BM25})
	}
	s.Log(store.Question{Guild: "g", Channel: "c", User: fmt.Sprint("u", i%37), AnswerKey: key, Question: a.Question, Lang: a.Lang,
		Outcome: outcome, Cited: cited, Stages: map[string]time.Duration{"total": took}})
	s.PutAnswer(key, store.KeptAnswer{Guild: "g", User: fmt.Sprint("u", i%37), Question: a.Question, Text: a.Text, Mode: a.Mode, Sources: cited, Passages: passages})
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(b *testing.B, name string, d []time.Duration) {
	slices.Sort(d)
	ms := func(p int) float64 {
		return float64(d[max((p*len(d)+99)/100, 1)-1]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(50), name+"-median-ms")
	b.ReportMetric(ms(95), name+"-p95-ms")
}

// checkLogged fails unless every question of every burst was stored.
func checkLogged(b *testing.B, s *sqlite.Store, want int) {
	if err := s.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	qs, err := s.Questions(context.Background(), store.Filter{})
	if err != nil {
		b.Fatal(err)
	}
	if len(qs) != want || s.Dropped() != 0 {
		b.Fatalf("stored %d of %d questions, %d dropped", len(qs), want, s.Dropped())
	}
}

func offlinePipeline(b *testing.B) answer.Pipeline {
	docs, _, err := corpus.Load(corpus.Default())
	if err != nil {
		b.Fatal(err)
	}
	ix, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{})
	if err != nil {
		b.Fatal(err)
	}
	p, _ := answer.New(answer.Config{Index: ix})
	return p
}

// devQuestions are the development eval set's questions, repeated to n.
func devQuestions(b *testing.B, n int) []string {
	f, err := os.Open(filepath.Join("..", "..", "eval", "testdata", "dev.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct{ Question string }
		if err := json.Unmarshal(sc.Bytes(), &line); err == nil && line.Question != "" {
			qs = append(qs, line.Question)
		}
	}
	if len(qs) == 0 {
		b.Fatal("no question in dev.jsonl")
	}
	out := make([]string, n)
	for i := range out {
		out[i] = qs[i%len(qs)]
	}
	return out
}

// The writer's cost per record, alone: a question logged and its answer
// kept, as after each answer, then a Flush.
//
//	go test ./store/sqlite -run '^$' -bench WriterPerAnswer
func BenchmarkWriterPerAnswer(b *testing.B) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), sqlite.FileName), sqlite.WithQueue(1<<16))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := answer.Answer{Question: "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?", Lang: "fr", Mode: "extractive",
		Text: "Le gouvernement britannique a annoncé lundi la signature d'un nouveau partenariat stratégique avec OpenAI [1]."}
	for i := range 16 {
		a.Passages = append(a.Passages, retrieval.Result{Chunk: corpus.Chunk{ID: fmt.Sprintf("000_e36295c6d4f2ae41#%d", i)},
			Doc: retrieval.DocInfo{ID: "000_e36295c6d4f2ae41", Title: "Le Royaume-Uni signe avec OpenAI"}, Fused: 0.03, Vector: 0.5, BM25: 7.5})
	}
	a.Sources = []answer.Source{{N: 1, DocID: "000_e36295c6d4f2ae41"}}
	i := 0
	for b.Loop() {
		logAnswer(s, i, a, 12*time.Millisecond)
		i++
		if i%1000 == 0 {
			s.Flush(context.Background())
		}
	}
	if err := s.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
}
