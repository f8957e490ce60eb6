package bot

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// onInteraction routes slash commands, autocomplete and button clicks,
// each once however often Discord delivers it.
func (b *Bot) onInteraction(i *discordgo.Interaction) {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		if b.adm.firstDelivery("i:" + i.ID) { // choices are offered again on the next keystroke anyway
			b.onAutocomplete(i)
		}
		return
	}
	if !b.firstEvent("i", i.ID) {
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(i)
	case discordgo.InteractionMessageComponent:
		b.onComponent(i)
	default: // a modal submit: the bot opens no modals
		b.unknown(i)
	}
}

// unknown answers an interaction the bot has no use for — a command it no
// longer registers, a button or modal from elsewhere or from an older
// version — privately, in the member's language: an interaction left
// without a callback shows "This interaction failed" to the member.
func (b *Bot) unknown(i *discordgo.Interaction) {
	b.log.Info("unknown interaction", "interaction", i.ID, "type", i.Type.String())
	b.replies.respond(i, say(lang(i.Locale, ""), "unknown"), true)
}

// options returns a command's options by name as text: strings as they
// are, whole numbers in decimal, channels and attachments by ID.
func options(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]string {
	out := map[string]string{}
	for _, o := range opts {
		if v, ok := optionText(o.Value); ok {
			out[o.Name] = v
		}
	}
	return out
}

// optionText is an option's value as text: a string (trimmed), or a
// number as JSON decodes it.
func optionText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// userID is who acted: the member in a guild, the user in a DM. Rate
// limits and feedback records are per user.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}
