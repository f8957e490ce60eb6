package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Request is one REST call as the fake received it, kept so tests can
// assert on what the bot sent rather than on what it meant to send.
type Request struct {
	Method string
	// Path is as sent, with discordgo's version prefix (/api/v9/...);
	// match it with MatchRoute to stay version-agnostic.
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Time   time.Time
	// Host is the host discordgo addressed (discord.com, cdn.discordapp.com…)
	// before Attach's transport redirected it.
	Host string
}

// JSON decodes the request's JSON payload into v: the body itself, or the
// payload_json part of a multipart body (messages with files).
func (r Request) JSON(v any) error {
	payload := r.Body
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				return fmt.Errorf("find payload_json in %s %s: %w", r.Method, r.Path, err)
			}
			if p.FormName() == "payload_json" {
				if payload, err = io.ReadAll(p); err != nil {
					return fmt.Errorf("read payload_json: %w", err)
				}
				break
			}
		}
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return fmt.Errorf("decode %s %s body: %w", r.Method, r.Path, err)
	}
	return nil
}

// Route is the request's path without discordgo's /api/vN prefix, such as
// "/channels/123/messages", for tests that look at the path itself.
func (r Request) Route() string {
	return "/" + strings.Join(splitRoute(r.Path), "/")
}

// Segment returns the path segment standing for the wildcard {name} in
// pattern (Respond's syntax, version-agnostic), or "" if the request does
// not match pattern: Segment("/interactions/{id}/{token}/callback",
// "token") is the interaction's token.
func (r Request) Segment(pattern, name string) string {
	segs, pat := splitRoute(r.Path), splitRoute(pattern)
	if !matchSegments(pat, segs) {
		return ""
	}
	for i, p := range pat {
		if p == "{"+name+"}" {
			return segs[i]
		}
	}
	return ""
}

// Handler answers a REST request for Respond. A zero status means "not
// mine": the request falls through to later overrides and the defaults,
// which is how Once scripts a single failure. A []byte body is written as
// is, nil writes nothing, anything else is marshalled as JSON.
type Handler func(r Request) (status int, body any, header http.Header)

type route struct {
	method  string
	pattern []string
	handle  Handler
}

type restState struct {
	requests  []Request
	overrides []route
	defaults  []route
	channels  map[string]*discordgo.Channel
	history   map[string][]*discordgo.Message
	messages  map[string]*discordgo.Message
	originals map[string]string // interaction token → @original message ID
	tokens    map[string]string // interaction token → channel ID
	retain    int               // see Retain; 0 keeps everything
	order     retention
}

func (r *restState) init() {
	r.channels = map[string]*discordgo.Channel{}
	r.history = map[string][]*discordgo.Message{}
	r.messages = map[string]*discordgo.Message{}
	r.originals = map[string]string{}
	r.tokens = map[string]string{}
}

// Respond overrides a route. pathPattern may carry the API prefix or not
// ("/api/v10/channels/{id}/messages" and "/channels/{id}/messages" are the
// same route) and uses {name} for one path segment. Overrides are tried in
// the order registered, before the defaults.
func (s *Server) Respond(method, pathPattern string, f Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.overrides = append(s.rest.overrides, route{method, splitRoute(pathPattern), f})
}

// MatchRoute builds a matcher for WaitRequest(s) with Respond's pattern
// syntax, ignoring the API version.
func MatchRoute(method, pathPattern string) func(Request) bool {
	pattern := splitRoute(pathPattern)
	return func(r Request) bool {
		return r.Method == method && matchSegments(pattern, splitRoute(r.Path))
	}
}

// splitRoute strips "/api" and "/vN" and splits the rest into segments.
func splitRoute(p string) []string {
	p = strings.TrimPrefix(p, "/api")
	if rest, ok := strings.CutPrefix(p, "/v"); ok {
		if i := strings.IndexByte(rest, '/'); i > 0 && strings.Trim(rest[:i], "0123456789") == "" {
			p = rest[i:]
		}
	}
	return strings.Split(strings.Trim(p, "/"), "/")
}

func matchSegments(pattern, path []string) bool {
	if len(pattern) != len(path) {
		return false
	}
	for i, seg := range pattern {
		if !strings.HasPrefix(seg, "{") && seg != path[i] {
			return false
		}
	}
	return true
}

// Requests returns a copy of every REST request recorded so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.rest.requests...)
}

// WaitRequest returns the first recorded request matching, whether it
// arrived before the call or arrives before ctx ends.
func (s *Server) WaitRequest(ctx context.Context, match func(Request) bool) (Request, error) {
	got, err := s.WaitRequests(ctx, 1, match)
	if err != nil {
		return Request{}, err
	}
	return got[0], nil
}

// WaitRequests returns the first n recorded requests matching, waiting for
// them to arrive until ctx ends.
func (s *Server) WaitRequests(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	var got []Request
	err := s.wait(ctx, func() bool {
		got = got[:0]
		for _, r := range s.rest.requests {
			if match(r) {
				if got = append(got, r); len(got) == n {
					return true
				}
			}
		}
		return false
	})
	if err != nil {
		return nil, fmt.Errorf("wait for %d requests (saw %d): %w", n, len(got), err)
	}
	return got, nil
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if (r.URL.Path == "/gateway" || r.URL.Path == "/gateway/") && websocket.IsWebSocketUpgrade(r) {
		s.serveGateway(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	header := r.Header.Clone()
	host := header.Get("X-Forwarded-Host")
	header.Del("X-Forwarded-Host")
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Header: header, Body: body, Time: time.Now(), Host: host}

	s.mu.Lock()
	s.rest.recordLocked(req)
	s.broadcastLocked()
	routes := append(append([]route(nil), s.rest.overrides...), s.rest.defaults...)
	s.mu.Unlock()

	segs := splitRoute(req.Path)
	for _, rt := range routes {
		if rt.method != req.Method || !matchSegments(rt.pattern, segs) {
			continue
		}
		if status, out, h := rt.handle(req); status != 0 {
			writeResponse(w, status, out, h)
			return
		}
	}
	writeResponse(w, http.StatusNotFound, apiError{"404: Not Found", 0}, nil)
}

// apiError is Discord's JSON error shape, which discordgo decodes into
// RESTError.Message.
type apiError struct {
	Message string `json:"message"`
	Code    int    `json:"code"`
}

func writeResponse(w http.ResponseWriter, status int, body any, header http.Header) {
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			status = http.StatusInternalServerError
			raw, _ = json.Marshal(apiError{"discordtest: " + err.Error(), 0})
		}
	}
	if raw != nil && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(raw)
}
