package bot

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/store"
)

// storeReadTimeout bounds a read of the store made while a member waits:
// past it the bot answers as if the store knew nothing.
const storeReadTimeout = 2 * time.Second

// threadStore remembers two things about channels, apart on purpose:
// which threads the bot started, where every message is for it, and the
// last turns of each conversation, so that follow-ups are answered in
// context. Answering a mention in someone else's thread gives that thread
// a history, and must not make the bot answer all its chatter; and a
// history, which can be large, must not push a thread out of the bot's
// memory of what it owns.
//
// The store is what remembers, across restarts; the two LRUs in front of
// it spare a read for every message and hold a turn the store has not
// written yet (its writes are asynchronous), so a quick follow-up sees it.
type threadStore struct {
	st    store.Store
	log   *slog.Logger
	owned *lru[bool] // true: the bot started the thread; false: the store said it did not
	turns *lru[[]answer.Turn]
}

// newThreadStore remembers through st, caching what at most owned
// threads are and the histories of at most conversations channels
// weighing at most bytes in all, the least recently active forgotten
// first, so memory stays bounded on a busy server whatever the answers'
// length.
func newThreadStore(st store.Store, log *slog.Logger, owned, conversations, bytes int) *threadStore {
	return &threadStore{st: st, log: log, owned: newLRU[bool](owned), turns: newCostLRU(conversations, bytes, turnsCost)}
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
func (t *threadStore) start(id string) {
	t.owned.put(id, true)
	t.st.StartThread(id)
}

// isOwned reports whether the bot started thread id, asking the store
// the first time: after a restart, a thread of the bot's is still
// followed. If the store cannot say, it answers false (a mention is then
// needed) and asks again next time.
func (t *threadStore) isOwned(id string) bool {
	if owned, ok := t.owned.get(id); ok {
		return owned
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeReadTimeout)
	defer cancel()
	owned, _, err := t.st.Thread(ctx, id, 0)
	if err != nil {
		t.log.Warn("cannot tell from the store whether the bot started this thread", "channel", id, "err", err)
		return false
	}
	t.owned.put(id, owned)
	return owned
}

// history returns a copy of the conversation's turns, oldest first, which
// the caller may keep while the conversation goes on; the store's the
// first time. If the store cannot say, the answer goes without history.
func (t *threadStore) history(ctx context.Context, id string) []answer.Turn {
	if turns, ok := t.turns.get(id); ok {
		return slices.Clone(turns)
	}
	ctx, cancel := context.WithTimeout(ctx, storeReadTimeout)
	defer cancel()
	_, kept, err := t.st.Thread(ctx, id, answer.MaxTurns)
	if err != nil {
		t.log.Warn("cannot read the conversation from the store; answering without it", "channel", id, "err", err)
		return nil
	}
	turns := make([]answer.Turn, len(kept))
	for i, k := range kept {
		turns[i] = answer.Turn{Question: k.Question, Answer: k.Answer}
	}
	t.turns.update(id, func(cached []answer.Turn, ok bool) []answer.Turn {
		if ok { // a turn added meanwhile is newer than the store's
			return cached
		}
		return turns
	})
	return slices.Clone(turns)
}

// add appends a turn, keeping the last answer.MaxTurns (older turns
// rarely help a follow-up and cost tokens), and has the store keep it.
func (t *threadStore) add(id, user string, turn answer.Turn) {
	t.turns.update(id, func(turns []answer.Turn, _ bool) []answer.Turn {
		// Clip so append never writes into an array a history already
		// handed out (or a concurrent reader) still shares.
		turns = append(slices.Clip(turns), turn)
		return turns[max(0, len(turns)-answer.MaxTurns):]
	})
	t.st.AddTurn(id, store.Turn{Question: turn.Question, Answer: turn.Answer, User: user})
}

// forgetTurns drops the cached histories, so that the next question of
// each conversation reads what the store has left (after /forget-me).
func (t *threadStore) forgetTurns() {
	t.turns.removeIf(func(string, []answer.Turn) bool { return true })
}
