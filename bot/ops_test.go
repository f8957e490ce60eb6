package bot

import (
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// opsClient opens a new connection per request, so a request after
// shutdown cannot ride on a connection kept alive from before.
var opsClient = &http.Client{
	Timeout:   5 * time.Second,
	Transport: &http.Transport{DisableKeepAlives: true},
}

// opsDo sends method url and returns the status and body.
func opsDo(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := opsClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: got %v, want a response", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp.StatusCode, string(body)
}

// opsServe starts the endpoint on a free loopback port for the test's
// lifetime and returns its base URL.
func opsServe(t *testing.T, m *botMetrics, healthy func() bool) string {
	t.Helper()
	var h health
	if healthy != nil {
		h = func() (bool, string) { return healthy(), "" }
	}
	addr, err := serveOps(t.Context(), "127.0.0.1:0", m, h, nil)
	if err != nil {
		t.Fatalf("serveOps: got %v, want nil", err)
	}
	return "http://" + addr.String()
}

func TestServeOpsHealthz(t *testing.T) {
	var healthy atomic.Bool
	base := opsServe(t, newBotMetrics(), healthy.Load)
	steps := []struct {
		name       string
		healthy    bool
		wantStatus int
		wantBody   string
	}{
		{"healthy", true, http.StatusOK, "ok\n"},
		{"unhealthy", false, http.StatusServiceUnavailable, "unhealthy\n"},
		{"healthy again", true, http.StatusOK, "ok\n"},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			healthy.Store(tt.healthy)
			status, body := opsDo(t, http.MethodGet, base+"/healthz")
			if status != tt.wantStatus || body != tt.wantBody {
				t.Errorf("GET /healthz: got %d %q, want %d %q", status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestServeOpsRoutes(t *testing.T) {
	base := opsServe(t, newBotMetrics(), nil)
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/healthz", http.StatusOK},
		{http.MethodHead, "/healthz", http.StatusOK},
		{http.MethodGet, "/metrics", http.StatusOK},
		{http.MethodGet, "/", http.StatusNotFound},
		{http.MethodGet, "/healthz/", http.StatusNotFound},
		{http.MethodGet, "/debug/pprof/", http.StatusNotFound},
		{http.MethodPost, "/healthz", http.StatusNotFound},
		{http.MethodDelete, "/metrics", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			if status, _ := opsDo(t, tt.method, base+tt.path); status != tt.want {
				t.Errorf("got %d, want %d", status, tt.want)
			}
		})
	}
}

func TestServeOpsMetrics(t *testing.T) {
	m := newBotMetrics()
	base := opsServe(t, m, nil)
	m.questions.WithLabelValues("slash", "answered").Inc()
	m.questions.WithLabelValues("message", "rate_limited").Add(2)
	m.feedback.WithLabelValues("up").Inc()
	m.latency.WithLabelValues("generate").Observe(1.5)
	m.inflight.Set(3)

	status, body := opsDo(t, http.MethodGet, base+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: got %d, want 200", status)
	}
	want := []string{
		`citebot_questions_total{outcome="answered",source="slash"} 1`,
		`citebot_questions_total{outcome="rate_limited",source="message"} 2`,
		`citebot_questions_total{outcome="queue_full",source="message"} 0`,
		`citebot_feedback_total{vote="up"} 1`,
		`citebot_feedback_total{vote="down"} 0`,
		`citebot_stage_seconds_bucket{stage="generate",le="2.5"} 1`,
		`citebot_stage_seconds_bucket{stage="retrieve",le="0.01"} 0`,
		`citebot_stage_seconds_bucket{stage="total",le="60"} 0`,
		`citebot_answers_in_flight 3`,
		`citebot_answers_queued 0`,
		`go_goroutines `,
	}
	if runtime.GOOS == "linux" {
		want = append(want, "process_start_time_seconds ")
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("GET /metrics: got no line with %q, want one", w)
		}
	}
}

// gaugeValue reads a gauge from the bot's registry, as a scrape would.
func gaugeValue(t *testing.T, m *botMetrics, name string) float64 {
	t.Helper()
	families, err := m.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("got no gauge %s in the registry, want one", name)
	return 0
}

func TestServeOpsStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addr, done, err := startOps(ctx, "127.0.0.1:0", newBotMetrics(), nil, nil)
	if err != nil {
		t.Fatalf("startOps: got %v, want nil", err)
	}
	url := "http://" + addr.String() + "/healthz"
	if status, _ := opsDo(t, http.MethodGet, url); status != http.StatusOK {
		t.Fatalf("before cancel: got %d, want 200", status)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * opsShutdownTimeout):
		t.Fatalf("after cancel: got the server still running after %v, want it stopped", 2*opsShutdownTimeout)
	}
	if resp, err := opsClient.Get(url); err == nil {
		resp.Body.Close()
		t.Errorf("after shutdown: got %s, want the request to fail", resp.Status)
	}
}

func TestServeOpsListenErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name, addr string
	}{
		{"address in use", busy.Addr().String()},
		{"malformed address", "127.0.0.1:notaport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, err := serveOps(t.Context(), tt.addr, newBotMetrics(), nil, nil)
			if err == nil || addr != nil {
				t.Errorf("serveOps(%q): got %v, %v, want nil and an error", tt.addr, addr, err)
			}
		})
	}
}
