package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/bot/discordtest"
)

// threadReplies are the bot's messages in channelID that reply to
// messageID.
func threadReplies(t *testing.T, h *harness, channelID, messageID string) []body {
	t.Helper()
	var out []body
	for _, r := range h.fake.Requests() {
		if !discordtest.MatchRoute("POST", "/channels/"+channelID+"/messages")(r) {
			continue
		}
		var ref struct {
			Reference *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if err := r.JSON(&ref); err != nil {
			t.Fatal(err)
		}
		if ref.Reference != nil && ref.Reference.MessageID == messageID {
			out = append(out, decode(t, r))
		}
	}
	return out
}

// TestMentionInAnotherMembersThread asks the bot by mention in a thread a
// member started — one the gateway announced, and one the bot must look
// up: it answers there, replying to the question, without trying to open
// a thread in the thread, and does not take the thread's later chatter,
// or a member's unmentioned follow-up, as questions.
func TestMentionInAnotherMembersThread(t *testing.T) {
	for _, announced := range []bool{true, false} {
		t.Run(fmt.Sprint("announced ", announced), func(t *testing.T) { mentionInAnotherMembersThread(t, announced) })
	}
}

// mentionInAnotherMembersThread is TestMentionInAnotherMembersThread,
// with or without THREAD_CREATE for the thread.
func mentionInAnotherMembersThread(t *testing.T, announced bool) {
	p := &recordingPipeline{}
	h := start(t, func(c *Config, d *Deps) {
		c.syncEvents = true // "lol" is handled before the question after it
		p.next = d.Answer
		d.Answer = p.Answer
	})
	const member, other = "300000000000000005", "300000000000000006"
	th := h.fake.Thread(channel, member, "discussion")
	if announced {
		h.dispatch(t, "THREAD_CREATE", discordgo.ThreadCreate{Channel: th, NewlyCreated: true})
	}
	mention := h.fake.BotUser().Mention() + " "
	first := h.fake.MessageCreate(th.ID, h.fake.GuildID(), asker, mention+question, true)
	h.dispatch(t, "MESSAGE_CREATE", first)
	h.wait(t, isAnswerIn(th.ID))
	for _, m := range []*discordgo.Message{
		h.fake.MessageCreate(th.ID, h.fake.GuildID(), other, "lol", false),
		h.fake.MessageCreate(th.ID, h.fake.GuildID(), asker, "Et Sam Altman ?", false),
	} {
		h.dispatch(t, "MESSAGE_CREATE", m)
	}
	last := h.fake.MessageCreate(th.ID, h.fake.GuildID(), other, mention+"Qui dirige OpenAI ?", true)
	h.dispatch(t, "MESSAGE_CREATE", last)
	if _, err := h.fake.WaitRequests(ctxFor(t), 2, isAnswerIn(th.ID)); err != nil {
		t.Fatal(err)
	}

	var asked []string
	for _, c := range p.calls() {
		asked = append(asked, c.q)
	}
	if want := []string{question, "Qui dirige OpenAI ?"}; !slices.Equal(asked, want) {
		t.Errorf("got questions %q, want only the two mentions %q", asked, want)
	}
	for _, m := range []*discordgo.Message{first, last} {
		if got := threadReplies(t, h, th.ID, m.ID); len(got) == 0 || !strings.Contains(got[len(got)-1].Content, "[") {
			t.Errorf("message %s: got replies %+v in the thread, want the answer replying to it", m.ID, got)
		}
	}
	for _, r := range h.fake.Requests() {
		if strings.HasSuffix(r.Route(), "/threads") {
			t.Errorf("got %s %s, want no thread started in a thread", r.Method, r.Path)
		}
	}
}

// TestOwnThreadIsFollowedAfterARestart announces, as GUILD_CREATE does
// after a restart, an active thread the bot started before: a message
// there without a mention is a follow-up.
func TestOwnThreadIsFollowedAfterARestart(t *testing.T) {
	h := start(t, func(c *Config, _ *Deps) { c.syncEvents = true })
	mine := h.fake.Thread(channel, h.fake.BotUser().ID, "earlier question")
	h.dispatch(t, "GUILD_CREATE", &discordgo.Guild{ID: h.fake.GuildID(), Name: "guild", Threads: []*discordgo.Channel{mine}})
	m := h.fake.MessageCreate(mine.ID, h.fake.GuildID(), asker, question, false)
	h.dispatch(t, "MESSAGE_CREATE", m)
	if got := h.wait(t, isAnswerIn(mine.ID)); !strings.Contains(decode(t, got).Content, "[1]") {
		t.Errorf("got %q, want the follow-up answered in the bot's thread", decode(t, got).Content)
	}
}

// isAnswerIn matches an answer (a message with buttons) posted in
// channelID.
func isAnswerIn(channelID string) func(discordtest.Request) bool {
	return func(r discordtest.Request) bool {
		return discordtest.MatchRoute("POST", "/channels/"+channelID+"/messages")(r) && strings.Contains(string(r.Body), `"components":[{`)
	}
}
