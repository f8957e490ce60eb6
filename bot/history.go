package bot

import (
	"slices"

	"github.com/citebot/citebot/answer"
)

// threadStore remembers conversations by channel: their last turns, so
// that follow-ups are answered in context, and whether the bot started
// the channel as its own thread, where every message is for it. The two
// are kept apart on purpose: answering a mention in someone else's thread
// gives that thread a history, and must not make the bot answer all its
// chatter.
type threadStore struct{ c *lru[conversation] }

// conversation is one channel's memory in a threadStore.
type conversation struct {
	owned bool // a thread the bot started: followed without a mention
	turns []answer.Turn
}

// newThreadStore remembers at most size conversations, the least recently
// active forgotten first, so memory stays bounded on a busy server.
func newThreadStore(size int) *threadStore { return &threadStore{newLRU[conversation](size)} }

// start records a thread the bot opened, so that messages there are taken
// as follow-ups.
func (t *threadStore) start(id string) {
	t.c.update(id, func(c conversation, _ bool) conversation {
		c.owned = true
		return c
	})
}

// owned reports whether the bot remembers starting thread id.
func (t *threadStore) owned(id string) bool {
	c, _ := t.c.get(id)
	return c.owned
}

// history returns a copy of the conversation's turns, oldest first, which
// the caller may keep while the conversation goes on.
func (t *threadStore) history(id string) []answer.Turn {
	c, _ := t.c.get(id)
	return append([]answer.Turn(nil), c.turns...)
}

// add appends a turn, keeping the last answer.MaxTurns (older turns
// rarely help a follow-up and cost tokens). It leaves ownership as it was.
func (t *threadStore) add(id string, turn answer.Turn) {
	t.c.update(id, func(c conversation, _ bool) conversation {
		// Clip so append never writes into an array a history already
		// handed out (or a concurrent reader) still shares.
		turns := append(slices.Clip(c.turns), turn)
		c.turns = turns[max(0, len(turns)-answer.MaxTurns):]
		return c
	})
}
