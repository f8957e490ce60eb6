package bot

import (
	"container/list"
	"slices"
	"sync"

	"github.com/citebot/citebot/answer"
)

// lru is a small bounded map: the bot keeps per-thread history and recent
// answers in memory, and must not grow without bound on a busy server.
type lru[V any] struct {
	mu    sync.Mutex
	size  int
	order *list.List // front: most recent; values are keys
	items map[string]*list.Element
	vals  map[string]V
}

func newLRU[V any](size int) *lru[V] {
	return &lru[V]{size: size, order: list.New(), items: map[string]*list.Element{}, vals: map[string]V{}}
}

func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vals[key]
	if ok {
		c.order.MoveToFront(c.items[key])
	}
	return v, ok
}

func (c *lru[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, v)
}

func (c *lru[V]) putLocked(key string, v V) {
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
	} else {
		c.items[key] = c.order.PushFront(key)
	}
	c.vals[key] = v
	for c.order.Len() > c.size {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(string))
		delete(c.vals, old.Value.(string))
	}
}

// update replaces a value by f of it, under one lock so that concurrent
// updates of a key (two follow-ups in one thread) cannot lose each other.
// f runs under the lock: it must be quick and must not use c.
func (c *lru[V]) update(key string, f func(V, bool) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vals[key]
	c.putLocked(key, f(v, ok))
}

// maxTurns bounds a thread's remembered history: older turns rarely help
// a follow-up and cost tokens.
const maxTurns = 6

// threadStore remembers the threads the bot started and their turns, so
// that follow-ups there are answered in context.
type threadStore struct{ c *lru[[]answer.Turn] }

func newThreadStore(size int) *threadStore { return &threadStore{newLRU[[]answer.Turn](size)} }

func (t *threadStore) start(id string) { t.c.put(id, nil) }

func (t *threadStore) known(id string) bool {
	_, ok := t.c.get(id)
	return ok
}

func (t *threadStore) history(id string) []answer.Turn {
	turns, _ := t.c.get(id)
	return append([]answer.Turn(nil), turns...)
}

func (t *threadStore) add(id string, turn answer.Turn) {
	t.c.update(id, func(turns []answer.Turn, _ bool) []answer.Turn {
		// Clip so append never writes into an array a history already
		// handed out (or a concurrent reader) still shares.
		turns = append(slices.Clip(turns), turn)
		return turns[max(0, len(turns)-maxTurns):]
	})
}

// answerCache keeps recent answers by key for the buttons under them: the
// Sources button shows their passages, feedback records their content.
type answerCache struct{ c *lru[answer.Answer] }

func newAnswerCache(size int) *answerCache { return &answerCache{newLRU[answer.Answer](size)} }

func (a *answerCache) put(key string, ans answer.Answer) { a.c.put(key, ans) }

func (a *answerCache) get(key string) (answer.Answer, bool) { return a.c.get(key) }
