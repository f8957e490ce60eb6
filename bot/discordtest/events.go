package discordtest

import (
	"fmt"
	"sort"
	"time"

	"github.com/bwmarrin/discordgo"
)

// user is a plausible human author for events.
func user(id string) *discordgo.User {
	return &discordgo.User{ID: id, Username: "user" + id[max(0, len(id)-4):], Discriminator: "0", GlobalName: "User " + id}
}

// MessageCreate builds a MESSAGE_CREATE payload as Discord sends it: a new
// snowflake, a human author, the current time and, in a guild, a partial
// member. mentionBot puts the bot in Mentions, which is what discordgo
// bots check; the content is left as given, so include
// s.BotUser().Mention() in it when the test needs the text form too. An
// empty guildID means a DM.
func (s *Server) MessageCreate(channelID, guildID, authorID, content string, mentionBot bool) *discordgo.Message {
	m := &discordgo.Message{
		ID:        s.NewID(),
		ChannelID: channelID,
		GuildID:   guildID,
		Content:   content,
		Author:    user(authorID),
		Timestamp: time.Now().UTC(),
		Type:      discordgo.MessageTypeDefault,
		Mentions:  []*discordgo.User{},
	}
	if mentionBot {
		m.Mentions = append(m.Mentions, s.BotUser())
	}
	if guildID != "" {
		m.Member = &discordgo.Member{JoinedAt: time.Now().UTC().Add(-24 * time.Hour), Roles: []string{}}
	}
	return m
}

// newInteraction fills what every interaction carries: IDs, the token
// discordgo answers on, the app, and who invoked it (member with
// permissions in a guild, user in a DM). Webhook routes later use the
// token to fill channel_id.
func (s *Server) newInteraction(typ discordgo.InteractionType, data discordgo.InteractionData, userID, guildID, channelID string, permissions int64) *discordgo.Interaction {
	id := s.NewID()
	i := &discordgo.Interaction{
		ID:        id,
		AppID:     appID,
		Type:      typ,
		Data:      data,
		GuildID:   guildID,
		ChannelID: channelID,
		Token:     "interaction-token-" + id,
		Version:   1,
		Locale:    discordgo.EnglishUS,
	}
	if guildID != "" {
		locale := discordgo.EnglishUS
		i.GuildLocale = &locale
		i.Member = &discordgo.Member{
			GuildID: guildID, User: user(userID), Roles: []string{},
			JoinedAt: time.Now().UTC().Add(-24 * time.Hour), Permissions: permissions,
		}
	} else {
		i.User = user(userID)
		i.Context = discordgo.InteractionContextBotDM
	}
	s.rememberToken(i.Token, channelID)
	return i
}

// SlashCommand builds a type-2 (application command) interaction for
// /name. Option types are inferred from the Go values: string → STRING,
// integers → INTEGER, floats → NUMBER, bool → BOOLEAN; pass a
// *discordgo.ApplicationCommandInteractionDataOption for anything else
// (users, sub-commands); other types panic, as a mistake in the test.
// Options are sorted by name. permissions become the invoking member's,
// which is what admin-only commands check; with an empty guildID the
// invoker is a DM User instead.
func (s *Server) SlashCommand(name string, options map[string]any, userID, guildID, channelID string, permissions int64) *discordgo.Interaction {
	data := discordgo.ApplicationCommandInteractionData{
		ID:          s.NewID(),
		Name:        name,
		CommandType: discordgo.ChatApplicationCommand,
		Options:     commandOptions(options),
	}
	return s.newInteraction(discordgo.InteractionApplicationCommand, data, userID, guildID, channelID, permissions)
}

// Autocomplete builds a type-4 interaction: the user is typing typed into
// the option focused of /name, with the other options already filled.
func (s *Server) Autocomplete(name, focused, typed string, options map[string]any, userID, guildID, channelID string) *discordgo.Interaction {
	opts := commandOptions(options)
	opts = append(opts, &discordgo.ApplicationCommandInteractionDataOption{
		Name: focused, Type: discordgo.ApplicationCommandOptionString, Value: typed, Focused: true,
	})
	data := discordgo.ApplicationCommandInteractionData{
		ID:          s.NewID(),
		Name:        name,
		CommandType: discordgo.ChatApplicationCommand,
		Options:     opts,
	}
	return s.newInteraction(discordgo.InteractionApplicationCommandAutocomplete, data, userID, guildID, channelID, 0)
}

// ButtonClick builds a type-3 interaction for a click on the button
// customID of message (usually one the bot sent, as recorded).
func (s *Server) ButtonClick(customID string, message *discordgo.Message, userID, guildID, channelID string) *discordgo.Interaction {
	data := discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}
	i := s.newInteraction(discordgo.InteractionMessageComponent, data, userID, guildID, channelID, 0)
	i.Message = message
	return i
}

// ModalSubmit builds a type-5 interaction: the member submitted the modal
// customID (its text inputs are left out; discordgo does not send them
// back either).
func (s *Server) ModalSubmit(customID, userID, guildID, channelID string) *discordgo.Interaction {
	data := discordgo.ModalSubmitInteractionData{CustomID: customID}
	return s.newInteraction(discordgo.InteractionModalSubmit, data, userID, guildID, channelID, 0)
}

// Thread makes a public thread under parentID owned by ownerID, served by
// GET /channels/{id} from then on, and returns it, for messages posted in
// a thread someone else started. Dispatch it as THREAD_CREATE for a
// session that should hear of it.
func (s *Server) Thread(parentID, ownerID, name string) *discordgo.Channel {
	th := &discordgo.Channel{ID: s.NewID(), GuildID: s.channel(parentID).GuildID, ParentID: parentID, OwnerID: ownerID,
		Name: name, Type: discordgo.ChannelTypeGuildPublicThread, MemberCount: 2,
		ThreadMetadata: &discordgo.ThreadMetadata{AutoArchiveDuration: 1440, ArchiveTimestamp: time.Now().UTC()}}
	s.SetChannel(th)
	return th
}

func commandOptions(options map[string]any) []*discordgo.ApplicationCommandInteractionDataOption {
	names := make([]string, 0, len(options))
	for name := range options {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]*discordgo.ApplicationCommandInteractionDataOption, 0, len(names))
	for _, name := range names {
		out = append(out, commandOption(name, options[name]))
	}
	return out
}

func commandOption(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
	o := &discordgo.ApplicationCommandInteractionDataOption{Name: name, Value: v}
	switch v := v.(type) {
	case *discordgo.ApplicationCommandInteractionDataOption:
		cp := *v
		cp.Name = name
		return &cp
	case string:
		o.Type = discordgo.ApplicationCommandOptionString
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		o.Type = discordgo.ApplicationCommandOptionInteger
	case float32, float64:
		o.Type = discordgo.ApplicationCommandOptionNumber
	case bool:
		o.Type = discordgo.ApplicationCommandOptionBoolean
	default:
		panic(fmt.Sprintf("discordtest: option %q: unsupported value type %T", name, v))
	}
	return o
}
