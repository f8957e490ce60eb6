package bot

import (
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
// ones edit it.
type channelSink struct {
	sess      *discordgo.Session
	channelID string
	replyTo   *discordgo.MessageReference
	msgID     string
}

// progress posts the partial text as a reply to the question, then edits
// that one message, so a streamed answer does not flood the channel.
func (c *channelSink) progress(text string) error {
	if c.msgID == "" {
		m, err := c.sess.ChannelMessageSendComplex(c.channelID, &discordgo.MessageSend{
			Content: text, Reference: c.replyTo, AllowedMentions: noMentions()})
		if err != nil {
			return err
		}
		c.msgID = m.ID
		return nil
	}
	_, err := c.sess.ChannelMessageEditComplex(&discordgo.MessageEdit{
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
			_, err := c.sess.ChannelMessageEditComplex(&discordgo.MessageEdit{ID: c.msgID, Channel: c.channelID,
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
		if _, err := c.sess.ChannelMessageSendComplex(c.channelID, send); err != nil {
			return err
		}
	}
	return nil
}

// interactionSink shows an answer as the deferred response of an
// interaction, with follow-ups for further parts. Past the token's
// lifetime it posts in the channel instead, so late answers are not lost.
type interactionSink struct {
	sess      *discordgo.Session
	i         *discordgo.Interaction
	start     time.Time
	ttl       time.Duration
	ephemeral bool
}

// tell makes text the whole response: a refusal, an error or a one-line
// result. Like the rest of a reply, it is not retried if Discord fails.
func (s *interactionSink) tell(text string) { s.final([]string{text}, nil, nil) }

// expired reports whether the token may have lapsed, after which Discord
// refuses edits of the response.
func (s *interactionSink) expired() bool { return time.Since(s.start) > s.ttl }

// progress edits the response with the partial text; past the token's
// lifetime it shows nothing until final.
func (s *interactionSink) progress(text string) error {
	if s.expired() {
		return nil
	}
	_, err := s.sess.InteractionResponseEdit(s.i, &discordgo.WebhookEdit{Content: &text, AllowedMentions: noMentions()})
	return err
}

// final puts the first part in the response and the others in
// follow-ups, or in the channel once the token has expired.
func (s *interactionSink) final(parts []string, embeds []*discordgo.MessageEmbed, components []discordgo.MessageComponent) error {
	if s.expired() {
		late := &channelSink{sess: s.sess, channelID: s.i.ChannelID}
		return late.final(parts, embeds, components)
	}
	var flags discordgo.MessageFlags
	if s.ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	for i, part := range parts {
		var e []*discordgo.MessageEmbed
		var comps []discordgo.MessageComponent
		if i == len(parts)-1 {
			e, comps = embeds, components
		}
		if i == 0 {
			p := part
			if _, err := s.sess.InteractionResponseEdit(s.i, &discordgo.WebhookEdit{Content: &p, Embeds: &e,
				Components: &comps, AllowedMentions: noMentions()}); err != nil {
				return err
			}
			continue
		}
		if _, err := s.sess.FollowupMessageCreate(s.i, true, &discordgo.WebhookParams{Content: part, Embeds: e,
			Components: comps, AllowedMentions: noMentions(), Flags: flags}); err != nil {
			return err
		}
	}
	return nil
}
