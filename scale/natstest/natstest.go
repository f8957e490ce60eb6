// Package natstest runs real NATS servers with JetStream inside a Go test:
// one server on a random loopback port with its storage in a temporary
// directory, which a test can stop and start again on the same port and
// the same storage (what survives a restart is what survives on disk),
// and clusters of several such servers routed to each other on loopback
// ports, for tests that stop one node and expect the rest to carry on.
//
// Nothing here is faked: it is nats-server's own code, the same that the
// nats-server binary runs.
package natstest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// readyTimeout bounds how long a server may take to accept connections,
// and a cluster to elect its JetStream leader: a bound on a failure, not
// a timing a test depends on.
const readyTimeout = 30 * time.Second

// Server is one nats-server with JetStream, stopped at the end of the test.
type Server struct {
	t    testing.TB
	opts server.Options
	srv  *server.Server
}

// Start runs a JetStream server for the duration of the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, opts: server.Options{
		ServerName: "citebot-test",
		Host:       "127.0.0.1",
		Port:       freePort(t),
		JetStream:  true,
		StoreDir:   t.TempDir(),
		NoLog:      true,
		NoSigs:     true,
	}}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server (again): same port, same storage.
func (s *Server) Start() {
	s.t.Helper()
	if s.srv != nil && s.srv.Running() {
		return
	}
	opts := s.opts // nats-server keeps and changes the options it is given
	srv, err := server.NewServer(&opts)
	if err != nil {
		s.t.Fatalf("nats server: %v", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(readyTimeout) {
		s.t.Fatalf("nats server %s not ready", s.opts.ServerName)
	}
	s.srv = srv
}

// Stop shuts the server down and waits until it is gone; what JetStream
// stored stays in the store directory for the next Start.
func (s *Server) Stop() {
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}

// URL is where clients connect: the same across restarts.
func (s *Server) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.opts.Port) }

// Running reports whether the server is up.
func (s *Server) Running() bool { return s.srv != nil && s.srv.Running() }

// Cluster is several servers routed to each other, JetStream clustered
// across them, so that streams can keep three replicas.
type Cluster struct {
	Nodes []*Server
}

// StartCluster runs an n-node JetStream cluster on loopback ports for the
// duration of the test and waits until JetStream answers through it.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	routes := make([]int, n)
	for i := range routes {
		routes[i] = freePort(t)
	}
	var urls []string
	for _, p := range routes {
		urls = append(urls, "nats-route://127.0.0.1:"+strconv.Itoa(p))
	}
	c := &Cluster{}
	for i := range n {
		s := &Server{t: t, opts: server.Options{
			ServerName: fmt.Sprintf("citebot-node-%d", i+1),
			Host:       "127.0.0.1",
			Port:       freePort(t),
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoLog:      true,
			NoSigs:     true,
			Cluster:    server.ClusterOpts{Name: "citebot-test", Host: "127.0.0.1", Port: routes[i]},
			Routes:     routesExcept(urls, i),
		}}
		c.Nodes = append(c.Nodes, s)
		t.Cleanup(s.Stop)
	}
	// Each node waits for its peers before it is ready: start them all
	// before waiting on any.
	done := make(chan *Server, n)
	for _, s := range c.Nodes {
		go func() { s.Start(); done <- s }()
	}
	for range n {
		<-done
	}
	c.waitJetStream(t)
	return c
}

// URLs lists every node's client URL, comma-separated, as nats.Connect
// takes them: a client fails over to another node when its own stops.
func (c *Cluster) URLs() string {
	var out []string
	for _, s := range c.Nodes {
		out = append(out, s.URL())
	}
	return strings.Join(out, ",")
}

// waitJetStream waits until the cluster can place a stream on every node:
// its JetStream meta leader elected and every peer known to it (a leader
// alone answers account requests, yet refuses a stream of n replicas with
// "no suitable peers for placement" until then). It creates and deletes
// such a stream until that works. The election happens inside the
// servers, which signal nothing a test could wait on, hence the polling;
// it is bounded by readyTimeout.
func (c *Cluster) waitJetStream(t testing.TB) {
	t.Helper()
	nc, err := nats.Connect(c.URLs())
	if err != nil {
		t.Fatalf("connect to the cluster: %v", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		ask, stop := context.WithTimeout(ctx, time.Second)
		_, err := js.CreateStream(ask, jetstream.StreamConfig{Name: "CITEBOT_READY", Subjects: []string{"citebot.ready"},
			Storage: jetstream.MemoryStorage, Replicas: len(c.Nodes)})
		if err == nil {
			err = js.DeleteStream(ask, "CITEBOT_READY")
		}
		stop()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the cluster's JetStream never became available: %v", err)
		case <-tick.C:
		}
	}
}

func routesExcept(urls []string, i int) []*url.URL {
	var out []string
	for j, u := range urls {
		if j != i {
			out = append(out, u)
		}
	}
	return server.RoutesFromStr(strings.Join(out, ","))
}

// freePort asks the system for a free loopback port. A server started
// later on it could in principle lose it to another process; ports are
// chosen ahead because a restarted server must come back on the same one,
// and every node of a cluster must know its peers' before any starts.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
