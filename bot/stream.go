package bot

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// streamer turns a model's deltas into progress updates, at most one per
// tick, so a streamed answer appears progressively without exceeding
// Discord's edit rate.
type streamer struct {
	out  sink
	tick <-chan time.Time
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	text  strings.Builder
	shown string
}

// startStreamer starts showing what is written to the streamer in out,
// once per tick, until close.
func startStreamer(out sink, tick <-chan time.Time) *streamer {
	s := &streamer{out: out, tick: tick, stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

// write adds a model's delta; it never blocks on Discord.
func (s *streamer) write(delta string) {
	s.mu.Lock()
	s.text.WriteString(delta)
	s.mu.Unlock()
}

// loop flushes on every tick until close.
func (s *streamer) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.tick:
			s.flush()
		case <-s.stop:
			return
		}
	}
}

// flush shows the text so far if it changed since the last update.
func (s *streamer) flush() {
	s.mu.Lock()
	text := s.text.String()
	s.mu.Unlock()
	if strings.TrimSpace(text) == "" || text == s.shown {
		return
	}
	s.shown = text
	// Partial text is defused like the final answer: a model's @everyone
	// or masked link must not look live even for a second. The trailing
	// ellipsis says "still writing"; clip's truncation adds its own.
	if shown := defuse(text); utf8.RuneCountInString(shown) > maxContent-2 {
		s.out.progress(clip(text, maxContent))
	} else {
		s.out.progress(shown + " …")
	}
}

// close stops the updates; the final answer replaces them.
func (s *streamer) close() {
	close(s.stop)
	<-s.done
}
