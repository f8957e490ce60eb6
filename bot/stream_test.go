package bot

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// recordSink records what a streamer shows.
type recordSink struct {
	mu    sync.Mutex
	shown []string
	seen  chan struct{}
}

// progress records text and signals seen, so tests wait for each edit
// without sleeping.
func (r *recordSink) progress(text string) error {
	r.mu.Lock()
	r.shown = append(r.shown, text)
	r.mu.Unlock()
	r.seen <- struct{}{}
	return nil
}

// final is unused by the streamer.
func (r *recordSink) final([]string, []*discordgo.MessageEmbed, []discordgo.MessageComponent) error {
	return nil
}

func TestStreamerEditsAtMostOncePerTick(t *testing.T) {
	out := &recordSink{seen: make(chan struct{}, 10)}
	tick := make(chan time.Time)
	s := startStreamer(out, tick)
	s.write("Le Royaume-Uni ")
	s.write("signe ")
	tick <- time.Now() // one tick: one edit with all text so far
	<-out.seen
	tick <- time.Now() // nothing new: no edit
	s.write("un partenariat [1].")
	tick <- time.Now()
	<-out.seen
	s.close()
	if len(out.shown) != 2 {
		t.Fatalf("got %d edits %q, want 2", len(out.shown), out.shown)
	}
	if out.shown[0] != "Le Royaume-Uni signe  …" || !strings.HasPrefix(out.shown[1], "Le Royaume-Uni signe un partenariat [1].") {
		t.Errorf("got %q, want the text so far at each tick", out.shown)
	}
}

func TestStreamerKeepsEditsWithinTheLimit(t *testing.T) {
	out := &recordSink{seen: make(chan struct{}, 1)}
	tick := make(chan time.Time)
	s := startStreamer(out, tick)
	s.write(strings.Repeat("mot ", 1000))
	tick <- time.Now()
	<-out.seen
	s.close()
	if n := len([]rune(out.shown[0])); n > maxContent {
		t.Errorf("got an edit of %d characters, want at most %d", n, maxContent)
	}
}
