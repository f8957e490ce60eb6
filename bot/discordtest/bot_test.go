package discordtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// echoBot is the smallest bot worth testing: it replies to messages without
// pinging anyone and defers slash commands, reporting errors on channels
// because discordgo runs handlers in their own goroutines.
type echoBot struct {
	messages chan *discordgo.MessageCreate
	guilds   chan *discordgo.GuildCreate
	errs     chan error
}

func newEchoBot(sess *discordgo.Session) *echoBot {
	b := &echoBot{messages: make(chan *discordgo.MessageCreate, 8), guilds: make(chan *discordgo.GuildCreate, 1), errs: make(chan error, 8)}
	sess.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { b.guilds <- g })
	sess.AddHandler(func(ds *discordgo.Session, m *discordgo.MessageCreate) {
		b.messages <- m
		_, err := ds.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
			Content:         "pong",
			Reference:       m.Reference(),
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
		})
		b.errs <- err
	})
	sess.AddHandler(func(ds *discordgo.Session, ic *discordgo.InteractionCreate) {
		if q := ic.ApplicationCommandData().GetOption("question"); q == nil || q.StringValue() != "why?" {
			b.errs <- errors.New("option question missing")
			return
		}
		b.errs <- ds.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		})
	})
	return b
}

// TestEndToEnd runs one session through the steps a bot test needs, in
// order: they share the session so discordgo's 1 s sleeps (in Close, and
// in the Close that starts a reconnect) are paid once.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	s := New(t)
	sess := newSession(t, s)
	bot := newEchoBot(sess)
	open(ctx, t, s, sess)

	steps := []struct {
		name string
		run  func(ctx context.Context, t *testing.T, s *Server, sess *discordgo.Session, bot *echoBot)
	}{
		{"identify carries token and intents", checkIdentify},
		{"message in, reply recorded", checkMessageRoundTrip},
		{"interaction in, deferred response recorded", checkInteraction},
		{"started thread is announced", checkThreadCreate},
		{"dropped connection resumes", checkResume},
		{"close returns", func(_ context.Context, t *testing.T, _ *Server, sess *discordgo.Session, _ *echoBot) {
			start := time.Now()
			if err := sess.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			t.Logf("Close took %v", time.Since(start))
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, func(t *testing.T) { step.run(ctx, t, s, sess, bot) }) {
			return // later steps depend on this one
		}
	}
}

func checkIdentify(ctx context.Context, t *testing.T, s *Server, sess *discordgo.Session, bot *echoBot) {
	id := s.LastIdentify()
	if got, want := id["token"], "Bot test-token"; got != want {
		t.Errorf("identify token: got %v, want %v", got, want)
	}
	if got, want := id["intents"], float64(testIntents); got != want {
		t.Errorf("identify intents: got %v, want %v", got, want)
	}
	if got, want := sess.State.User.ID, s.BotUser().ID; got != want {
		t.Errorf("state user: got %q, want %q", got, want)
	}
	if err := s.WaitHeartbeats(ctx, 1); err != nil {
		t.Error(err)
	}
	// GUILD_CREATE follows READY; discordgo's state has applied it before
	// handlers see it.
	if g := receive(ctx, t, bot.guilds); g.ID != s.GuildID() || g.Unavailable {
		t.Errorf("GUILD_CREATE: got %+v, want the available guild %s", g.Guild, s.GuildID())
	}
	if g, err := sess.State.Guild(s.GuildID()); err != nil || g.Unavailable {
		t.Errorf("state guild: got %+v, %v, want the guild from GUILD_CREATE", g, err)
	}
}

