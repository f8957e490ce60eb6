package bot

import (
	"errors"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/retrieval"
)

// searchCommand is /search: the passages retrieval ranks best for a
// query, with their scores, so members can see why an answer cites them.
func searchCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "search", Description: "The best passages for a query, with their scores (only you see them)",
			DescriptionLocalizations: french("Les meilleurs passages pour une recherche, avec leurs scores (visibles par vous seul)"),
			Options:                  textOption("query", "What to look for", "Ce qu'il faut chercher")},
		textOpt: "query",
		usage:   [2]string{"`/search query:` the best passages (only you see them)", "`/search query:` les meilleurs passages (visibles par vous seul)"},
		run:     runSearch,
	}
}

// runSearch shows the best passages and their scores to the asker only;
// a query is admitted like a question, since it costs an embedding.
func runSearch(b *Bot, c call) {
	b.withKB(c, func(d Deps, kb string) {
		if b.deps.Remote == nil {
			search(b, c, d.Library)
			return
		}
		if out, end, ok := b.beginQuestion(c, true); ok {
			defer end()
			b.dispatchCall(c, out, JobSearch, c.text, c.lang, kb)
		}
	})
}

// search shows the best passages of lib for the call's query.
func search(b *Bot, c call, lib Library) {
	out, end, ok := b.beginQuestion(c, true)
	if !ok {
		return
	}
	defer end()
	results, err := lib.Search(b.work, c.text, 5)
	var degraded *retrieval.DegradedError
	if errors.As(err, &degraded) {
		err = nil // BM25's ranking alone (vector scores 0); the index logged why
	}
	switch {
	case err != nil:
		b.fail(c, out, err)
	case len(results) == 0:
		out.tell(say(c.lang, "noResult"))
	default:
		out.final([]string{""}, []*discordgo.MessageEmbed{passagesEmbed(truncate(c.text, 200), c.lang, results)}, nil)
	}
}
