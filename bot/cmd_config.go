package bot

import (
	"context"
	"slices"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/store"
)

// configCommand is /config: this server's settings, shown and changed
// from Discord by those who manage it — watched channels, reply style,
// answer language, per-member rate and knowledge base. They are stored,
// apply at once and survive restarts; what a server never set follows
// the bot's configuration (.env). Hidden from other members by default,
// and checked again in the handler.
func configCommand() command {
	str, sub := discordgo.ApplicationCommandOptionString, discordgo.ApplicationCommandOptionSubCommand
	opt := func(typ discordgo.ApplicationCommandOptionType, name, en, fr string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: typ, Name: name, Description: en, DescriptionLocalizations: *french(fr),
			Options: opts, Required: typ != sub}
	}
	choices := func(o *discordgo.ApplicationCommandOption, pairs ...string) *discordgo.ApplicationCommandOption {
		for i := 0; i < len(pairs); i += 2 {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: pairs[i], Value: pairs[i+1]})
		}
		return o
	}
	channel := func() *discordgo.ApplicationCommandOption {
		o := opt(discordgo.ApplicationCommandOptionChannel, "channel", "A text channel of this server", "Un salon textuel de ce serveur")
		o.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
		return o
	}
	minimum := float64(minRate)
	rate := opt(discordgo.ApplicationCommandOptionInteger, "per_minute", "Questions per member a minute (1 to 120)", "Questions par membre et par minute (1 à 120)")
	rate.MinValue, rate.MaxValue = &minimum, maxRate
	kb := opt(str, "name", "The knowledge base", "La base de connaissances")
	kb.Autocomplete = true
	return command{
		def: &discordgo.ApplicationCommand{Name: "config", Description: "This server's settings (Manage Server)",
			DescriptionLocalizations: french("Les réglages de ce serveur (Gérer le serveur)"), DefaultMemberPermissions: &manageServer,
			Options: []*discordgo.ApplicationCommandOption{
				opt(sub, "show", "Show this server's settings", "Afficher les réglages de ce serveur"),
				opt(sub, "watch", "Answer every message in a channel", "Répondre à chaque message d'un salon", channel()),
				opt(sub, "unwatch", "Stop answering every message in a channel", "Ne plus répondre à chaque message d'un salon", channel()),
				opt(sub, "style", "Answer in a thread per question, or in place", "Répondre dans un fil par question, ou sur place",
					choices(opt(str, "style", "Reply style", "Style de réponse"), "Thread per question", styleThread, "Reply in place", styleInPlace)),
				opt(sub, "language", "Language of the answers", "Langue des réponses",
					choices(opt(str, "language", "Language", "Langue"), "The asker's", langAsker, "Français", "fr", "English", "en")),
				opt(sub, "rate", "Questions per member a minute", "Questions par membre et par minute", rate),
				opt(sub, "kb", "The knowledge base this server's questions are answered from", "La base de connaissances de ce serveur", kb),
				opt(sub, "reset", "Back to the bot's defaults", "Revenir aux réglages par défaut du bot"),
			}},
		usage: [2]string{"`/config` this server's settings (Manage Server)", "`/config` les réglages de ce serveur (Gérer le serveur)"},
		run:   runConfig, complete: completeKB,
	}
}

// runConfig checks who asks, then shows or changes the settings; every
// reply is private. A refused change says why and changes nothing.
func runConfig(b *Bot, c call) {
	if !canManage(c.i) || c.i.GuildID == "" {
		b.replies.respond(c.i, say(c.lang, "noPermConfig"), true)
		return
	}
	ctx, cancel := context.WithTimeout(b.work, storeReadTimeout)
	defer cancel()
	name, opts := subcommand(c.i)
	s := b.settings.get(c.i.GuildID)
	if name == "show" {
		b.replies.respond(c.i, b.configText(ctx, c.lang, c.i.GuildID), true)
		return
	}
	why := b.changeSettings(ctx, c, name, opts, &s)
	if why != "" {
		b.replies.respond(c.i, why, true)
		return
	}
	if err := b.settings.set(ctx, c.i.GuildID, s); err != nil {
		b.log.Error("cannot store the server's settings", "guild", c.i.GuildID, "err", err)
		b.replies.respond(c.i, say(c.lang, "configNotSaved"), true)
		return
	}
	b.log.Info("/config from Discord", "guild", c.i.GuildID, "user", userID(c.i), "command", name)
	b.replies.respond(c.i, say(c.lang, "configSaved")+"\n"+b.configText(ctx, c.lang, c.i.GuildID), true)
}

// changeSettings applies one sub-command to s, or says why it cannot.
func (b *Bot) changeSettings(ctx context.Context, c call, name string, opts map[string]string, s *store.Settings) string {
	switch name {
	case "watch", "unwatch":
		return b.changeWatched(c, name == "watch", opts["channel"], s)
	case "style":
		s.ReplyStyle = opts["style"]
		if s.ReplyStyle != styleThread && s.ReplyStyle != styleInPlace {
			return say(c.lang, "configChoice", opts["style"])
		}
	case "language":
		s.Language = opts["language"]
		if !slices.Contains([]string{langAsker, "fr", "en"}, s.Language) {
			return say(c.lang, "configChoice", opts["language"])
		}
	case "rate":
		n, err := strconv.Atoi(opts["per_minute"])
		if err != nil || n < minRate || n > maxRate {
			return say(c.lang, "configRate", opts["per_minute"], minRate, maxRate)
		}
		s.RatePerMinute = n
	case "kb":
		names, err := b.kbNames(ctx)
		if err != nil {
			b.log.Warn("cannot list the knowledge bases", "err", err)
		}
		if !slices.Contains(names, opts["name"]) {
			return say(c.lang, "configKB", opts["name"], joinCode(names))
		}
		s.KB = opts["name"]
	case "reset":
		*s = store.Settings{}
	default:
		return say(c.lang, "unknown")
	}
	return ""
}

// changeWatched adds or removes a watched channel, which must be a text
// channel of this server: Discord's own look-up of the channel says so,
// not the interaction, which a member could craft.
func (b *Bot) changeWatched(c call, add bool, id string, s *store.Settings) string {
	if add {
		ch, err := b.api.channel(id)
		switch {
		case err != nil:
			b.log.Warn("cannot look up a channel for /config", "channel", id, "err", err)
			return say(c.lang, "configNoChannel", id)
		case ch.GuildID != c.i.GuildID:
			return say(c.lang, "configOtherServer", id)
		case ch.Type != discordgo.ChannelTypeGuildText && ch.Type != discordgo.ChannelTypeGuildNews:
			return say(c.lang, "configNotText", id)
		}
	}
	if !s.ChannelsSet {
		s.Channels, s.ChannelsSet = slices.Clone(b.cfg.Channels), true
	}
	s.Channels = slices.DeleteFunc(s.Channels, func(x string) bool { return x == id })
	if add {
		s.Channels = append(s.Channels, id)
	}
	return ""
}

// completeKB offers the knowledge bases whose name contains what the
// manager typed, for /config kb; nothing to anyone else.
func completeKB(b *Bot, i *discordgo.Interaction) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	name, opts := subcommand(i)
	if !canManage(i) || name != "kb" {
		b.replies.offer(i, choices)
		return
	}
	ctx, cancel := context.WithTimeout(b.work, completeTimeout)
	defer cancel()
	names, err := b.kbNames(ctx)
	if err != nil {
		b.log.Warn("cannot list the knowledge bases for autocomplete", "err", err)
	}
	for _, n := range names {
		if len(choices) < 25 && containsFold(n, opts["name"]) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
		}
	}
	b.replies.offer(i, choices)
}
