package store

import (
	"context"
	"slices"
	"time"
)

// Forget deletes the user's questions, votes and kept answers, and the
// turns they asked in conversations, and says how many records
// went: questions, votes, answers and turns.
func (m *Memory) Forget(_ context.Context, user string) (int, error) {
	if user == "" {
		return 0, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	threads := map[string]bool{}
	for _, q := range m.questions {
		if q.User == user && q.Channel != "" {
			threads[q.Channel] = true
		}
	}
	n := 0
	m.questions, n = without(m.questions, n, func(q Question) bool { return q.User == user })
	m.votes, n = without(m.votes, n, func(v Vote) bool { return v.User == user })
	n += m.answers.removeIf(func(_ string, a KeptAnswer) int {
		if a.User == user {
			return 1
		}
		return 0
	})
	for _, id := range m.turns.c.Keys() {
		turns, _ := m.turns.c.Peek(id)
		// A turn says who asked it; one from before turns did is taken to
		// be the user's when they asked in its thread.
		kept := slices.DeleteFunc(slices.Clone(turns), func(t Turn) bool {
			return t.User == user || (t.User == "" && threads[id])
		})
		if n += len(turns) - len(kept); len(kept) == 0 {
			m.turns.c.Remove(id)
		} else if len(kept) < len(turns) {
			m.turns.put(id, kept)
		}
	}
	return n, nil
}

// Export returns what is kept about the user.
func (m *Memory) Export(_ context.Context, user string) (UserData, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := UserData{User: user, Questions: []Question{}, Votes: []Vote{}, Answers: []KeptAnswer{}, Turns: []Turn{}}
	d.Questions = append(d.Questions, selected(m.questions, func(q Question) bool { return q.User == user })...)
	d.Votes = append(d.Votes, selected(m.votes, func(v Vote) bool { return v.User == user })...)
	for _, k := range m.answers.c.Keys() {
		if a, _ := m.answers.c.Peek(k); a.User == user {
			d.Answers = append(d.Answers, a)
		}
	}
	for _, id := range m.turns.c.Keys() {
		turns, _ := m.turns.c.Peek(id)
		d.Turns = append(d.Turns, selected(turns, func(t Turn) bool { return t.User == user })...)
	}
	return d, nil
}

// Prune deletes the questions, votes and kept answers older than before,
// and says how many went.
func (m *Memory) Prune(_ context.Context, before time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	m.questions, n = without(m.questions, n, func(q Question) bool { return q.Time.Before(before) })
	m.votes, n = without(m.votes, n, func(v Vote) bool { return v.Time.Before(before) })
	n += m.answers.removeIf(func(_ string, a KeptAnswer) int {
		if a.Time.Before(before) {
			return 1
		}
		return 0
	})
	return n, nil
}

// without deletes the elements of s that drop, adding their number to n.
func without[T any](s []T, n int, drop func(T) bool) ([]T, int) {
	before := len(s)
	s = slices.DeleteFunc(s, drop)
	return s, n + before - len(s)
}

// removeIf removes the entries for which count is not zero, and returns
// the sum of the counts: the records they held.
func (l *costLRU[V]) removeIf(count func(string, V) int) int {
	n := 0
	for _, k := range l.c.Keys() {
		v, _ := l.c.Peek(k)
		if c := count(k, v); c > 0 {
			l.c.Remove(k)
			n += c
		}
	}
	return n
}
