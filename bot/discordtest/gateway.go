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
	conns map[*gwConn]bool
	// shards are the gateway sessions by shard ID, each made by the first
	// IDENTIFY naming its shard (an IDENTIFY without one is shard 0 of 1).
	shards map[int]*shardSession
	// advice is what GET /gateway/bot recommends: a shard count and how
	// many shards may identify at once (SetShardAdvice).
	advice     [2]int
	sessions   int
	identifies int
	resumes    int
	heartbeats int
	// identified is the shard of every IDENTIFY, in order of arrival.
	identified   []int
	lastIdentify map[string]any
}

func (g *gatewayState) all() []*gwConn {
	out := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		out = append(out, c)
	}
	return out
}

// shardSession is one shard's gateway session: its ID (RESUME must name
// it), the last sequence number sent in it and the connection dispatches
// go to.
type shardSession struct {
	id, count int
	sessionID string
	seq       int64
	cur       *gwConn
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
	handshook bool          // READY or RESUMED sent
	beats     int           // heartbeats received
	shard     *shardSession // set by IDENTIFY or RESUME
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

// forget drops a finished connection; a shard that loses its current
// connection is no longer ready.
func (s *Server) forget(c *gwConn) {
	c.ws.Close()
	s.mu.Lock()
	delete(s.gw.conns, c)
	if c.shard != nil && c.shard.cur == c {
		c.shard.cur = nil
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

// identify starts a new session for the shard IDENTIFY names (shard 0 of
// 1 when it names none), answering READY and the GUILD_CREATE of the
// default guild when it is on that shard, as Discord does. A shard out
// of range is closed with 4010, Discord's "Invalid shard".
func (s *Server) identify(c *gwConn, raw json.RawMessage) error {
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		return fmt.Errorf("decode identify: %w", err)
	}
	id, count, ok := identifyShard(payload)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !ok {
		msg := websocket.FormatCloseMessage(4010, "Invalid shard")
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(10*time.Second))
		return errors.New("invalid shard")
	}
	s.mu.Lock()
	s.gw.identifies++
	s.gw.sessions++
	s.gw.lastIdentify = payload
	s.gw.identified = append(s.gw.identified, id)
	if s.gw.shards == nil {
		s.gw.shards = map[int]*shardSession{}
	}
	sh := s.gw.shards[id]
	if sh == nil {
		sh = &shardSession{id: id}
		s.gw.shards[id] = sh
	}
	sh.count, sh.seq = count, 2 // READY, then GUILD_CREATE
	sh.sessionID = "fake-session-" + strconv.Itoa(s.gw.sessions)
	c.shard = sh
	sessionID := sh.sessionID
	s.mu.Unlock()
	var guilds []any
	if ShardOf(guildID, count) == id {
		guilds = append(guilds, map[string]any{"id": guildID, "unavailable": true})
	}
	ready := map[string]any{
		"v":                  c.version,
		"user":               s.BotUser(),
		"session_id":         sessionID,
		"resume_gateway_url": s.wsURL,
		"application":        map[string]any{"id": appID, "flags": 0},
		"guilds":             append([]any{}, guilds...),
		"private_channels":   []any{},
		"shard":              []int{id, count},
	}
	if err := c.send(opDispatch, "READY", 1, ready); err != nil {
		return err
	}
	// As on Discord, a guild READY listed as unavailable follows in a
	// GUILD_CREATE, which lets discordgo's state hold its channels.
	if len(guilds) > 0 {
		guild := map[string]any{"id": guildID, "name": "discordtest", "channels": []any{}, "threads": []any{}, "members": []any{}, "roles": []any{}}
		if err := c.send(opDispatch, "GUILD_CREATE", 2, guild); err != nil {
			return err
		}
	}
	s.markReady(c)
	return nil
}

// resume answers RESUMED when the session ID is a shard's current one,
// and an invalid session (d:false) otherwise, which makes discordgo
// identify.
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
	var sh *shardSession
	for _, cand := range s.gw.shards {
		if p.SessionID != "" && cand.sessionID == p.SessionID {
			sh = cand
		}
	}
	var seq int64
	if sh != nil {
		s.gw.resumes++
		sh.seq++
		seq, c.shard = sh.seq, sh
	}
	s.mu.Unlock()
	if sh == nil {
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

// promoteLocked makes c its shard's current connection once the
// handshake is done and discordgo's Open has returned (its first
// heartbeat arrived). Dropping a connection earlier races discordgo's
// heartbeat and listen goroutines into two reconnects, so WaitReady does
// not report it ready before.
func (s *Server) promoteLocked(c *gwConn) {
	if s.gw.conns[c] && c.handshook && c.beats > 0 && c.shard != nil {
		c.shard.cur = c
	}
}
