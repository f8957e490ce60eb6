package discordtest

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestDefaultRoutes drives the REST defaults through discordgo's own calls,
// so the shapes the fake returns are the shapes discordgo can decode.
func TestDefaultRoutes(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, s *Server, sess *discordgo.Session)
	}{
		{"message thread is served afterwards", func(t *testing.T, s *Server, sess *discordgo.Session) {
			th, err := sess.MessageThreadStart("500", "900", "topic", 60)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sess.Channel(th.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != "900" || got.Type != discordgo.ChannelTypeGuildPublicThread || got.ParentID != "500" || got.OwnerID != s.BotUser().ID || got.Name != "topic" {
				t.Errorf("thread: got %+v, want ID 900, type 11, parent 500, owner bot, name topic", got)
			}
		}},
		{"channel thread gets a new ID", func(t *testing.T, s *Server, sess *discordgo.Session) {
			th, err := sess.ThreadStart("500", "t", discordgo.ChannelTypeGuildPublicThread, 60)
			if err != nil {
				t.Fatal(err)
			}
			if th.ID == "" || th.ID == "500" || th.GuildID != s.GuildID() {
				t.Errorf("thread: got ID %q guild %q, want a new ID in %q", th.ID, th.GuildID, s.GuildID())
			}
		}},
		{"no thread in a thread", func(t *testing.T, s *Server, sess *discordgo.Session) {
			th := s.Thread("500", "700", "someone's")
			_, err := sess.MessageThreadStart(th.ID, "901", "nested", 60)
			var rest *discordgo.RESTError
			if !errors.As(err, &rest) || rest.Response.StatusCode != 400 || rest.Message == nil || rest.Message.Code != discordgo.ErrCodeCannotExecuteActionOnThisChannelType {
				t.Errorf("thread in a thread: got %v, want a 400 RESTError with code 50024", err)
			}
			if got, err := sess.Channel(th.ID); err != nil || !got.IsThread() || got.OwnerID != "700" || got.ParentID != "500" {
				t.Errorf("thread: got %+v, %v, want a thread of 700 under 500", got, err)
			}
		}},
		{"deleted messages are gone from the channel", func(t *testing.T, s *Server, sess *discordgo.Session) {
			var ids []string
			for _, text := range []string{"one", "two", "three"} {
				m, err := sess.ChannelMessageSend("500", text)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			if err := sess.ChannelMessageDelete("500", ids[1]); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range s.ChannelMessages("500") {
				got = append(got, m.Content)
			}
			if strings.Join(got, ",") != "one,three" {
				t.Errorf("channel shows %q, want one,three", got)
			}
			var rest *discordgo.RESTError
			if err := sess.ChannelMessageDelete("500", ids[1]); !errors.As(err, &rest) || rest.Response.StatusCode != 404 {
				t.Errorf("deleting again: got %v, want a 404 RESTError", err)
			}
		}},
		{"retain forgets the oldest", func(t *testing.T, s *Server, sess *discordgo.Session) {
			s.Retain(2)
			for range 10 {
				if _, err := sess.ChannelMessageSend("500", "x"); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(s.ChannelMessages("500")); n < 2 || n > 4 {
				t.Errorf("got %d messages kept, want 2 to 4", n)
			}
			if n := len(s.Requests()); n < 2 || n > 4 {
				t.Errorf("got %d requests kept, want 2 to 4", n)
			}
			for range 10 {
				ic := s.SlashCommand("ask", nil, "700", "", "600", 0)
				if _, err := sess.InteractionResponseEdit(ic, &discordgo.WebhookEdit{Content: ptr("x")}); err != nil {
					t.Fatal(err)
				}
			}
			s.mu.Lock()
			tokens, originals := len(s.rest.tokens), len(s.rest.originals)
			s.mu.Unlock()
			if tokens > 4 || originals > 4 {
				t.Errorf("got %d tokens and %d original responses kept, want at most 4", tokens, originals)
			}
		}},
		{"unknown channel is a guild text channel", func(t *testing.T, s *Server, sess *discordgo.Session) {
			ch, err := sess.Channel("501")
			if err != nil {
				t.Fatal(err)
			}
			if ch.Type != discordgo.ChannelTypeGuildText || ch.GuildID != s.GuildID() {
				t.Errorf("channel: got type %d guild %q, want 0, %q", ch.Type, ch.GuildID, s.GuildID())
			}
		}},
		{"history is served with limit", func(t *testing.T, s *Server, sess *discordgo.Session) {
			s.SetMessages("500", []*discordgo.Message{{ID: "3", Content: "c"}, {ID: "2"}, {ID: "1"}})
			msgs, err := sess.ChannelMessages("500", 2, "", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 2 || msgs[0].Content != "c" {
				t.Errorf("history: got %d messages, want 2 starting with c", len(msgs))
			}
			if m, err := sess.ChannelMessage("500", "2"); err != nil || m.ID != "2" {
				t.Errorf("ChannelMessage: got %v, %v, want message 2", m, err)
			}
		}},
		{"edit keeps what it does not change", func(t *testing.T, s *Server, sess *discordgo.Session) {
			sent, err := sess.ChannelMessageSendEmbed("500", &discordgo.MessageEmbed{Title: "e"})
			if err != nil {
				t.Fatal(err)
			}
			edited, err := sess.ChannelMessageEdit("500", sent.ID, "now text")
			if err != nil {
				t.Fatal(err)
			}
			if edited.Content != "now text" || len(edited.Embeds) != 1 || edited.EditedTimestamp == nil {
				t.Errorf("edited: got content %q, %d embeds, edited %v; want text, 1 embed, a timestamp", edited.Content, len(edited.Embeds), edited.EditedTimestamp)
			}
		}},
		{"files are read from payload_json", func(t *testing.T, s *Server, sess *discordgo.Session) {
			m, err := sess.ChannelMessageSendComplex("500", &discordgo.MessageSend{
				Content: "with file",
				Files:   []*discordgo.File{{Name: "a.txt", Reader: strings.NewReader("data")}},
			})
			if err != nil || m.Content != "with file" {
				t.Errorf("send with file: got %v, %v, want content echoed", m, err)
			}
		}},
		{"followups and typing", func(t *testing.T, s *Server, sess *discordgo.Session) {
			ic := s.SlashCommand("ask", nil, "700", "", "600", 0)
			m, err := sess.FollowupMessageCreate(ic, true, &discordgo.WebhookParams{Content: "more"})
			if err != nil || m.Content != "more" || m.ChannelID != "600" {
				t.Errorf("followup: got %+v, %v, want content more in 600", m, err)
			}
			if m, err := sess.FollowupMessageCreate(ic, false, &discordgo.WebhookParams{Content: "x"}); err != nil || m != nil {
				t.Errorf("followup without wait: got %v, %v, want nil, nil", m, err)
			}
			if err := sess.ChannelTyping("600"); err != nil {
				t.Errorf("ChannelTyping: %v", err)
			}
		}},
		{"bulk overwrite echoes commands with IDs", func(t *testing.T, s *Server, sess *discordgo.Session) {
			for _, guild := range []string{"", s.GuildID()} {
				cmds, err := sess.ApplicationCommandBulkOverwrite(s.AppID(), guild, []*discordgo.ApplicationCommand{{Name: "ask", Description: "d"}})
				if err != nil {
					t.Fatal(err)
				}
				if len(cmds) != 1 || cmds[0].ID == "" || cmds[0].Name != "ask" || cmds[0].GuildID != guild {
					t.Errorf("guild %q: got %+v, want ask with an ID", guild, cmds)
				}
			}
		}},
		{"unknown route is a 404 RESTError", func(t *testing.T, s *Server, sess *discordgo.Session) {
			_, err := sess.GuildRoles(s.GuildID())
			var rest *discordgo.RESTError
			if !errors.As(err, &rest) || rest.Response.StatusCode != 404 || rest.Message == nil {
				t.Errorf("GuildRoles: got %v, want a 404 RESTError with a message", err)
			}
			if got := s.Requests(); len(got) != 1 || got[0].Host != "discord.com" {
				t.Errorf("recorded: got %+v, want one request to discord.com", got)
			}
		}},
		{"overrides fall through in order", func(t *testing.T, s *Server, sess *discordgo.Session) {
			s.Respond("GET", "/users/{id}", func(Request) (int, any, http.Header) { return 0, nil, nil })
			s.Respond("GET", "/users/{id}", func(Request) (int, any, http.Header) {
				return 200, &discordgo.User{ID: "1", Username: "scripted"}, nil
			})
			u, err := sess.User("@me")
			if err != nil || u.Username != "scripted" {
				t.Errorf("User: got %v, %v, want the scripted user", u, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := New(t)
			sess, err := discordgo.New("Bot test-token")
			if err != nil {
				t.Fatal(err)
			}
			s.Attach(sess)
			tt.run(t, s, sess)
		})
	}
}

func TestMatchRoute(t *testing.T) {
	tests := []struct {
		method, pattern, sent, path string
		want                        bool
	}{
		{"POST", "/api/v10/channels/{id}/messages", "POST", "/api/v9/channels/5/messages", true},
		{"POST", "/channels/{id}/messages", "POST", "/api/v9/channels/5/messages", true},
		{"POST", "/channels/{id}/messages", "POST", "/api/v9/channels/5/messages/6", false},
		{"GET", "/channels/{id}/messages", "POST", "/api/v9/channels/5/messages", false},
		{"PATCH", "/webhooks/{app}/{token}/messages/@original", "PATCH", "/api/v9/webhooks/1/t/messages/@original", true},
		{"PATCH", "/webhooks/{app}/{token}/messages/@original", "PATCH", "/api/v9/webhooks/1/t/messages/7", false},
		{"GET", "/gateway", "GET", "/api/gateway", true},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.pattern+" "+tt.path, func(t *testing.T) {
			if got := MatchRoute(tt.method, tt.pattern)(Request{Method: tt.sent, Path: tt.path}); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRequestRouteAndSegment(t *testing.T) {
	tests := []struct {
		path, pattern, name string
		wantRoute, wantSeg  string
	}{
		{"/api/v9/interactions/11/tok/callback", "/interactions/{id}/{token}/callback", "token", "/interactions/11/tok/callback", "tok"},
		{"/api/v10/webhooks/1/tok/messages/@original", "/webhooks/{app}/{token}/messages/@original", "token", "/webhooks/1/tok/messages/@original", "tok"},
		{"/api/v9/channels/5/messages", "/api/v10/channels/{id}/messages", "id", "/channels/5/messages", "5"},
		{"/api/v9/channels/5/messages", "/channels/{id}/typing", "id", "/channels/5/messages", ""},
		{"/api/v9/channels/5/messages", "/channels/{id}/messages", "mid", "/channels/5/messages", ""},
		{"/gateway/bot", "/gateway/{kind}", "kind", "/gateway/bot", "bot"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.pattern, func(t *testing.T) {
			r := Request{Method: "POST", Path: tt.path}
			if got := r.Route(); got != tt.wantRoute {
				t.Errorf("Route: got %q, want %q", got, tt.wantRoute)
			}
			if got := r.Segment(tt.pattern, tt.name); got != tt.wantSeg {
				t.Errorf("Segment(%q, %q): got %q, want %q", tt.pattern, tt.name, got, tt.wantSeg)
			}
		})
	}
}
