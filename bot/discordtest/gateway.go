package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes used by the fake.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatAck   = 11
)

// ErrNotConnected is returned by Dispatch when no session is connected and
// ready, since an event sent then would be lost; wait with WaitReady first.
var ErrNotConnected = errors.New("discordtest: no ready gateway connection")

var errServerClosed = errors.New("discordtest: server closed")

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// gatewayState is guarded by Server.mu.
type gatewayState struct {
	conns        map[*gwConn]bool
	cur          *gwConn // the connection dispatches go to
	sessionID    string  // of the last IDENTIFY; RESUME must name it
	seq          int64   // last sequence number sent in this gateway session
	sessions     int
	identifies   int
	resumes      int
	heartbeats   int
	lastIdentify map[string]any
}

func (g *gatewayState) all() []*gwConn {
	out := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		out = append(out, c)
	}
	return out
}

// gwConn is one websocket. Only its handler goroutine reads; writes from
// that goroutine and from Dispatch are serialised by wmu. Lock order is
// wmu before Server.mu.
type gwConn struct {
	ws      *websocket.Conn
	version int
	wmu     sync.Mutex
	// Guarded by Server.mu. A connection becomes current once both hold:
	// discordgo starts its heartbeat goroutine only when Open has returned,
	// so its first heartbeat says the session is fully up.
	handshook bool // READY or RESUMED sent
	beats     int  // heartbeats received
}

type gatewayFrame struct {
	Op   int             `json:"op"`
	Data json.RawMessage `json:"d"`
	Seq  *int64          `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
}

func (c *gwConn) send(op int, typ string, seq int64, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("marshal %s payload: %w", typ, err)
	}
	f := gatewayFrame{Op: op, Data: raw, Type: typ}
	if op == opDispatch {
		f.Seq = &seq
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteJSON(f)
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	version, _ := strconv.Atoi(r.URL.Query().Get("v"))
	c := &gwConn{ws: ws, version: version}
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		ws.Close()
		return
	default:
	}
	if s.gw.conns == nil {
		s.gw.conns = map[*gwConn]bool{}
	}
	s.gw.conns[c] = true
	s.readers.Add(1)
	s.mu.Unlock()
	defer s.readers.Done()
	defer s.forget(c)

	c.wmu.Lock()
	err = c.send(opHello, "", 0, map[string]any{"heartbeat_interval": 45000})
	c.wmu.Unlock()
	if err != nil {
		return
	}
	for {
		var f gatewayFrame
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		if err := s.handleFrame(c, f); err != nil {
			return
		}
	}
}

// forget drops a finished connection; a session that loses its current
// connection is no longer ready.
func (s *Server) forget(c *gwConn) {
	c.ws.Close()
	s.mu.Lock()
	delete(s.gw.conns, c)
	if s.gw.cur == c {
		s.gw.cur = nil
	}
	s.broadcastLocked()
	s.mu.Unlock()
}

func (s *Server) handleFrame(c *gwConn, f gatewayFrame) error {
	switch f.Op {
	case opHeartbeat:
		s.mu.Lock()
		s.gw.heartbeats++
		c.beats++
		s.promoteLocked(c)
		s.broadcastLocked()
		s.mu.Unlock()
		c.wmu.Lock()
		defer c.wmu.Unlock()
		return c.send(opHeartbeatAck, "", 0, nil)
	case opIdentify:
		return s.identify(c, f.Data)
	case opResume:
		return s.resume(c, f.Data)
	}
	return nil // presence updates, member requests…: accepted, ignored
}

func (s *Server) identify(c *gwConn, raw json.RawMessage) error {
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		return fmt.Errorf("decode identify: %w", err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.mu.Lock()
	s.gw.identifies++
	s.gw.sessions++
	s.gw.lastIdentify = payload
	s.gw.sessionID = "fake-session-" + strconv.Itoa(s.gw.sessions)
	s.gw.seq = 1
	sessionID := s.gw.sessionID
	s.mu.Unlock()
	ready := map[string]any{
		"v":                  c.version,
		"user":               s.BotUser(),
		"session_id":         sessionID,
		"resume_gateway_url": s.wsURL,
		"application":        map[string]any{"id": appID, "flags": 0},
		"guilds":             []any{map[string]any{"id": guildID, "unavailable": true}},
		"private_channels":   []any{},
		"shard":              []int{0, 1},
	}
	if err := c.send(opDispatch, "READY", 1, ready); err != nil {
		return err
	}
	// As on Discord, the guild READY listed as unavailable follows in a
	// GUILD_CREATE, which lets discordgo's state hold its channels.
	s.mu.Lock()
	s.gw.seq++
	seq := s.gw.seq
	s.mu.Unlock()
	guild := map[string]any{"id": guildID, "name": "discordtest", "channels": []any{}, "threads": []any{}, "members": []any{}, "roles": []any{}}
	if err := c.send(opDispatch, "GUILD_CREATE", seq, guild); err != nil {
		return err
	}
	s.markReady(c)
	return nil
}

// resume answers RESUMED when the session ID is the current one, and an
// invalid session (d:false) otherwise, which makes discordgo identify.
func (s *Server) resume(c *gwConn, raw json.RawMessage) error {
	var p struct {
		SessionID string `json:"session_id"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("decode resume: %w", err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.mu.Lock()
	ok := p.SessionID != "" && p.SessionID == s.gw.sessionID
	if ok {
		s.gw.resumes++
		s.gw.seq++
	}
	seq := s.gw.seq
	s.mu.Unlock()
	if !ok {
		return c.send(opInvalidSession, "", 0, false)
	}
	if err := c.send(opDispatch, "RESUMED", seq, map[string]any{}); err != nil {
		return err
	}
	s.markReady(c)
	return nil
}

// markReady records that the handshake on c completed.
func (s *Server) markReady(c *gwConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.handshook = true
	s.promoteLocked(c)
	s.broadcastLocked()
}

// promoteLocked makes c the current connection once the handshake is done
// and discordgo's Open has returned (its first heartbeat arrived). Dropping
// a connection earlier races discordgo's heartbeat and listen goroutines
// into two reconnects, so WaitReady does not report it ready before.
func (s *Server) promoteLocked(c *gwConn) {
	if s.gw.conns[c] && c.handshook && c.beats > 0 {
		s.gw.cur = c
	}
}
