// Package logbuf is a log sink tests share with the goroutines they
// start: a bytes.Buffer behind a mutex, so that it is safe under -race.
package logbuf

import (
	"bytes"
	"sync"
)

// Buffer collects what is written to it from any goroutine.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p under the lock.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
