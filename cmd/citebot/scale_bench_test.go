package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/scale/natstest"
)

// TestScaleThroughput measures workers answering a burst of questions
// with a scripted model that takes 2 s per answer, for 1 to 32 workers
// of 2 slots each (16 questions per worker), on one NATS server and a fake Discord, all in
// this process. It takes a few minutes and only runs when asked (BENCHMARKS.md):
//
//	CITEBOT_SCALE_BENCH=1 go test ./cmd/citebot -run TestScaleThroughput -v -timeout 10m
func TestScaleThroughput(t *testing.T) {
	if os.Getenv("CITEBOT_SCALE_BENCH") == "" {
		t.Skip("a measurement, not a test: set CITEBOT_SCALE_BENCH=1")
	}
	const rounds, slots, modelTime = 8, 2, 2 * time.Second
	model := llmtest.New(t)
	model.SetDefault(scriptedModel)
	vars := llmEnv(model)
	vars["OPENAI_BASE_URL"] = slowModel(t, model.URL, modelTime)
	vars["CITEBOT_DATA_DIR"], vars["HOME"] = t.TempDir(), t.TempDir()
	getenv := func(k string) string { return vars[k] }
	t.Logf("%-8s %-6s %-12s %-10s %-10s", "workers", "jobs", "answers/min", "p50", "p95")
	for _, n := range benchWorkers() {
		srv := natstest.Start(t)
		fake := discordtest.New(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		stop := startWorkers(t, ctx, getenv, srv.URL(), fake, n, slots)
		pub, err := scale.Connect(ctx, srv.URL(), scale.Options{})
		if err != nil {
			t.Fatal(err)
		}
		jobsPerRun := rounds * n * slots // each slot answers about rounds questions
		sent := map[string]time.Time{}
		for i := range jobsPerRun {
			id := strconv.Itoa(800000000000000000 + n*10000 + i)
			sent[id] = time.Now()
			_, err := pub.Publish(ctx, scale.Job{Kind: scale.KindAsk, ID: id, Channel: "200000000000000001", Message: id, User: "u" + id,
				Question: "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?", Lang: "fr"})
			if err != nil {
				t.Fatal(err)
			}
		}
		posts, err := fake.WaitRequests(ctx, jobsPerRun, discordtest.MatchRoute("POST", "/channels/{id}/messages"))
		if err != nil {
			t.Fatal(err)
		}
		var lat []time.Duration
		var first, last time.Time
		for _, p := range posts {
			var m struct {
				Ref struct {
					ID string `json:"message_id"`
				} `json:"message_reference"`
			}
			p.JSON(&m)
			lat = append(lat, p.Time.Sub(sent[m.Ref.ID]))
			if first.IsZero() || sent[m.Ref.ID].Before(first) {
				first = sent[m.Ref.ID]
			}
			last = later(last, p.Time)
		}
		slices.Sort(lat)
		perMin := float64(jobsPerRun) / last.Sub(first).Minutes()
		t.Logf("%-8d %-6d %-12.1f %-10v %-10v", n, jobsPerRun, perMin, lat[len(lat)/2].Round(10*time.Millisecond), lat[len(lat)*95/100].Round(10*time.Millisecond))
		pub.Close()
		stop()
		cancel()
	}
}

// slowModel is a proxy to the scripted model at base that holds every
// answer (not the rewrites) for d first, as a model writing its answer
// would; the scripted model itself answers one request at a time.
func slowModel(t *testing.T, base string, d time.Duration) string {
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.URL.Path = strings.TrimPrefix(r.URL.Path, "/v1")
		if !bytes.Contains(body, []byte("TRANSLATION:")) {
			time.Sleep(d)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// startWorkers runs n workers of citebot worker in this process.
func startWorkers(t *testing.T, ctx context.Context, getenv func(string) string, url string, fake *discordtest.Server, n, slots int) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, n)
	for i := range n {
		e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: getenv, name: "worker"}
		if _, err := e.parse(e.flags(""), nil); err != nil {
			t.Fatal(err)
		}
		go func() {
			done <- e.serveWorker(ctx, workerSettings{natsURL: url, slots: slots, scatter: time.Second, replicas: 1,
				ackWait: 30 * time.Second, attempts: 3, token: fmt.Sprint("token-", i), discordHC: fake.Client()})
		}()
	}
	return func() {
		cancel()
		for range n {
			if err := <-done; err != nil {
				t.Errorf("worker: %v", err)
			}
		}
	}
}

// benchWorkers are the worker counts measured: CITEBOT_SCALE_WORKERS
// (comma-separated), or 1 to 32.
func benchWorkers() []int {
	var out []int
	for _, f := range splitList(os.Getenv("CITEBOT_SCALE_WORKERS")) {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []int{1, 2, 4, 8, 16, 32}
	}
	return out
}
