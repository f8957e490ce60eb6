package bot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

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
