package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"
)

// replies is how the bot speaks on Discord: one-off replies, the typing
// indicator, and the sinks an answer is shown in. It holds the session,
// the interaction tokens' lifetime and the log, so handlers need none of
// them, and it logs a failed reply rather than failing, since there is no
// one left to tell.
type replies struct {
	api *discordAPI   // set by Run
	ttl time.Duration // how long an interaction token is trusted
	log *slog.Logger
}

// respond answers an interaction at once (type 4).
func (r *replies) respond(i *discordgo.Interaction, text string, ephemeral bool, embeds ...*discordgo.MessageEmbed) {
	data := &discordgo.InteractionResponseData{Content: text, Embeds: embeds, AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := r.api.respond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data})
	if err != nil {
		r.log.Error("cannot respond to the interaction", "interaction", i.ID, "err", err)
	}
}

// offer answers autocomplete with choices.
func (r *replies) offer(i *discordgo.Interaction, choices []*discordgo.ApplicationCommandOptionChoice) {
	err := r.api.respond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}})
	if err != nil {
		r.log.Warn("cannot answer autocomplete", "err", err)
	}
}

// deferred acknowledges an interaction with a deferred response (type 5)
// and returns the sink that fills it in, its token's lifetime counted from
// now, so every deferred command starts the same way. It returns false,
// having logged why, if Discord did not take the acknowledgement.
func (r *replies) deferred(i *discordgo.Interaction, ephemeral bool) (*interactionSink, bool) {
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions()}}
	if ephemeral {
		resp.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	if err := r.api.respond(i, resp); err != nil {
		r.log.Error("cannot acknowledge the interaction", "interaction", i.ID, "err", err)
		return nil, false
	}
	return &interactionSink{api: r.api, i: i, start: time.Now(), ttl: r.ttl, ephemeral: ephemeral}, true
}

// channel returns the sink that shows an answer as messages in channelID,
// the first replying to replyTo when set.
func (r *replies) channel(channelID string, replyTo *discordgo.MessageReference) *channelSink {
	return &channelSink{api: r.api, channelID: channelID, replyTo: replyTo, log: r.log}
}

// send posts a short message, logging rather than failing.
func (r *replies) send(channelID, replyTo, text string) {
	msg := &discordgo.MessageSend{Content: truncate(text, maxContent), AllowedMentions: noMentions()}
	if replyTo != "" {
		msg.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channelID, FailIfNotExists: new(bool)}
	}
	if _, err := r.api.send(channelID, msg); err != nil {
		r.log.Warn("cannot send a message", "channel", channelID, "err", err)
	}
}

// typing keeps the typing indicator on (it lasts about 10 seconds) until
// ctx ends, so the asker sees the bot is at work.
func (r *replies) typing(ctx context.Context, channelID string) {
	t := time.NewTicker(8 * time.Second)
	defer t.Stop()
	for {
		if err := r.api.typing(channelID); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
