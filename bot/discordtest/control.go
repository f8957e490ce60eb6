package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
)

// WaitReady blocks until every shard that has identified has a gateway
// connection that completed its handshake (HELLO, then IDENTIFY answered
// by READY or RESUME answered by RESUMED), on which discordgo has sent its
// first heartbeat (which it does only once Open has returned), and that
// is still up; an unsharded session is shard 0. After DropConnection it
// waits for the reconnect, so a test can drop, wait, and dispatch again
// without guessing at timing. Call it before DropConnection too:
// dropping a connection while discordgo's Open is still finishing makes
// discordgo reconnect twice, closing the first new connection.
func (s *Server) WaitReady(ctx context.Context) error {
	err := s.wait(ctx, func() bool {
		for _, sh := range s.gw.shards {
			if sh.cur == nil {
				return false
			}
		}
		return len(s.gw.shards) > 0
	})
	if err != nil {
		return fmt.Errorf("wait for gateway ready: %w", err)
	}
	return nil
}

// Dispatch sends an op-0 event with the next sequence number of its
// shard's session, as Discord would: the shard of the guild_id the event
// carries (guild_id >> 22 modulo the shard count), shard 0 for an event
// of no guild (a DM). data is marshalled as the "d" field (a
// *discordgo.Message for MESSAGE_CREATE, a *discordgo.Interaction for
// INTERACTION_CREATE, or any map). Delivery to handlers is asynchronous
// in discordgo, so tests signal back from their handlers through channels.
func (s *Server) Dispatch(event string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("dispatch %s: %w", event, err)
	}
	var ev struct {
		GuildID string `json:"guild_id"`
	}
	_ = json.Unmarshal(raw, &ev) // not an object: no guild
	s.mu.Lock()
	sh := s.shardForLocked(ev.GuildID)
	var c *gwConn
	if sh != nil {
		c = sh.cur
	}
	s.mu.Unlock()
	if c == nil {
		return fmt.Errorf("dispatch %s: %w", event, ErrNotConnected)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.mu.Lock()
	if sh.cur != c {
		s.mu.Unlock()
		return fmt.Errorf("dispatch %s: %w", event, ErrNotConnected)
	}
	sh.seq++
	seq := sh.seq
	s.mu.Unlock()
	if err := c.send(opDispatch, event, seq, json.RawMessage(raw)); err != nil {
		return fmt.Errorf("dispatch %s: %w", event, err)
	}
	return nil
}

// DropConnection closes shard 0's websocket (an unsharded session's)
// without a close frame, as a network failure would: see DropShard.
func (s *Server) DropConnection() { s.DropShard(0) }

// DropShard closes the shard's current websocket's TCP connection without
// a close frame, as a network failure would (the client sees 1006), so
// the session goes through discordgo's own reconnect and RESUME. It
// returns at once; use WaitReady to wait for the session to come back.
// discordgo's reconnect first runs Close, which sleeps 1 s, so this costs
// about a second. Wait for it before the test ends: a session still
// reconnecting when the cleanups run can reopen after its cleanup Close.
func (s *Server) DropShard(shard int) {
	s.mu.Lock()
	var c *gwConn
	if sh := s.gw.shards[shard]; sh != nil {
		c, sh.cur = sh.cur, nil
	}
	delete(s.gw.conns, c) // frames still buffered must not promote it again
	s.broadcastLocked()
	s.mu.Unlock()
	if c != nil {
		c.ws.NetConn().Close()
	}
}

// Identifies counts IDENTIFY payloads received, so tests can tell a fresh
// session from a resumed one.
func (s *Server) Identifies() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.identifies
}

// Resumes counts RESUME payloads that were accepted with RESUMED.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gw.resumes
}

// WaitHeartbeats blocks until at least n heartbeats have arrived; discordgo
// sends one as soon as a connection is up, then one per interval.
func (s *Server) WaitHeartbeats(ctx context.Context, n int) error {
	err := s.wait(ctx, func() bool { return s.gw.heartbeats >= n })
	if err != nil {
		return fmt.Errorf("wait for %d heartbeats: %w", n, err)
	}
	return nil
}

// LastIdentify is the "d" object of the latest IDENTIFY, decoded from JSON
// (numbers are float64: intents is float64(discordgo.Intent…)), so tests can
// check the token and intents the bot asked for. It is nil before any.
func (s *Server) LastIdentify() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.gw.lastIdentify)
}

// InvalidateSession forgets the gateway sessions, so the next RESUME is
// answered with INVALID SESSION (op 9, d:false) and discordgo identifies
// again, as after Discord expires a session. Combine with DropConnection.
func (s *Server) InvalidateSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sh := range s.gw.shards {
		sh.sessionID = ""
	}
}
