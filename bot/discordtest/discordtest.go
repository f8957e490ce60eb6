// Package discordtest is a local fake of Discord's REST API and gateway that
// the real discordgo Session connects to, so that the bot can be tested end
// to end (events in, REST calls out) without the internet and without
// mocking discordgo itself.
//
// The fake speaks the same wire protocol discordgo v0.29.0 uses: the REST
// calls arrive under /api/v9 (discordgo's APIVersion; routes here ignore the
// version, so /api/v10 patterns match too), and the gateway is a plain-text
// JSON websocket even when IDENTIFY asks for compression, which discordgo
// accepts. Every wait is bounded by a context; nothing sleeps.
package discordtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	botID   = "100000000000000001"
	appID   = "100000000000000001"
	guildID = "300000000000000001"

	// discordEpoch is the first millisecond of 2015, where snowflakes start.
	discordEpoch = 1420070400000
)

// Server is one fake Discord: REST and gateway share a single httptest
// server so that one Attach points a whole Session at it. It is safe for
// concurrent use; tests inspect it while discordgo's goroutines use it.
type Server struct {
	t     testing.TB
	srv   *httptest.Server
	wsURL string

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	done    chan struct{} // closed when the server shuts down
	lastID  int64

	gw   gatewayState
	rest restState

	readers sync.WaitGroup // one per websocket connection
}

// New starts a fake Discord for the duration of the test. Its cleanup
// closes the websocket connections and wakes every waiter before shutting
// the HTTP server down, so nothing stays blocked after the test.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:       t,
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}
	s.rest.init()
	s.rest.defaults = s.defaultRoutes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.wsURL = "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/gateway"
	t.Cleanup(s.close)
	return s
}

func (s *Server) close() {
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		return
	default:
	}
	close(s.done)
	conns := s.gw.all()
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.NetConn().Close()
	}
	s.readers.Wait()
	s.srv.Close()
}

// Attach points sess at the fake: every HTTP request it makes, whatever
// the host (discord.com, cdn.discordapp.com…), goes to this server, and the
// gateway URL it is given is this server's websocket. It also closes sess
// in the test's cleanup, which runs before the server's own, so a session
// left open does not spin in discordgo's reconnect loop against a dead
// server. Closing it earlier in the test is fine.
func (s *Server) Attach(sess *discordgo.Session) {
	sess.Client = s.Client()
	s.t.Cleanup(func() { _ = sess.Close() })
}

// Client is an HTTP client that sends every request to the fake, for code
// that creates its own session (set it as the session's Client).
func (s *Server) Client() *http.Client {
	return &http.Client{
		Transport: rewriteTransport{host: s.srv.Listener.Addr().String(), base: s.srv.Client().Transport},
		Timeout:   30 * time.Second,
	}
}

// rewriteTransport sends every request to the fake, keeping the original
// host in X-Forwarded-Host so recorded requests can tell CDN from API.
type rewriteTransport struct {
	host string
	base http.RoundTripper
}

func (rt rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-Host", r.URL.Host)
	r.URL.Scheme = "http"
	r.URL.Host = rt.host
	r.Host = rt.host
	return rt.base.RoundTrip(r)
}

// BotUser is the user READY announces, so tests can build mentions of the
// bot (BotUser().Mention()) and check authorship of what it sends.
func (s *Server) BotUser() *discordgo.User {
	return &discordgo.User{ID: botID, Username: "citebot", Discriminator: "0", Bot: true}
}

// AppID is the application ID in READY and in every interaction, which
// discordgo uses for webhook (follow-up) and command routes.
func (s *Server) AppID() string { return appID }

// GuildID is the guild that default channels and threads belong to; pass
// it to the event helpers for guild events (an empty guild means a DM).
func (s *Server) GuildID() string { return guildID }

// NewID returns a fresh snowflake, increasing and embedding the current
// time like Discord's, for IDs a test needs to invent.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}

func (s *Server) newIDLocked() string {
	id := (time.Now().UnixMilli() - discordEpoch) << 22
	if id <= s.lastID {
		id = s.lastID + 1
	}
	s.lastID = id
	return strconv.FormatInt(id, 10)
}

// broadcastLocked wakes every waiter; callers hold s.mu.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond (called with s.mu held) is true, ctx ends or the
// server closes.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return errServerClosed
		}
	}
}
