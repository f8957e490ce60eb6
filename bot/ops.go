package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// opsShutdownTimeout bounds the graceful shutdown of the operations
// endpoint, so a stuck scrape cannot hold the bot's exit.
const opsShutdownTimeout = 5 * time.Second

// botMetrics are the Prometheus metrics of the bot, registered on a private
// registry rather than the global one, so tests and several bots in one
// process never collide and nothing is registered behind our back.
type botMetrics struct {
	questions *prometheus.CounterVec   // citebot_questions_total{source="message|slash", outcome="answered|refused|rate_limited|queue_full|error|dispatched"}
	feedback  *prometheus.CounterVec   // citebot_feedback_total{vote="up|down"}
	latency   *prometheus.HistogramVec // citebot_stage_seconds{stage="retrieve|generate|discord|total"}
	inflight  prometheus.Gauge         // citebot_answers_in_flight
	queued    prometheus.Gauge         // citebot_answers_queued
	registry  *prometheus.Registry     // also holds the Go and process collectors
}

// newBotMetrics creates and registers the metrics. Every known label
// combination starts at zero, so dashboards and rate() see a series from
// the first scrape instead of only after the first event of each kind.
func newBotMetrics() *botMetrics {
	m := &botMetrics{
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "citebot_questions_total",
			Help: "Questions received, by where they came from and what became of them.",
		}, []string{"source", "outcome"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "citebot_feedback_total",
			Help: "Votes given to answers.",
		}, []string{"vote"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "citebot_stage_seconds",
			Help: "Time spent answering a question, by stage.",
			// From a 10ms retrieval to a 60s LLM answer.
			Buckets: []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60},
		}, []string{"stage"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "citebot_answers_in_flight",
			Help: "Answers being produced now.",
		}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "citebot_answers_queued",
			Help: "Questions waiting for an answer slot.",
		}),
		registry: prometheus.NewRegistry(),
	}
	m.registry.MustRegister(m.questions, m.feedback, m.latency, m.inflight, m.queued,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, source := range []string{"message", "slash"} {
		for _, outcome := range []string{"answered", "refused", "rate_limited", "queue_full", "error", "dispatched"} {
			m.questions.WithLabelValues(source, outcome)
		}
	}
	for _, vote := range []string{feedbackUp, feedbackDown} {
		m.feedback.WithLabelValues(vote)
	}
	for _, stage := range []string{"retrieve", "generate", "discord", "total"} {
		m.latency.WithLabelValues(stage)
	}
	return m
}

// observeGate sets the in-flight and queued gauges; the gate calls it on
// every change of its counts.
func (m *botMetrics) observeGate(running, waiting int) {
	m.inflight.Set(float64(running))
	m.queued.Set(float64(waiting))
}

// health says whether the bot is up (connected, not stopping) and, in a
// line, what works only in part (the store); /healthz shows both.
type health func() (ok bool, degraded string)

// serveOps serves GET /healthz (200 "ok" while health says ok, 503
// otherwise, text body, with a second line saying what is degraded) and GET /metrics (promhttp for the registry) on
// addr (e.g. "127.0.0.1:9090"; ":0" in tests) until ctx ends, then shuts
// down gracefully (bounded by 5s). It returns the address actually
// listened on, and an error if listening fails. Everything else is 404.
// It is off unless the operator gives an address, since it exposes
// internals; bind it to loopback or a private network.
func serveOps(ctx context.Context, addr string, m *botMetrics, healthy health, log *slog.Logger) (net.Addr, error) {
	a, _, err := startOps(ctx, addr, m, healthy, log)
	return a, err
}

// startOps is serveOps that also returns a channel closed once the server
// has shut down, for callers (and tests) that must know it has stopped.
func startOps(ctx context.Context, addr string, m *botMetrics, healthy health, log *slog.Logger) (net.Addr, <-chan struct{}, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("ops endpoint: %w", err)
	}
	errLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srv := &http.Server{
		Handler:           opsHandler(m, healthy, errLog),
		ReadHeaderTimeout: 5 * time.Second, // no slowloris
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          errLog,
	}
	done := make(chan struct{})
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("ops endpoint failed", "addr", ln.Addr().String(), "err", err)
		}
	}()
	go func() {
		defer close(done)
		<-ctx.Done()
		shutdownOps(srv, log)
		<-served
	}()
	log.Info("ops endpoint listening", "addr", ln.Addr().String())
	return ln.Addr(), done, nil
}

// shutdownOps lets requests in progress finish for opsShutdownTimeout,
// then closes whatever is left.
func shutdownOps(srv *http.Server, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), opsShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("ops endpoint: graceful shutdown cut short", "err", err)
		srv.Close()
	}
	log.Info("ops endpoint stopped")
}

// opsHandler routes the two endpoints. The catch-all makes every other
// path and method a 404, so the endpoint reveals nothing else.
func opsHandler(m *botMetrics, healthy health, errLog promhttp.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ok, degraded := true, ""
		if healthy != nil {
			ok, degraded = healthy()
		}
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "unhealthy")
		} else {
			fmt.Fprintln(w, "ok")
		}
		if degraded != "" {
			fmt.Fprintln(w, "degraded:", degraded)
		}
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog: errLog,
		Registry: m.registry, // counts its own errors
		Timeout:  10 * time.Second,
	}))
	mux.Handle("/", http.NotFoundHandler())
	return mux
}
