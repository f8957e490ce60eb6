package bot

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// recordSink records what a streamer shows.
type recordSink struct {
	mu    sync.Mutex
	shown []string
	seen  chan struct{}
}

func (r *recordSink) progress(text string) error {
	r.mu.Lock()
	r.shown = append(r.shown, text)
	r.mu.Unlock()
	r.seen <- struct{}{}
	return nil
}

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

func TestStripMention(t *testing.T) {
	tests := map[string]string{
		"<@100> Quelle date ?":       "Quelle date ?",
		"<@!100>   Who?  ":           "Who?",
		"<@100> ask <@200> about it": "ask <@200> about it",
		"no mention":                 "no mention",
	}
	for in, want := range tests {
		if got := stripMention(in, "100"); got != want {
			t.Errorf("stripMention(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestConnectErrorNamesTheFix(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{4004, "DISCORD_TOKEN"},
		{4014, "Message Content intent"},
		{1006, "connect to Discord"},
	}
	for _, tt := range tests {
		err := connectError(&websocket.CloseError{Code: tt.code})
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("close %d: got %q, want it to mention %q", tt.code, err, tt.want)
		}
	}
}

func TestThreadNameDropsInvisibleCharacters(t *testing.T) {
	got := threadName("Qui\u202e est\u200b\nPeter Kyle ?")
	if got != "Qui est Peter Kyle ?" {
		t.Errorf("got %q, want the question without control characters", got)
	}
}