func checkMessageRoundTrip(ctx context.Context, t *testing.T, s *Server, _ *discordgo.Session, bot *echoBot) {
	in := s.MessageCreate("500", s.GuildID(), "700", s.BotUser().Mention()+" ping", true)
	if err := s.Dispatch("MESSAGE_CREATE", in); err != nil {
		t.Fatal(err)
	}
	got := receive(ctx, t, bot.messages)
	if got.Content != in.Content || got.Author.ID != "700" {
		t.Errorf("event: got content %q author %q, want %q, %q", got.Content, got.Author.ID, in.Content, "700")
	}
	if len(got.Mentions) != 1 || got.Mentions[0].ID != s.BotUser().ID {
		t.Errorf("mentions: got %v, want the bot", got.Mentions)
	}
	if err := receive(ctx, t, bot.errs); err != nil {
		t.Fatalf("ChannelMessageSendComplex: %v", err)
	}

	req, err := s.WaitRequest(ctx, MatchRoute("POST", "/api/v10/channels/{id}/messages"))
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != "Bot test-token" {
		t.Errorf("authorization: got %q, want %q", got, "Bot test-token")
	}
	var body struct {
		Content         string
		AllowedMentions struct {
			Parse []string `json:"parse"` // null decodes to nil, [] to empty
		} `json:"allowed_mentions"`
		Reference struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	if err := req.JSON(&body); err != nil {
		t.Fatal(err)
	}
	parse := body.AllowedMentions.Parse
	if body.Content != "pong" || parse == nil || len(parse) != 0 || body.Reference.MessageID != in.ID {
		t.Errorf("sent body: got %s, want content pong, allowed_mentions.parse [] and a reference to %s", req.Body, in.ID)
	}
}

func checkInteraction(ctx context.Context, t *testing.T, s *Server, sess *discordgo.Session, bot *echoBot) {
	ic := s.SlashCommand("ask", map[string]any{"question": "why?", "k": 3}, "700", s.GuildID(), "500", discordgo.PermissionSendMessages)
	if err := s.Dispatch("INTERACTION_CREATE", ic); err != nil {
		t.Fatal(err)
	}
	if err := receive(ctx, t, bot.errs); err != nil {
		t.Fatalf("handler: %v", err)
	}
	req, err := s.WaitRequest(ctx, MatchRoute("POST", "/interactions/{id}/{token}/callback"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "/api/v9/interactions/" + ic.ID + "/" + ic.Token + "/callback"; req.Path != want {
		t.Errorf("callback path: got %q, want %q", req.Path, want)
	}
	var resp discordgo.InteractionResponse
	if err := req.JSON(&resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("callback type: got %d, want 5", resp.Type)
	}

	edited, err := sess.InteractionResponseEdit(ic, &discordgo.WebhookEdit{Content: ptr("because")})
	if err != nil {
		t.Fatalf("InteractionResponseEdit: %v", err)
	}
	if edited.Content != "because" || edited.ChannelID != "500" {
		t.Errorf("edited original: got content %q channel %q, want %q, %q", edited.Content, edited.ChannelID, "because", "500")
	}
}

func checkThreadCreate(ctx context.Context, t *testing.T, s *Server, sess *discordgo.Session, _ *echoBot) {
	created := make(chan *discordgo.ThreadCreate, 1)
	remove := sess.AddHandler(func(_ *discordgo.Session, ev *discordgo.ThreadCreate) { created <- ev })
	defer remove()
	th, err := sess.MessageThreadStart("500", s.NewID(), "topic", 60)
	if err != nil {
		t.Fatal(err)
	}
	if got := receive(ctx, t, created); got.ID != th.ID || got.OwnerID != s.BotUser().ID || !got.NewlyCreated {
		t.Errorf("THREAD_CREATE: got %+v, want the new thread %s owned by the bot", got, th.ID)
	}
}

func checkResume(ctx context.Context, t *testing.T, s *Server, _ *discordgo.Session, bot *echoBot) {
	start := time.Now()
	s.DropConnection()
	if err := s.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("reconnect took %v", time.Since(start))
	if got, want := [2]int{s.Identifies(), s.Resumes()}, [2]int{1, 1}; got != want {
		t.Errorf("identifies, resumes: got %v, want %v", got, want)
	}
	if err := s.Dispatch("MESSAGE_CREATE", s.MessageCreate("500", s.GuildID(), "700", "after resume", false)); err != nil {
		t.Fatal(err)
	}
	if got := receive(ctx, t, bot.messages); got.Content != "after resume" {
		t.Errorf("content after resume: got %q, want %q", got.Content, "after resume")
	}
	if err := receive(ctx, t, bot.errs); err != nil {
		t.Errorf("reply after resume: %v", err)
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	s := New(t)
	sess := newSession(t, s)
	s.Respond("POST", "/api/v10/channels/{id}/messages", Once(TooManyRequests(10*time.Millisecond, false)))

	m, err := sess.ChannelMessageSend("500", "hello")
	if err != nil {
		t.Fatalf("ChannelMessageSend: %v", err)
	}
	if m.Content != "hello" || m.ID == "" {
		t.Errorf("sent message: got %+v, want content hello and an ID", m)
	}
	reqs, err := s.WaitRequests(ctx, 2, MatchRoute("POST", "/channels/{id}/messages"))
	if err != nil {
		t.Fatal(err)
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 10*time.Millisecond {
		t.Errorf("retry gap: got %v, want at least retry_after 10ms", gap)
	}
}

func ptr[T any](v T) *T { return &v }
