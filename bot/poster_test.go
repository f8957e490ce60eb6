package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

func posterAnswer(text string) answer.Answer {
	return answer.Answer{Question: "Qui ?", Lang: "fr", Mode: answer.ModeExtractive, Text: text,
		Sources: []answer.Source{{N: 1, ChunkID: "doc1#0", DocID: "doc1", Title: "Un titre", Quote: "une citation"}}}
}

func newTestPoster(t *testing.T) (*Poster, *discordtest.Server) {
	t.Helper()
	srv := discordtest.New(t)
	p, err := NewPoster("token", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return p, srv
}

// A reply posted by REST alone looks as the bot's own does: the same
// text, embeds and buttons, replying to the question.
func TestPosterPostsInAChannel(t *testing.T) {
	p, srv := newTestPoster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ch, question := "200000000000000001", "500000000000000001"
	a := posterAnswer("La réponse [1].")
	if err := p.Post(ctx, Target{Key: question, Channel: ch, ReplyTo: question, Lang: "fr"}, a); err != nil {
		t.Fatal(err)
	}
	msgs := srv.ChannelMessages(ch)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Content != answerText(a) {
		t.Errorf("content %q, want %q", m.Content, answerText(a))
	}
	if m.MessageReference == nil || m.MessageReference.MessageID != question {
		t.Errorf("reference %+v, want a reply to %s", m.MessageReference, question)
	}
	if len(m.Embeds) != len(answerEmbeds(a)) || len(m.Components) != len(buttons(question, a)) {
		t.Errorf("%d embeds and %d component rows, want %d and %d", len(m.Embeds), len(m.Components), len(answerEmbeds(a)), len(buttons(question, a)))
	}
}

func TestPosterFillsAnInteraction(t *testing.T) {
	p, srv := newTestPoster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	i := srv.SlashCommand("ask", map[string]any{"question": "Qui ?"}, "400000000000000001", srv.GuildID(), "200000000000000002", 0)
	long := strings.Repeat("Une phrase qui compte [1]. ", 120) // more than one message
	tgt := Target{Key: i.ID, Channel: i.ChannelID, Lang: "fr", Deferred: time.Now(),
		Interaction: &InteractionRef{ID: i.ID, Token: i.Token, AppID: i.AppID}}
	a := posterAnswer(long)
	if err := p.Post(ctx, tgt, a); err != nil {
		t.Fatal(err)
	}
	parts := splitMessage(answerText(a), maxContent)
	edit, err := srv.WaitRequest(ctx, discordtest.MatchRoute("PATCH", "/webhooks/{app}/{token}/messages/@original"))
	if err != nil {
		t.Fatal(err)
	}
	var got discordgo.Message
	if err := edit.JSON(&got); err != nil || got.Content != parts[0] {
		t.Errorf("response %q (%v), want the first part %q", got.Content, err, parts[0])
	}
	follow, err := srv.WaitRequests(ctx, len(parts)-1, discordtest.MatchRoute("POST", "/webhooks/{app}/{token}"))
	if err != nil || len(follow) != len(parts)-1 {
		t.Fatalf("%d follow-ups (%v), want %d", len(follow), err, len(parts)-1)
	}

	// A token older than its lifetime is not used: the reply goes to the
	// channel.
	tgt.Deferred = time.Now().Add(-time.Hour)
	if err := p.Fail(ctx, tgt, answer.ErrUnknownDocument); err != nil {
		t.Fatal(err)
	}
	msgs := srv.ChannelMessages(i.ChannelID)
	if last := msgs[len(msgs)-1]; last.Content != say("fr", "unknownDoc") {
		t.Errorf("late failure notice %q, want %q in the channel", last.Content, say("fr", "unknownDoc"))
	}
}

func TestPosterShowsPassages(t *testing.T) {
	p, srv := newTestPoster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ch := "200000000000000003"
	res := []retrieval.Result{{Chunk: corpus.Chunk{ID: "d#0", DocID: "d", Text: "un passage"}, Doc: retrieval.DocInfo{ID: "d", Title: "Titre"}, Fused: 0.5}}
	for _, rs := range [][]retrieval.Result{res, nil} {
		if err := p.PostPassages(ctx, Target{Key: "k", Channel: ch, Lang: "en"}, "query", rs); err != nil {
			t.Fatal(err)
		}
	}
	msgs := srv.ChannelMessages(ch)
	if len(msgs) != 2 || len(msgs[0].Embeds) != 1 || msgs[1].Content != say("en", "noResult") {
		t.Fatalf("messages %+v, want the passages embed, then the no-result notice", msgs)
	}
}
