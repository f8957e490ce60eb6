package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
)

// TestChatterIsNotRecordedAsSeen sends onMessage messages that are not for
// the bot: none may take a place in the duplicate filter, or a busy
// server's chatter would push real questions out of it.
func TestChatterIsNotRecordedAsSeen(t *testing.T) {
	const me, guild, other = "100000000000000001", "300000000000000001", "200000000000000009"
	ix := defaultIndex(t)
	b, err := New(Config{Token: token}, Deps{Answer: extractive(&answer.Extractive{Index: ix}), Library: ix, Summary: &answer.Summarizer{Index: ix}})
	if err != nil {
		t.Fatal(err)
	}
	b.sess, err = discordgo.New("Bot " + token) // a state cache, no connection
	if err != nil {
		t.Fatal(err)
	}
	b.ready.user.Store(&discordgo.User{ID: me})
	tests := []struct {
		name string
		m    *discordgo.Message
	}{
		{"guild chatter", &discordgo.Message{ID: "1", ChannelID: other, GuildID: guild, Author: &discordgo.User{ID: asker}, Content: "hello all"}},
		{"mention of someone else", &discordgo.Message{ID: "2", ChannelID: other, GuildID: guild, Author: &discordgo.User{ID: asker},
			Content: "<@400000000000000001> hi", Mentions: []*discordgo.User{{ID: "400000000000000001"}}}},
		{"from a bot", &discordgo.Message{ID: "3", ChannelID: other, GuildID: guild, Author: &discordgo.User{ID: "5", Bot: true},
			Content: "<@" + me + "> hi", Mentions: []*discordgo.User{{ID: me}}}},
		{"no author", &discordgo.Message{ID: "4", ChannelID: other, GuildID: guild, Content: "system"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b.onMessage(tt.m)
			if !b.adm.firstDelivery("m:" + tt.m.ID) {
				t.Errorf("message %s: got it recorded as seen, want the duplicate filter left alone", tt.m.ID)
			}
		})
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

func TestThreadNameDropsInvisibleCharacters(t *testing.T) {
	got := threadName("Qui\u202e est\u200b\nPeter Kyle ?")
	if got != "Qui est Peter Kyle ?" {
		t.Errorf("got %q, want the question without control characters", got)
	}
}
