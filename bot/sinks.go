package bot

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxContent is Discord's limit on a message's text, in characters.
const maxContent = 2000

// noMentions is the allowed_mentions of every message the bot sends: an
// empty parse list, so no text from a user, an article or a model can ping
// @everyone, a role or a user. (A nil list would be sent as null.)
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// sink is where an answer is shown: a message in a channel or thread, or
// an interaction's response. The answering flow writes to either alike.
type sink interface {
	// progress shows the partial text of a streamed answer.
	progress(text string) error
	// final shows the answer in parts of at most maxContent characters;
	// embeds and components go with the last part.
	final(parts []string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) error
}

// channelSink shows an answer as messages in a channel or thread: the
// first progress creates the message (replying to the question), later
// ones edit it. A stream only ever shows itself in that one message
// (clipped to Discord's limit), so whatever ends the answer — the final
// text, or a refusal or error through tell — replaces all of the partial
// text: a broken stream's text must not stay above the answer as if it
// were part of it.
type channelSink struct {
	api       *discordAPI
	channelID string
	replyTo   *discordgo.MessageReference
	msgID     string // the progress message, once posted
	log       *slog.Logger
}

// tell shows a short message in place of the answer: in the progress
// message if a stream had begun, replacing its partial text, otherwise
// as a new message.
func (c *channelSink) tell(text string) {
	if err := c.final([]string{truncate(text, maxContent)}, nil, nil); err != nil && c.log != nil {
		c.log.Warn("cannot send a message", "channel", c.channelID, "err", err)
	}
}

// progress posts the partial text as a reply to the question, then edits
// that one message, so a streamed answer does not flood the channel.
func (c *channelSink) progress(text string) error {
	if c.msgID == "" {
		m, err := c.api.send(c.channelID, &discordgo.MessageSend{
			Content: text, Reference: c.replyTo, AllowedMentions: noMentions()})
		if err != nil {
			return err
		}
		c.msgID = m.ID
		return nil
	}
	_, err := c.api.edit(&discordgo.MessageEdit{
		ID: c.msgID, Channel: c.channelID, Content: &text, AllowedMentions: noMentions()})
	return err
}

// final puts the first part in the progress message (or a new reply) and
// posts the others after it, the embeds and buttons with the last.
func (c *channelSink) final(parts []string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) error {
	for i, part := range parts {
		last := i == len(parts)-1
		var e []*discordgo.MessageEmbed
		var comps []discordgo.MessageComponent
		if last {
			e, comps = embeds, components
		}
		if i == 0 && c.msgID != "" {
			p := part
			_, err := c.api.edit(&discordgo.MessageEdit{ID: c.msgID, Channel: c.channelID,
				Content: &p, Embeds: &e, Components: &comps, AllowedMentions: noMentions()})
			if err != nil {
				return err
			}
			continue
		}
		send := &discordgo.MessageSend{Content: part, Embeds: e, Components: comps, AllowedMentions: noMentions()}
		if i == 0 {
			send.Reference = c.replyTo
		}
		if _, err := c.api.send(c.channelID, send); err != nil {
			return err
		}
	}
	return nil
}

// interactionSink shows an answer as the deferred response of an
// interaction, with follow-ups for further parts. Once the token may have
// lapsed, or Discord has refused it, it posts in the channel instead, so
// the answer is not lost with the token.
type interactionSink struct {
	api       *discordAPI
	i         *discordgo.Interaction
	start     time.Time
	ttl       time.Duration
	ephemeral bool
	refused   atomic.Bool // Discord refused the token: see tokenRefused
}

// tell makes text the whole response: a refusal, an error or a one-line
// result. Like the rest of a reply, it is not retried if Discord fails.
func (s *interactionSink) tell(text string) { s.final([]string{text}, nil, nil) }

// expired reports whether the token is no use: refused by Discord, or
// old enough to have lapsed, after which Discord refuses edits.
func (s *interactionSink) expired() bool {
	return s.refused.Load() || time.Since(s.start) > s.ttl
}

// tokenRefused reports whether err is Discord refusing an interaction's
// token — 401, or 50027 Invalid Webhook Token — which it may do before
// the 15 minutes are up; nothing sent with that token will arrive.
func tokenRefused(err error) bool {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) {
		return false
	}
	return (rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized) ||
		(rest.Message != nil && rest.Message.Code == discordgo.ErrCodeInvalidWebhookTokenProvided)
}

// check notes a refused token, so that what follows goes to the channel.
func (s *interactionSink) check(err error) error {
	if tokenRefused(err) {
		s.refused.Store(true)
	}
	return err
}

// progress edits the response with the partial text; once the token is
// no use it shows nothing until final.
func (s *interactionSink) progress(text string) error {
	if s.expired() {
		return nil
	}
	_, err := s.api.editResponse(s.i, &discordgo.WebhookEdit{Content: &text, AllowedMentions: noMentions()})
	return s.check(err)
}

// final puts the first part in the response and the others in
// follow-ups. Once the token is no use, what is left (the part Discord
// refused included) goes to the channel as plain messages, as the
// 15-minute fallback does.
func (s *interactionSink) final(parts []string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) error {
	for i, part := range parts {
		if !s.expired() {
			var e []*discordgo.MessageEmbed
			var comps []discordgo.MessageComponent
			if i == len(parts)-1 {
				e, comps = embeds, components
			}
			err := s.check(s.send(i == 0, part, e, comps))
			if err == nil {
				continue
			}
			if !s.expired() {
				return err
			}
		}
		late := &channelSink{api: s.api, channelID: s.i.ChannelID}
		return late.final(parts[i:], embeds, components)
	}
	return nil
}

// send puts one part in the response (first) or in a follow-up.
func (s *interactionSink) send(first bool, part string, e []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) error {
	if first {
		_, err := s.api.editResponse(s.i, &discordgo.WebhookEdit{Content: &part, Embeds: &e,
			Components: &comps, AllowedMentions: noMentions()})
		return err
	}
	var flags discordgo.MessageFlags
	if s.ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	_, err := s.api.followup(s.i, &discordgo.WebhookParams{Content: part, Embeds: e,
		Components: comps, AllowedMentions: noMentions(), Flags: flags})
	return err
}
