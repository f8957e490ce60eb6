package discordtest

// Retain bounds what the fake keeps, for soak tests whose memory must be
// the bot's rather than the fake's: at most about n recorded requests and
// n of each kind of stored object (messages, channels, interaction
// tokens), the oldest forgotten first. Forgotten messages cannot be
// fetched or deleted, forgotten threads read as text channels, and a
// waiter may miss forgotten requests, so set it only for a soak. Zero, the
// default, keeps everything.
func (s *Server) Retain(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rest.retain = max(n, 0)
}

// retention is the insertion order of each stored map, kept only while
// Retain is set so that the oldest keys can be forgotten.
type retention struct {
	messages, channels, tokens, originals []string
}

// keepLocked notes key as newly stored in m and, beyond the limit, forgets
// the oldest keys. It trims to limit once the order holds twice that, so
// the cost per insertion stays constant. Callers hold Server.mu.
func keepLocked[V any](m map[string]V, order *[]string, key string, limit int) {
	if limit == 0 {
		return
	}
	*order = append(*order, key)
	if len(*order) <= 2*limit {
		return
	}
	drop := len(*order) - limit
	for _, k := range (*order)[:drop] {
		delete(m, k)
	}
	*order = append([]string(nil), (*order)[drop:]...)
}

// recordLocked appends a request to the record, keeping the last ones
// only under Retain. Callers hold Server.mu.
func (r *restState) recordLocked(req Request) {
	r.requests = append(r.requests, req)
	if r.retain > 0 && len(r.requests) > 2*r.retain {
		r.requests = append([]Request(nil), r.requests[len(r.requests)-r.retain:]...)
	}
}
