package bot

import "github.com/bwmarrin/discordgo"

// searchCommand is /search: the passages retrieval ranks best for a
// query, with their scores, so members can see why an answer cites them.
func searchCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "search", Description: "The best passages for a query, with their scores (only you see them)",
			DescriptionLocalizations: french("Les meilleurs passages pour une recherche, avec leurs scores (visibles par vous seul)"),
			Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "query",
				Description: "What to look for", DescriptionLocalizations: *french("Ce qu'il faut chercher"), Required: true, MaxLength: 2000}}},
		textOpt: "query",
		usage:   [2]string{"`/search query:` the best passages (only you see them)", "`/search query:` les meilleurs passages (visibles par vous seul)"},
		run:     runSearch,
	}
}

// runSearch shows the best passages and their scores to the asker only;
// a query is admitted like a question, since it costs an embedding.
func runSearch(b *Bot, c call) {
	q := c.opts["query"]
	out, end, ok := b.beginQuestion(c, q, true)
	if !ok {
		return
	}
	defer end()
	results, err := b.deps.Library.Search(b.work, q, 5)
	switch {
	case err != nil:
		b.fail(c, out, err)
	case len(results) == 0:
		out.tell(say(c.lang, "noResult"))
	default:
		out.final([]string{""}, []*discordgo.MessageEmbed{passagesEmbed(truncate(q, 200), c.lang, results)}, nil)
	}
}
