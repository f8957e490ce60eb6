package store

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// MemoryLimits bound what a Memory keeps, so that a bot running on it for
// months levels off in memory; past a bound the oldest (or least recently
// used) goes first. Zero fields take the defaults of NewMemory.
type MemoryLimits struct {
	Questions, Votes  int // log records kept
	Threads           int // threads the bot started (IDs only)
	Conversations     int // conversations whose turns are kept…
	ConversationBytes int // …weighing at most this in all
	Answers           int // answers the buttons can find…
	AnswerBytes       int // …weighing at most this in all
}

// defaults are the bounds of the bot's own caches before it had a store:
// 10,000 threads, 1,000 conversations and answers of 4 MiB each, and a
// log of 20,000 questions and votes (a few MiB).
func (l MemoryLimits) defaults() MemoryLimits {
	return MemoryLimits{Questions: cmp.Or(l.Questions, 20_000), Votes: cmp.Or(l.Votes, 20_000),
		Threads: cmp.Or(l.Threads, 10_000), Conversations: cmp.Or(l.Conversations, 1000),
		ConversationBytes: cmp.Or(l.ConversationBytes, 4<<20), Answers: cmp.Or(l.Answers, 1000),
		AnswerBytes: cmp.Or(l.AnswerBytes, 4<<20)}
}

