package bot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/bot/discordtest"
)

// partial is the text a model streams before its stream breaks.
const partial = "PARTIAL model text, abandoned when the stream broke"

// brokenStream streams partial, waits until the test has seen it shown,
// then ends as a broken model does: with the extracted passages as the
// answer (Streamed false), or with an error.
type brokenStream struct {
	shown <-chan struct{}
	text  string // streamed before the break
	err   error
}

// Answer streams, waits for shown, then falls back or fails.
func (p brokenStream) Answer(ctx context.Context, q string, _ []answer.Turn, d func(string)) (answer.Answer, error) {
	d(p.text)
	select {
	case <-p.shown:
	case <-ctx.Done():
		return answer.Answer{}, ctx.Err()
	}
	if p.err != nil {
		return answer.Answer{}, p.err
	}
	return answer.Answer{Question: q, Lang: "fr", Mode: answer.ModeExtractive, Streamed: false,
		Text: "Extraits des articles : « Le Royaume-Uni a signé un partenariat. » [1]", Notice: "Le modèle n'a pas répondu.",
		Sources: []answer.Source{{N: 1, ChunkID: "000#0", DocID: "000", Title: "Titre", Quote: "Citation."}}}, nil
}

// TestBrokenStreamLeavesNoPartialText breaks a model's stream after its
// partial text was shown in the thread: once the fallback answer or the
// apology arrives, the thread must not show the partial text anywhere,
// even when it was longer than one message.
func TestBrokenStreamLeavesNoPartialText(t *testing.T) {
	long := strings.Repeat(partial+". ", 3*maxContent/len(partial))
	tests := []struct {
		name string
		text string
		err  error
		want string // what the thread shows instead
	}{
		{"fallback to extracts", partial, nil, "Extraits des articles"},
		{"long partial text, then extracts", long, nil, "Extraits des articles"},
		{"failure", partial, errors.New("stream broken"), "Désolé"},
		{"long partial text, then failure", long, errors.New("stream broken"), "Désolé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shown := make(chan struct{})
			h := start(t, func(_ *Config, d *Deps) { d.Answer = brokenStream{shown: shown, text: tt.text, err: tt.err}.Answer })
			m := h.fake.MessageCreate(channel, h.fake.GuildID(), asker, h.fake.BotUser().Mention()+" "+question, true)
			h.dispatch(t, "MESSAGE_CREATE", m)
			thread := m.ID // a thread started on a message takes its ID
			h.wait(t, func(r discordtest.Request) bool {
				return discordtest.MatchRoute("POST", "/channels/"+thread+"/messages")(r) && strings.Contains(string(r.Body), "PARTIAL")
			})
			close(shown)
			h.wait(t, func(r discordtest.Request) bool {
				return strings.HasPrefix(r.Route(), "/channels/"+thread+"/messages") && strings.Contains(string(r.Body), tt.want)
			})
			h.shutdown(t)
			var texts []string
			for _, msg := range h.fake.ChannelMessages(thread) {
				texts = append(texts, msg.Content)
			}
			all := strings.Join(texts, "\n---\n")
			if strings.Contains(all, "PARTIAL") || !strings.Contains(all, tt.want) {
				t.Errorf("the thread shows:\n%s\nwant %q and no partial text", all, tt.want)
			}
		})
	}
}
