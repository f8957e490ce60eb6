package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/scale"
	"github.com/citebot/citebot/scale/natstest"
)

const gatewayQuestion = "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?"

// scaledOut is one NATS server and one fake Discord with the environment
// the citebot processes run against them share.
type scaledOut struct {
	nats *natstest.Server
	fake *discordtest.Server
	vars map[string]string
}

func newScaledOut(t *testing.T, vars map[string]string) *scaledOut {
	t.Helper()
	s := &scaledOut{nats: natstest.Start(t), fake: discordtest.New(t),
		vars: map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "HOME": t.TempDir()}}
	for k, v := range vars {
		s.vars[k] = v
	}
	return s
}

func (s *scaledOut) getenv(k string) string { return s.vars[k] }

// scaleContext bounds a test's waits: a failure, not a timing.
func scaleContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// process is a citebot process run in the test: a gateway or a worker.
type process struct {
	stop func() // stops it and checks it returned without an error
	logs *syncWriter
}

// syncWriter is a buffer a process's goroutines and the test share.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// env is a process's environment, parsed as the commands parse it.
func (s *scaledOut) env(t *testing.T, name string, logs *syncWriter) *env {
	t.Helper()
	e := &env{stdout: &bytes.Buffer{}, stderr: logs, getenv: s.getenv, name: name}
	if _, err := e.parse(e.flags(""), []string{"-v"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// gateway runs `citebot discord` with CITEBOT_NATS_URL against the fake
// Discord (or fake, when given) and returns once it has registered its
// commands and its session is up.
func (s *scaledOut) gateway(t *testing.T, fake *discordtest.Server, edit func(*discordSettings)) *process {
	t.Helper()
	if fake == nil {
		fake = s.fake
	}
	logs := &syncWriter{}
	e := s.env(t, "discord", logs)
	st := discordSettings{token: "test-token", natsURL: s.nats.URL(), replicas: 1, rate: 4, conc: 2, hostDelay: time.Second,
		minCov: 0.5, discordHC: fake.Client(), retention: 90 * 24 * time.Hour}
	if edit != nil {
		edit(&st)
	}
	registered := discordtest.MatchRoute("PUT", "/applications/{app}/commands")
	before := len(matching(fake.Requests(), registered))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.serveDiscord(ctx, st) }()
	wait := scaleContext(t)
	if _, err := fake.WaitRequests(wait, before+1, registered); err != nil {
		cancel()
		t.Fatalf("the gateway did not connect: %v\n%s", err, logs)
	}
	if err := fake.WaitReady(wait); err != nil {
		t.Fatal(err)
	}
	p := &process{logs: logs}
	p.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("gateway: %v\n%s", err, logs)
		}
	})
	t.Cleanup(p.stop)
	return p
}

// worker runs `citebot worker` against the fake Discord.
func (s *scaledOut) worker(t *testing.T, edit func(*workerSettings)) *process {
	t.Helper()
	logs := &syncWriter{}
	e := s.env(t, "worker", logs)
	ws := workerSettings{natsURL: s.nats.URL(), slots: 2, scatter: time.Second, replicas: 1, ackWait: 10 * time.Second,
		attempts: 3, minCov: 0.5, token: "test-token", discordHC: s.fake.Client()}
	if edit != nil {
		edit(&ws)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.serveWorker(ctx, ws) }()
	p := &process{logs: logs}
	p.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v\n%s", err, logs)
		}
	})
	t.Cleanup(p.stop)
	return p
}

// pending is how many jobs wait in the queue, unacknowledged.
func (s *scaledOut) pending(t *testing.T) uint64 {
	t.Helper()
	c, err := scale.Connect(scaleContext(t), s.nats.URL(), scale.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.Pending(scaleContext(t))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func matching(rs []discordtest.Request, match func(discordtest.Request) bool) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range rs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// sent is the message payload of a recorded request: a channel message,
// an interaction response or a webhook edit.
type sent struct {
	Type       int               `json:"type"`
	Content    string            `json:"content"`
	Embeds     []json.RawMessage `json:"embeds"`
	Components []json.RawMessage `json:"components"`
	Data       *struct {
		Content string            `json:"content"`
		Embeds  []json.RawMessage `json:"embeds"`
		Flags   int               `json:"flags"`
	} `json:"data"`
}

func decodeSent(t *testing.T, r discordtest.Request) sent {
	t.Helper()
	var s sent
	if err := r.JSON(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// answered reports whether a payload is a cited answer with its sources
// and buttons.
func (s sent) answered() bool {
	return strings.Contains(s.Content, "[1]") && len(s.Embeds) > 0 && len(s.Components) > 0
}