// Memory is a Store held in the process: the bot's fallback when the
// SQLite file cannot be used, and the store of tests. It forgets
// everything when the process ends. Its writes are done at once under a
// lock (a map or slice update), so they never keep an answer waiting.
type Memory struct {
	lim MemoryLimits

	mu        sync.Mutex
	closed    bool
	nextID    int64
	questions []Question
	votes     []Vote
	owned     *simplelru.LRU[string, struct{}]
	turns     *costLRU[[]Turn]
	answers   *costLRU[KeptAnswer]
	settings  map[string]Settings
	kbs       map[string]KB
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty Memory within lim.
func NewMemory(lim MemoryLimits) *Memory {
	lim = lim.defaults()
	owned, _ := simplelru.NewLRU[string, struct{}](lim.Threads, nil)
	return &Memory{lim: lim, owned: owned, settings: map[string]Settings{}, kbs: map[string]KB{},
		turns:   newCostLRU(lim.Conversations, lim.ConversationBytes, turnsCost),
		answers: newCostLRU(lim.Answers, lim.AnswerBytes, answerCost)}
}

// write runs f under the lock unless the store is closed.
func (m *Memory) write(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.closed {
		f()
	}
}

// Log records q, giving it an ID; the oldest records go past the bound.
func (m *Memory) Log(q Question) {
	q.Cited, q.Stages = slices.Clone(q.Cited), cloneStages(q.Stages)
	m.write(func() {
		m.nextID++
		q.ID = m.nextID
		m.questions = bounded(append(m.questions, q), m.lim.Questions)
	})
}

// AddVote records v.
func (m *Memory) AddVote(v Vote) {
	v.Sources = slices.Clone(v.Sources)
	m.write(func() { m.votes = bounded(append(m.votes, v), m.lim.Votes) })
}

// bounded trims s to its last max elements once it holds a quarter more,
// so that trimming costs little per append.
func bounded[T any](s []T, max int) []T {
	if len(s) < max+max/4+1 {
		return s
	}
	return append([]T(nil), s[len(s)-max:]...)
}

// StartThread records a thread the bot started.
func (m *Memory) StartThread(threadID string) {
	m.write(func() { m.owned.Add(threadID, struct{}{}) })
}

// AddTurn appends t to the thread's conversation, keeping the last
// maxTurns turns.
func (m *Memory) AddTurn(threadID string, t Turn) {
	m.write(func() {
		turns, _ := m.turns.c.Peek(threadID)
		turns = append(slices.Clip(turns), t)
		m.turns.put(threadID, turns[max(0, len(turns)-maxTurns):])
	})
}

// maxTurns bounds a conversation kept: more than any reader asks for
// (the answer pipeline reads six).
const maxTurns = 20

// PutAnswer keeps a under key.
func (m *Memory) PutAnswer(key string, a KeptAnswer) {
	a.Sources, a.Passages = slices.Clone(a.Sources), slices.Clone(a.Passages)
	m.write(func() { m.answers.put(key, a) })
}

// Flush returns at once: every write is already done.
func (m *Memory) Flush(context.Context) error { return nil }

// Thread says whether the bot started threadID and returns its last max
// turns.
func (m *Memory) Thread(_ context.Context, threadID string, max int) (bool, []Turn, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	owned := m.owned.Contains(threadID)
	turns, _ := m.turns.c.Get(threadID)
	if max >= 0 && len(turns) > max {
		turns = turns[len(turns)-max:]
	}
	return owned, slices.Clone(turns), nil
}

// Answer returns the answer kept under key.
func (m *Memory) Answer(_ context.Context, key string) (KeptAnswer, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.answers.c.Get(key)
	return a, ok, nil
}

// Questions returns the log records f selects, oldest first.
func (m *Memory) Questions(_ context.Context, f Filter) ([]Question, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return selected(m.questions, func(q Question) bool { return f.match(q.Time, q.Guild) }), nil
}

// Votes returns the votes f selects, oldest first.
func (m *Memory) Votes(_ context.Context, f Filter) ([]Vote, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return selected(m.votes, func(v Vote) bool { return f.match(v.Time, v.Guild) }), nil
}

// match reports whether a record of guild at t is selected.
func (f Filter) match(t time.Time, guild string) bool {
	return !t.Before(f.Since) && (f.Guild == "" || f.Guild == guild)
}

// selected returns the elements of s that keep, in a new slice.
func selected[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Settings returns the server's settings, zero when it set none.
func (m *Memory) Settings(_ context.Context, guild string) (Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.settings[guild]
	s.Channels = slices.Clone(s.Channels)
	return s, nil
}

// SetSettings replaces the server's settings.
func (m *Memory) SetSettings(_ context.Context, guild string, s Settings) error {
	s.Channels = slices.Clone(s.Channels)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings[guild] = s
	return nil
}

// CreateKB records a knowledge base, replacing one of the same name.
func (m *Memory) CreateKB(_ context.Context, kb KB) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.kbs[kb.Name] = kb
	return nil
}

// KBs returns the recorded knowledge bases by name.
func (m *Memory) KBs(context.Context) ([]KB, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]KB, 0, len(m.kbs))
	for _, kb := range m.kbs {
		out = append(out, kb)
	}
	slices.SortFunc(out, func(a, b KB) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// Health is nil: memory does not fail.
func (m *Memory) Health() error { return nil }

// Close stops taking writes; reads still answer.
func (m *Memory) Close() error {
	m.write(func() { m.closed = true })
	return nil
}

// costLRU is an LRU bounded in entries and in a total cost (bytes),
// apart from the newest entry, which is always kept.
type costLRU[V any] struct {
	c          *simplelru.LRU[string, V]
	cost       func(string, V) int
	total, max int
}

// newCostLRU keeps at most size entries weighing at most max by cost.
func newCostLRU[V any](size, max int, cost func(string, V) int) *costLRU[V] {
	l := &costLRU[V]{cost: cost, max: max}
	l.c, _ = simplelru.NewLRU(size, func(k string, v V) { l.total -= cost(k, v) })
	return l
}

// put stores v under k, then forgets the least recently used past max.
func (l *costLRU[V]) put(k string, v V) {
	if old, ok := l.c.Peek(k); ok {
		l.total -= l.cost(k, old)
	}
	l.total += l.cost(k, v)
	l.c.Add(k, v)
	for l.total > l.max && l.c.Len() > 1 {
		l.c.RemoveOldest()
	}
}

// turnsCost approximates the bytes a conversation holds.
func turnsCost(key string, turns []Turn) int {
	n := len(key) + 64
	for _, t := range turns {
		n += len(t.Question) + len(t.Answer) + 32
	}
	return n
}

// answerCost approximates the bytes a kept answer holds.
func answerCost(key string, a KeptAnswer) int {
	n := len(key) + 160 + len(a.Guild) + len(a.User) + len(a.Question) + len(a.Text) + len(a.Mode)
	for _, s := range a.Sources {
		n += 16 + len(s)
	}
	for _, p := range a.Passages {
		n += 88 + len(p.ChunkID) + len(p.DocID) + len(p.Title)
	}
	return n
}

// cloneStages copies a stage map, which the caller may reuse.
func cloneStages(s map[string]time.Duration) map[string]time.Duration {
	if s == nil {
		return nil
	}
	out := make(map[string]time.Duration, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}
