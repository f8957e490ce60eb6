package bot

import (
	"container/list"
	"sync"
)

// lruMap is a string-keyed map that forgets its least recently used entry
// beyond size entries — or, with a cost, beyond a total cost such as
// bytes — so per-user and per-event state stays bounded whatever Discord
// sends, and however large each entry is. It is not safe for concurrent
// use.
type lruMap[V any] struct {
	size  int
	order *list.List // front is the most recently used; values are *lruEntry[V]
	items map[string]*list.Element
	// cost, when set, weighs an entry (with its key); the entries weigh at
	// most maxCost in all, apart from the newest, which is always kept.
	cost           func(key string, v V) int
	total, maxCost int
}

// lruEntry is what the order list holds: the key too, so that evicting
// the oldest element can delete it from the map.
type lruEntry[V any] struct {
	key string
	val V
}

// newLRUMap returns an empty map holding at most size entries.
func newLRUMap[V any](size int) *lruMap[V] {
	return &lruMap[V]{size: size, order: list.New(), items: make(map[string]*list.Element)}
}

// newCostLRUMap returns an empty map holding at most size entries weighing
// at most maxCost in all by cost.
func newCostLRUMap[V any](size, maxCost int, cost func(key string, v V) int) *lruMap[V] {
	c := newLRUMap[V](size)
	c.cost, c.maxCost = cost, maxCost
	return c
}

// weigh is an entry's cost, zero without a cost function.
func (c *lruMap[V]) weigh(key string, v V) int {
	if c.cost == nil {
		return 0
	}
	return c.cost(key, v)
}

// get returns the value of key and marks it as the most recently used.
func (c *lruMap[V]) get(key string) (V, bool) {
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry[V]).val, true
}

// put stores val under key, replacing any value there, marks it as the
// most recently used and evicts the oldest beyond size.
func (c *lruMap[V]) put(key string, val V) {
	if el, ok := c.items[key]; ok {
		e := el.Value.(*lruEntry[V])
		c.total += c.weigh(key, val) - c.weigh(key, e.val)
		e.val = val
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&lruEntry[V]{key: key, val: val})
		c.total += c.weigh(key, val)
	}
	for c.order.Len() > c.size || (c.cost != nil && c.total > c.maxCost && c.order.Len() > 1) {
		c.removeOldest()
	}
}

// oldest returns the least recently used value.
func (c *lruMap[V]) oldest() (V, bool) {
	el := c.order.Back()
	if el == nil {
		var zero V
		return zero, false
	}
	return el.Value.(*lruEntry[V]).val, true
}

// removeOldest forgets the least recently used entry: on overflow, and
// when the rate limiter forgets idle users.
func (c *lruMap[V]) removeOldest() {
	if el := c.order.Back(); el != nil {
		e := el.Value.(*lruEntry[V])
		c.order.Remove(el)
		delete(c.items, e.key)
		c.total -= c.weigh(e.key, e.val)
	}
}

// len is how many entries are kept, for tests of the bound.
func (c *lruMap[V]) len() int { return c.order.Len() }

// lru is an lruMap safe for concurrent use: the bot keeps per-thread
// history and recent answers in memory, touched from many handlers, and
// must not grow without bound on a busy server.
type lru[V any] struct {
	mu sync.Mutex
	m  *lruMap[V]
}

// newLRU returns an empty concurrent LRU of at most size entries.
func newLRU[V any](size int) *lru[V] { return &lru[V]{m: newLRUMap[V](size)} }

// newCostLRU returns an empty concurrent LRU of at most size entries
// weighing at most maxCost in all (see newCostLRUMap).
func newCostLRU[V any](size, maxCost int, cost func(key string, v V) int) *lru[V] {
	return &lru[V]{m: newCostLRUMap(size, maxCost, cost)}
}

// get is lruMap.get under the lock.
func (c *lru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.get(key)
}

// put is lruMap.put under the lock.
func (c *lru[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m.put(key, v)
}

// update replaces a value by f of it, under one lock so that concurrent
// updates of a key (two follow-ups in one thread) cannot lose each other.
// f runs under the lock: it must be quick and must not use c.
func (c *lru[V]) update(key string, f func(V, bool) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m.get(key)
	c.m.put(key, f(v, ok))
}

// len is lruMap.len under the lock.
func (c *lru[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.len()
}

// cost is the total cost of the entries, for tests and the soak.
func (c *lru[V]) cost() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m.total
}

// removeIf forgets the entries drop selects and says how many went
// (/forget-me purges what it caches of a member).
func (c *lru[V]) removeIf(drop func(key string, v V) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for el := c.m.order.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*lruEntry[V]); drop(e.key, e.val) {
			c.m.order.Remove(el)
			delete(c.m.items, e.key)
			c.m.total -= c.m.weigh(e.key, e.val)
			n++
		}
		el = next
	}
	return n
}
