package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// onInteraction routes slash commands, autocomplete and button clicks.
func (b *Bot) onInteraction(i *discordgo.Interaction) {
	if !b.seen.first("i:" + i.ID) {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.autocomplete(i)
	case discordgo.InteractionMessageComponent:
		b.onComponent(i)
	}
}

func (b *Bot) onCommand(i *discordgo.Interaction) {
	data := i.ApplicationCommandData()
	opts := options(data.Options)
	l := lang(i.Locale, opts["question"]+opts["query"])
	switch data.Name {
	case "ask":
		b.ask(i, opts["question"], l)
	case "summary":
		b.summary(i, opts["document"], opts["lang"], l)
	case "search":
		b.search(i, opts["query"], l)
	case "sources":
		b.respond(i, "", false, documentsEmbed(l, b.deps.Library.Documents()))
	case "reindex":
		b.reindex(i, l)
	case "help":
		b.respond(i, say(l, "help", b.cfg.RatePerMinute), true)
	}
}

// ask defers at once (Discord wants an acknowledgement within three
// seconds), then answers by editing the deferred response.
func (b *Bot) ask(i *discordgo.Interaction, q, l string) {
	if !b.admit(i, q, l) {
		return
	}
	defer b.running.Done()
	out, ok := b.deferSink(i, false)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(b.work)
	defer cancel()
	defer b.recoverTell(l, out.tell)
	release, err := b.queue(ctx, l, func(text string) { out.progress(text) })
	if err != nil {
		b.failure(err, l, fromSlash, out.tell, "interaction", i.ID)
		return
	}
	defer release()
	if _, err := b.answerInto(ctx, out, q, nil, i.ID, fromSlash, nil); err != nil {
		b.failure(err, l, fromSlash, out.tell, "interaction", i.ID)
	}
}

// admit is admitQuestion for a slash command: refusals are visible to the
// asker only. On true, the caller owns a running slot.
func (b *Bot) admit(i *discordgo.Interaction, q, l string) bool {
	return b.admitQuestion(q, userID(i), l, fromSlash, func(text string) { b.respond(i, text, true) })
}

// deferSink acknowledges an interaction with a deferred response (type 5)
// and returns the sink that fills it in, its token's lifetime counted from
// now, so every deferred command starts the same way. It returns false,
// having logged why, if Discord did not take the acknowledgement.
func (b *Bot) deferSink(i *discordgo.Interaction, ephemeral bool) (*interactionSink, bool) {
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions()}}
	if ephemeral {
		resp.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	if err := b.sess.InteractionRespond(i, resp); err != nil {
		b.log.Error("cannot acknowledge the interaction", "interaction", i.ID, "err", err)
		return nil, false
	}
	return &interactionSink{sess: b.sess, i: i, start: time.Now(), ttl: b.cfg.InteractionTTL, ephemeral: ephemeral}, true
}

// respond answers an interaction at once (type 4).
func (b *Bot) respond(i *discordgo.Interaction, text string, ephemeral bool, embeds ...*discordgo.MessageEmbed) {
	data := &discordgo.InteractionResponseData{Content: text, Embeds: embeds, AllowedMentions: noMentions()}
	if ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := b.sess.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data})
	if err != nil {
		b.log.Error("cannot respond to the interaction", "interaction", i.ID, "err", err)
	}
}

func options(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]string {
	out := map[string]string{}
	for _, o := range opts {
		if o.Type == discordgo.ApplicationCommandOptionString {
			out[o.Name] = o.StringValue()
		}
	}
	return out
}

func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}
