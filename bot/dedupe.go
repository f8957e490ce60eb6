package bot

import "sync"

// dedupe remembers recently seen event IDs, because Discord may deliver the
// same MESSAGE_CREATE twice after a resume and a question must be answered
// once. It is a bounded LRU of size IDs, safe for concurrent use.
type dedupe struct {
	mu   sync.Mutex
	seen *lruMap[struct{}]
}

// newDedupe returns a dedupe remembering the last size IDs (at least 1).
func newDedupe(size int) *dedupe {
	return &dedupe{seen: newLRUMap[struct{}](max(size, 1))}
}

// first reports true the first time id is seen. An empty ID cannot be told
// apart from another, so it is always treated as new rather than dropped.
func (d *dedupe) first(id string) bool {
	if id == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.seen.get(id); ok {
		return false
	}
	d.seen.put(id, struct{}{})
	return true
}
