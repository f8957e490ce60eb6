package bot

import (
	"slices"

	"github.com/citebot/citebot/answer"
)

// threadStore remembers the threads the bot started and their turns, so
// that follow-ups there are answered in context.
type threadStore struct{ c *lru[[]answer.Turn] }

// newThreadStore remembers at most size threads, the least recently
// active forgotten first, so memory stays bounded on a busy server.
func newThreadStore(size int) *threadStore { return &threadStore{newLRU[[]answer.Turn](size)} }

// start records a thread the bot opened, with no turns yet, so that
// messages there are taken as follow-ups.
func (t *threadStore) start(id string) { t.c.put(id, nil) }

// known reports whether the bot remembers starting thread id.
func (t *threadStore) known(id string) bool {
	_, ok := t.c.get(id)
	return ok
}

// history returns a copy of the thread's turns, oldest first, which the
// caller may keep while the thread goes on.
func (t *threadStore) history(id string) []answer.Turn {
	turns, _ := t.c.get(id)
	return append([]answer.Turn(nil), turns...)
}

// add appends a turn, keeping the last answer.MaxTurns: older turns
// rarely help a follow-up and cost tokens.
func (t *threadStore) add(id string, turn answer.Turn) {
	t.c.update(id, func(turns []answer.Turn, _ bool) []answer.Turn {
		// Clip so append never writes into an array a history already
		// handed out (or a concurrent reader) still shares.
		turns = append(slices.Clip(turns), turn)
		return turns[max(0, len(turns)-answer.MaxTurns):]
	})
}
