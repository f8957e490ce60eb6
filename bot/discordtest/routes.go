package discordtest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// defaultRoutes answer what a bot typically calls with what Discord would
// return, so tests only script the routes they care about.
func (s *Server) defaultRoutes() []route {
	r := func(method, pattern string, h Handler) route {
		return route{method, splitRoute(pattern), h}
	}
	return []route{
		r("GET", "/gateway", s.getGateway),
		r("GET", "/gateway/bot", s.getGateway),
		r("GET", "/users/@me", func(Request) (int, any, http.Header) { return 200, s.BotUser(), nil }),
		r("GET", "/channels/{id}", s.getChannel),
		r("GET", "/channels/{id}/messages", s.getHistory),
		r("GET", "/channels/{id}/messages/{mid}", s.getMessage),
		r("POST", "/channels/{id}/messages", s.createMessage),
		r("PATCH", "/channels/{id}/messages/{mid}", s.editMessage),
		r("DELETE", "/channels/{id}/messages/{mid}", s.deleteMessage),
		r("POST", "/channels/{id}/typing", noContent),
		r("PUT", "/channels/{id}/messages/{mid}/reactions/{emoji}/@me", noContent),
		r("DELETE", "/channels/{id}/messages/{mid}/reactions/{emoji}/@me", noContent),
		r("POST", "/channels/{id}/messages/{mid}/threads", s.startThread),
		r("POST", "/channels/{id}/threads", s.startThread),
		r("POST", "/interactions/{id}/{token}/callback", noContent),
		r("GET", "/webhooks/{app}/{token}/messages/{mid}", s.getMessage),
		r("PATCH", "/webhooks/{app}/{token}/messages/{mid}", s.editMessage),
		r("DELETE", "/webhooks/{app}/{token}/messages/{mid}", noContent),
		r("POST", "/webhooks/{app}/{token}", s.followup),
		r("PUT", "/applications/{app}/commands", s.overwriteCommands),
		r("PUT", "/applications/{app}/guilds/{guild}/commands", s.overwriteCommands),
	}
}

func noContent(Request) (int, any, http.Header) { return http.StatusNoContent, nil, nil }

func notFound(message string, code int) (int, any, http.Header) {
	return http.StatusNotFound, apiError{message, code}, nil
}

func badRequest(err error) (int, any, http.Header) {
	return http.StatusBadRequest, apiError{err.Error(), 50035}, nil
}

func (s *Server) getGateway(Request) (int, any, http.Header) {
	shards, concurrency := s.shardAdvice()
	return 200, map[string]any{
		"url":    s.wsURL,
		"shards": shards,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": concurrency,
		},
	}, nil
}

// Once wraps h so that it answers only the first request it sees and lets
// the rest fall through, the usual way to script one transient failure.
func Once(h Handler) Handler {
	var once sync.Once
	return func(r Request) (status int, body any, header http.Header) {
		once.Do(func() { status, body, header = h(r) })
		return status, body, header
	}
}

// TooManyRequests answers 429 the way Discord does, with the JSON body
// discordgo reads retry_after from and the X-RateLimit-* headers its
// bucket logic reads, so discordgo waits retryAfter and retries by itself
// (ShouldRetryOnRateLimit, on by default).
func TooManyRequests(retryAfter time.Duration, global bool) Handler {
	secs := retryAfter.Seconds()
	return func(Request) (int, any, http.Header) {
		h := http.Header{}
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "discordtest")
		if global {
			h.Set("X-RateLimit-Global", "true")
			h.Set("X-RateLimit-Scope", "global")
		} else {
			h.Set("X-RateLimit-Scope", "user")
		}
		return http.StatusTooManyRequests, map[string]any{
			"message": "You are being rate limited.", "retry_after": secs, "global": global,
		}, h
	}
}

func (s *Server) overwriteCommands(r Request) (int, any, http.Header) {
	var cmds []map[string]any
	if err := r.JSON(&cmds); err != nil {
		return badRequest(err)
	}
	guild := r.Segment("/applications/{app}/guilds/{guild}/commands", "guild")
	for _, c := range cmds {
		c["id"] = s.NewID()
		c["application_id"] = appID
		c["version"] = s.NewID()
		if guild != "" {
			c["guild_id"] = guild
		}
	}
	return 200, cmds, nil
}

// followup answers like Discord: the message when ?wait=true, else 204.
func (s *Server) followup(r Request) (int, any, http.Header) {
	m, err := s.newMessage(r, s.tokenChannel(r.Segment("/webhooks/{app}/{token}", "token")))
	if err != nil {
		return badRequest(err)
	}
	if r.Query.Get("wait") != "true" {
		return noContent(r)
	}
	return 200, m, nil
}

func (s *Server) tokenChannel(token string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rest.tokens[token]
}

// rememberToken lets webhook routes fill channel_id for an interaction.
func (s *Server) rememberToken(token, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rest.tokens[token]; !ok {
		keepLocked(s.rest.tokens, &s.rest.order.tokens, token, s.rest.retain)
	}
	s.rest.tokens[token] = channelID
}

// originalID is the ID of an interaction's @original response, stable
// across edits like Discord's.
func (s *Server) originalID(token string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.rest.originals[token]
	if !ok {
		id = s.newIDLocked()
		keepLocked(s.rest.originals, &s.rest.order.originals, token, s.rest.retain)
		s.rest.originals[token] = id
	}
	return id
}

func (s *Server) lookupMessage(id string) (*discordgo.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.rest.messages[id]
	if !ok {
		return nil, false
	}
	cp := *m
	return &cp, true
}

func (s *Server) getMessage(r Request) (int, any, http.Header) {
	id := r.Segment("/channels/{id}/messages/{mid}", "mid")
	if id == "" {
		id = r.Segment("/webhooks/{app}/{token}/messages/{mid}", "mid")
	}
	if id == "@original" {
		id = s.originalID(r.Segment("/webhooks/{app}/{token}/messages/{mid}", "token"))
	}
	if m, ok := s.lookupMessage(id); ok {
		return 200, m, nil
	}
	return notFound("Unknown Message", 10008)
}
