package bot

import "github.com/bwmarrin/discordgo"

// helpCommand is /help: how to use the bot, built from every command's
// usage line so that it never lists a command that is gone.
func helpCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "help", Description: "How to use citebot",
			DescriptionLocalizations: french("Comment utiliser citebot")},
		run: func(b *Bot, c call) {
			b.replies.respond(c.i, say(c.lang, "help", b.commands.usage(c.lang), b.cfg.RatePerMinute), true)
		},
	}
}
