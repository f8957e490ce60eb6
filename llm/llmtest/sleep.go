package llmtest

import (
	"context"
	"sync"
	"time"
)

// Sleeps stands in for the Sleep of llm.RetryPolicy: it records each wait
// the client asks for and returns at once, so retry tests never wait and
// can assert on the backoff. It is safe for concurrent use; read the
// waits with Recorded. The zero value is ready to use.
type Sleeps struct {
	mu  sync.Mutex
	got []time.Duration
}

// Sleep records d and returns ctx's error, as an interrupted wait would.
func (s *Sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.got = append(s.got, d)
	s.mu.Unlock()
	return ctx.Err()
}

// Recorded returns a copy of the waits asked for so far, in order.
func (s *Sleeps) Recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.got...)
}
