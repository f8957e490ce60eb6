package discordtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestAttachmentIsServedFromTheCDN downloads an attachment the way a bot
// would, through the rewriting client: the bytes come back, the request is
// recorded against Discord's CDN host, and an unsigned URL is refused.
func TestAttachmentIsServedFromTheCDN(t *testing.T) {
	s := New(t)
	a := s.Attachment("notes de cours.md", []byte("# Titre\n\nTexte."))
	if !strings.HasPrefix(a.URL, "https://cdn.discordapp.com/attachments/") || a.Size != 15 {
		t.Errorf("got %+v, want a CDN URL and 15 bytes", a)
	}
	get := func(url string) (int, string) {
		resp, err := s.Client().Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	if code, body := get(a.URL); code != http.StatusOK || body != "# Titre\n\nTexte." {
		t.Errorf("signed URL: got %d %q, want 200 and the bytes", code, body)
	}
	if code, _ := get(strings.Split(a.URL, "?")[0]); code != http.StatusNotFound {
		t.Errorf("unsigned URL: got %d, want 404", code)
	}
	if rs := s.Requests(); len(rs) != 2 || rs[0].Host != "cdn.discordapp.com" {
		t.Errorf("got %d requests (first to %q), want 2 to cdn.discordapp.com", len(rs), rs[0].Host)
	}
}

// TestSubcommandHelpersDecode checks the sub-command helpers survive the
// JSON round trip discordgo applies to INTERACTION_CREATE.
func TestSubcommandHelpersDecode(t *testing.T) {
	s := New(t)
	file := s.Attachment("a.pdf", []byte("%PDF-1.4"))
	tests := []struct {
		name  string
		in    *discordgo.Interaction
		check func(t *testing.T, d discordgo.ApplicationCommandInteractionData)
	}{
		{"attachment", s.Subcommand("source", "add", map[string]any{"file": file, "note": "x"}, "700", s.GuildID(), "500", 32),
			func(t *testing.T, d discordgo.ApplicationCommandInteractionData) {
				sub := d.Options[0]
				if sub.Name != "add" || sub.Type != discordgo.ApplicationCommandOptionSubCommand || len(sub.Options) != 2 {
					t.Fatalf("got %+v, want sub-command add with two options", sub)
				}
				o := sub.Options[0]
				if o.Name != "file" || o.Type != discordgo.ApplicationCommandOptionAttachment || o.Value != file.ID {
					t.Errorf("got option %+v, want file = the attachment's ID", o)
				}
				if d.Resolved == nil || d.Resolved.Attachments[file.ID] == nil || d.Resolved.Attachments[file.ID].URL != file.URL {
					t.Errorf("got resolved %+v, want the attachment", d.Resolved)
				}
			}},
		{"autocomplete", s.SubcommandAutocomplete("source", "remove", "document", "lyo", nil, "700", s.GuildID(), "500", 32),
			func(t *testing.T, d discordgo.ApplicationCommandInteractionData) {
				o := d.Options[0].Options[0]
				if d.Options[0].Name != "remove" || o.Name != "document" || !o.Focused || o.StringValue() != "lyo" {
					t.Errorf("got %+v, want remove with focused document=lyo", d.Options[0])
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
			if got.Member == nil || got.Member.Permissions != 32 {
				t.Errorf("got member %+v, want permissions 32", got.Member)
			}
			tt.check(t, got.ApplicationCommandData())
		})
	}
}
