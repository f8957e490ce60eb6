package bot

import (
	"slices"

	"github.com/citebot/citebot/answer"
)

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
		return turns[max(0, len(turns)-answer.MaxTurns):]
	})
}

// answerCache keeps recent answers by key for the buttons under them: the
// Sources button shows their passages, feedback records their content.
type answerCache struct{ c *lru[answer.Answer] }

func newAnswerCache(size int) *answerCache { return &answerCache{newLRU[answer.Answer](size)} }

func (a *answerCache) put(key string, ans answer.Answer) { a.c.put(key, ans) }

func (a *answerCache) get(key string) (answer.Answer, bool) { return a.c.get(key) }
