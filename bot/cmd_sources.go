package bot

import "github.com/bwmarrin/discordgo"

// sourcesCommand is /sources: the indexed articles, with the IDs that
// citations and /summary name.
func sourcesCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "sources", Description: "The indexed articles",
			DescriptionLocalizations: french("Les articles indexés")},
		usage: [2]string{"`/sources` the articles", "`/sources` les articles"},
		run: func(b *Bot, c call) {
			b.withKB(c, func(d Deps, _ string) {
				b.replies.respond(c.i, "", false, documentsEmbed(c.lang, d.Library.Documents()))
			})
		},
	}
}
