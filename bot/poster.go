package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// When citebot is scaled out (CITEBOT_NATS_URL), the gateway admits a
// question and a worker, in another process, answers it. The worker
// posts the reply through Discord's REST API alone, with the renderers
// the bot itself uses (answerText, splitMessage, answerEmbeds, buttons,
// passagesEmbed): a reply looks the same whichever process made it.

// Target is where a reply admitted by another process goes: a channel (or
// thread) message replying to the question, or an interaction's deferred
// response.
type Target struct {
	// Key is the question's event ID, which the answer's buttons carry.
	Key     string
	Channel string
	// ReplyTo is the message the reply answers, for a question asked in a
	// message.
	ReplyTo string
	// Interaction is set for a slash command, deferred by the gateway at
	// Deferred: its token is trusted for Poster's TTL from then.
	Interaction *InteractionRef
	Deferred    time.Time
	Lang        string
}

// InteractionRef is what editing an interaction's response takes.
type InteractionRef struct {
	ID, Token, AppID string
	Ephemeral        bool
}

// Poster posts replies on Discord by REST, with no gateway connection.
type Poster struct {
	api *discordAPI
	ttl time.Duration
}

// NewPoster makes a REST-only Discord session with the bot's token;
// httpClient, when set, carries its calls (tests point it at a fake).
func NewPoster(token string, httpClient *http.Client) (*Poster, error) {
	if token == "" {
		return nil, errors.New("DISCORD_TOKEN is not set: a worker posts its replies on Discord with it")
	}
	sess, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	sess.StateEnabled = false
	if httpClient != nil {
		sess.Client = httpClient
	}
	var c Config
	c.defaults()
	return &Poster{api: newDiscordAPI(sess), ttl: c.InteractionTTL}, nil
}

// sink returns where t's reply is shown.
func (p *Poster) sink(t Target) interface {
	sink
	tell(string)
} {
	if ref := t.Interaction; ref != nil {
		i := &discordgo.Interaction{ID: ref.ID, Token: ref.Token, AppID: ref.AppID, ChannelID: t.Channel}
		return &interactionSink{api: p.api, i: i, start: t.Deferred, ttl: p.ttl, ephemeral: ref.Ephemeral}
	}
	var ref *discordgo.MessageReference
	if t.ReplyTo != "" {
		ref = &discordgo.MessageReference{MessageID: t.ReplyTo, ChannelID: t.Channel, FailIfNotExists: new(bool)}
	}
	return &channelSink{api: p.api, channelID: t.Channel, replyTo: ref}
}

// Post shows an answer in full: its text in parts, the sources embed and
// the Sources/👍/👎 buttons, keyed on t.Key.
func (p *Poster) Post(ctx context.Context, t Target, a answer.Answer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.sink(t).final(splitMessage(answerText(a), maxContent), answerEmbeds(a), buttons(t.Key, a))
}

// PostPassages shows the passages found for query, as /search does.
func (p *Poster) PostPassages(ctx context.Context, t Target, query string, results []retrieval.Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	out := p.sink(t)
	if len(results) == 0 {
		return out.final([]string{say(t.Lang, "noResult")}, nil, nil)
	}
	return out.final([]string{""}, []*discordgo.MessageEmbed{passagesEmbed(truncate(query, 200), t.Lang, results)}, nil)
}

// Fail tells the asker, in their language, that their question could not
// be answered, in the words the bot uses for cause: an unknown document,
// an unusable question, or a failure.
func (p *Poster) Fail(ctx context.Context, t Target, cause error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	text := say(t.Lang, "failed")
	switch {
	case errors.Is(cause, answer.ErrUnknownDocument):
		text = say(t.Lang, "unknownDoc")
	case errors.Is(cause, answer.ErrEmptyQuestion):
		text = say(t.Lang, "empty")
	case errors.Is(cause, answer.ErrInvalidQuestion):
		text = cause.Error()
	}
	return p.sink(t).final([]string{truncate(text, maxContent)}, nil, nil)
}
