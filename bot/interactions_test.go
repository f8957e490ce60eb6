package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// TestRefusedInteractionTokenFallsBackToChannel has Discord refuse the
// interaction's token well before its 15 minutes: the answer, or the
// notice of a failure, must reach the channel instead of the dead webhook.
func TestRefusedInteractionTokenFallsBackToChannel(t *testing.T) {
	failing := func(context.Context, string, []answer.Turn, func(string)) (answer.Answer, error) {
		return answer.Answer{}, errors.New("model down")
	}
	tests := []struct {
		name   string
		status int
		code   int
		fail   bool   // the pipeline fails: the notice must arrive
		want   string // in the channel message
	}{
		{"401 unauthorized", http.StatusUnauthorized, 0, false, "[1]"},
		{"invalid webhook token", http.StatusNotFound, 50027, false, "[1]"},
		{"failure notice", http.StatusUnauthorized, 50027, true, "Désolé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, func(_ *Config, d *Deps) {
				if tt.fail {
					d.Answer = failing
				}
			})
			refuse := func(discordtest.Request) (int, any, http.Header) {
				return tt.status, map[string]any{"message": "Invalid Webhook Token", "code": tt.code}, nil
			}
			h.fake.Respond("PATCH", "/webhooks/{app}/{token}/messages/{mid}", refuse)
			h.fake.Respond("POST", "/webhooks/{app}/{token}", refuse)
			i := h.fake.SlashCommand("ask", map[string]any{"question": question}, asker, h.fake.GuildID(), channel, 0)
			h.dispatch(t, "INTERACTION_CREATE", i)
			r := h.wait(t, discordtest.MatchRoute("POST", "/channels/"+channel+"/messages"))
			checkNoMentions(t, r)
			if b := decode(t, r); !strings.Contains(b.Content, tt.want) {
				t.Errorf("got %q in the channel, want %q", b.Content, tt.want)
			}
		})
	}
}

// TestUnknownInteractionsAreAnswered sends interactions the bot has no
// use for: each gets a private "unknown or outdated" note in the member's
// language (autocomplete, which cannot carry one, gets no choices), and a
// vote on an answer the bot never gave is not recorded.
func TestUnknownInteractionsAreAnswered(t *testing.T) {
	h := start(t, nil)
	f := h.fake
	french := f.SlashCommand("nosuch", nil, asker, f.GuildID(), channel, 0)
	french.Locale = discordgo.French
	tests := []struct {
		name     string
		i        *discordgo.Interaction
		wantType int
		want     string
	}{
		{"unknown command, French member", french, 4, say("fr", "unknown")},
		{"unknown button", f.ButtonClick("weird:1", nil, asker, f.GuildID(), channel), 4, say("en", "unknown")},
		{"unsolicited modal", f.ModalSubmit("form", asker, f.GuildID(), channel), 4, say("en", "unknown")},
		{"forged vote", f.ButtonClick("fb:up:999999999", nil, asker, f.GuildID(), channel), 4, say("en", "unknown")},
		{"vote on someone else's message", f.ButtonClick("fb:up:999999998",
			f.MessageCreate(channel, f.GuildID(), asker, "not the bot's", false), asker, f.GuildID(), channel), 4, say("en", "unknown")},
		{"autocomplete of an unknown command", f.Autocomplete("nosuch", "q", "x", nil, asker, f.GuildID(), channel), 8, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.dispatch(t, "INTERACTION_CREATE", tt.i)
			b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+tt.i.ID+"/{token}/callback")))
			switch {
			case b.Type != tt.wantType || b.Data == nil:
				t.Errorf("got callback %+v, want type %d", b, tt.wantType)
			case tt.wantType == 4 && (b.Data.Flags&64 == 0 || b.Data.Content != tt.want):
				t.Errorf("got %q (flags %d), want %q privately", b.Data.Content, b.Data.Flags, tt.want)
			case tt.wantType == 8 && len(b.Data.Choices) != 0:
				t.Errorf("got choices %v, want none", b.Data.Choices)
			}
		})
	}
	if votes := h.votes(t); len(votes) != 0 {
		t.Errorf("got votes %+v, want none recorded", votes)
	}
}

// TestVoteOnAForgottenAnswer clicks 👎 under one of the bot's answers it
// no longer keeps (as after a restart): the vote is recorded with the
// message's text and marked as not known.
func TestVoteOnAForgottenAnswer(t *testing.T) {
	h := start(t, nil)
	msg := &discordgo.Message{ID: h.fake.NewID(), ChannelID: channel, Author: h.fake.BotUser(), Content: "Une réponse [1]."}
	click := h.fake.ButtonClick("fb:down:"+msg.ID, msg, asker, h.fake.GuildID(), channel)
	h.dispatch(t, "INTERACTION_CREATE", click)
	b := decode(t, h.wait(t, discordtest.MatchRoute("POST", "/interactions/"+click.ID+"/{token}/callback")))
	if b.Data == nil || b.Data.Content != say("en", "thanks") {
		t.Errorf("got %+v, want thanks", b.Data)
	}
	votes := h.votes(t)
	if len(votes) != 1 {
		t.Fatalf("got %d votes, want 1", len(votes))
	}
	if rec := votes[0]; rec.Known || rec.Answer != msg.Content || rec.Question != "" || rec.Vote != "down" || rec.AnswerKey != msg.ID {
		t.Errorf("got %+v, want the message's text, no question, and known false", rec)
	}
}
