package bot

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// maxContent is Discord's limit on a message's text, in characters.
const maxContent = 2000

// noMentions is the allowed_mentions of every message the bot sends: an
// empty parse list, so no text from a user, an article or a model can ping
// @everyone, a role or a user. (A nil list would be sent as null.)
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// sink is where an answer is shown: a message in a channel or thread, or
// an interaction's response.
type sink interface {
	// progress shows the partial text of a streamed answer.
	progress(text string) error
	// final shows the answer in parts of at most maxContent characters;
	// embeds and components go with the last part.
	final(parts []string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) error
}

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

func startStreamer(out sink, tick <-chan time.Time) *streamer {
	s := &streamer{out: out, tick: tick, stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *streamer) write(delta string) {
	s.mu.Lock()
	s.text.WriteString(delta)
	s.mu.Unlock()
}

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

// answerText is what the message says: the answer and its notice.
func answerText(a answer.Answer) string {
	text := a.Text
	if a.Notice != "" {
		text += "\n\n_" + a.Notice + "_"
	}
	return defuse(text)
}

// buttons are the feedback and Sources buttons under an answer; key finds
// the answer again when they are clicked.
func buttons(key string, a answer.Answer) []discordgo.MessageComponent {
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: "fb:up:" + key, Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton},
		discordgo.Button{CustomID: "fb:down:" + key, Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton},
	}}
	if len(a.Passages) > 0 {
		row.Components = append(row.Components, discordgo.Button{CustomID: "src:" + key, Label: "Sources", Style: discordgo.PrimaryButton})
	}
	return []discordgo.MessageComponent{row}
}
