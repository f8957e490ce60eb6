package discordtest

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestInteractionHelpersDecode checks the helpers survive the JSON round
// trip discordgo applies to INTERACTION_CREATE, without a gateway.
func TestInteractionHelpersDecode(t *testing.T) {
	s := New(t)
	msg := s.MessageCreate("500", s.GuildID(), "700", "hi", false)
	tests := []struct {
		name  string
		in    *discordgo.Interaction
		check func(t *testing.T, got *discordgo.Interaction)
	}{
		{"slash command", s.SlashCommand("ask", map[string]any{"q": "why", "k": 3, "x": 1.5, "b": true}, "700", s.GuildID(), "500", discordgo.PermissionAdministrator),
			func(t *testing.T, got *discordgo.Interaction) {
				d := got.ApplicationCommandData()
				if d.Name != "ask" || d.GetOption("q").StringValue() != "why" || d.GetOption("k").IntValue() != 3 ||
					d.GetOption("x").FloatValue() != 1.5 || !d.GetOption("b").BoolValue() {
					t.Errorf("data: got %+v, want ask with q=why k=3 x=1.5 b=true", d)
				}
				if got.Member == nil || got.Member.User.ID != "700" || got.Member.Permissions != discordgo.PermissionAdministrator {
					t.Errorf("member: got %+v, want user 700 with administrator", got.Member)
				}
			}},
		{"autocomplete", s.Autocomplete("ask", "q", "wh", nil, "700", "", "500"),
			func(t *testing.T, got *discordgo.Interaction) {
				o := got.ApplicationCommandData().GetOption("q")
				if got.Type != discordgo.InteractionApplicationCommandAutocomplete || o == nil || !o.Focused || o.StringValue() != "wh" {
					t.Errorf("autocomplete: got type %d option %+v, want 4 with focused q=wh", got.Type, o)
				}
				if got.User == nil || got.User.ID != "700" || got.Member != nil {
					t.Errorf("DM invoker: got user %+v member %+v, want user 700 only", got.User, got.Member)
				}
			}},
		{"modal submit", s.ModalSubmit("form", "700", s.GuildID(), "500"),
			func(t *testing.T, got *discordgo.Interaction) {
				if got.Type != discordgo.InteractionModalSubmit || got.ModalSubmitData().CustomID != "form" {
					t.Errorf("modal: got type %d, want 5 with custom ID form", got.Type)
				}
			}},
		{"button click", s.ButtonClick("more", msg, "700", s.GuildID(), "500"),
			func(t *testing.T, got *discordgo.Interaction) {
				d := got.MessageComponentData()
				if d.CustomID != "more" || d.ComponentType != discordgo.ButtonComponent || got.Message == nil || got.Message.ID != msg.ID {
					t.Errorf("button: got %+v on message %v, want more on %s", d, got.Message, msg.ID)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got discordgo.InteractionCreate
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.in.ID || got.Token == "" || got.AppID != s.AppID() {
				t.Errorf("envelope: got id %q token %q app %q, want %q, a token, %q", got.ID, got.Token, got.AppID, tt.in.ID, s.AppID())
			}
			tt.check(t, got.Interaction)
		})
	}
}
