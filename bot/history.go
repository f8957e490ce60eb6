package bot

import (
	"slices"

	"github.com/citebot/citebot/answer"
)

// threadStore remembers two things about channels, apart on purpose:
// which threads the bot started, where every message is for it, and the
// last turns of each conversation, so that follow-ups are answered in
// context. Answering a mention in someone else's thread gives that thread
// a history, and must not make the bot answer all its chatter; and a
// history, which can be large, must not push a thread out of the bot's
// memory of what it owns.
type threadStore struct {
	owned *lru[struct{}]
	turns *lru[[]answer.Turn]
}

// newThreadStore remembers at most owned threads and the histories of at
// most conversations channels weighing at most bytes in all, the least
// recently active forgotten first, so memory stays bounded on a busy
// server whatever the answers' length.
func newThreadStore(owned, conversations, bytes int) *threadStore {
	return &threadStore{owned: newLRU[struct{}](owned), turns: newCostLRU(conversations, bytes, turnsCost)}
}

// turnsCost approximates the bytes a history holds: its text, its key and
// a few words of bookkeeping per turn.
func turnsCost(key string, turns []answer.Turn) int {
	n := len(key) + 64
	for _, t := range turns {
		n += len(t.Question) + len(t.Answer) + 32
	}
	return n
}

// start records a thread the bot opened, so that messages there are taken
// as follow-ups.
func (t *threadStore) start(id string) { t.owned.put(id, struct{}{}) }

// isOwned reports whether the bot remembers starting thread id.
func (t *threadStore) isOwned(id string) bool {
	_, ok := t.owned.get(id)
	return ok
}

// history returns a copy of the conversation's turns, oldest first, which
// the caller may keep while the conversation goes on.
func (t *threadStore) history(id string) []answer.Turn {
	turns, _ := t.turns.get(id)
	return append([]answer.Turn(nil), turns...)
}

// add appends a turn, keeping the last answer.MaxTurns (older turns
// rarely help a follow-up and cost tokens).
func (t *threadStore) add(id string, turn answer.Turn) {
	t.turns.update(id, func(turns []answer.Turn, _ bool) []answer.Turn {
		// Clip so append never writes into an array a history already
		// handed out (or a concurrent reader) still shares.
		turns = append(slices.Clip(turns), turn)
		return turns[max(0, len(turns)-answer.MaxTurns):]
	})
}
