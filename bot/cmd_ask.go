package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// askCommand is /ask: a question answered in the channel with its
// sources, for members who prefer a command to a mention.
func askCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "ask", Description: "Ask a question about the articles; the answer cites its sources",
			DescriptionLocalizations: french("Poser une question sur les articles ; la réponse cite ses sources"),
			Options:                  textOption("question", "Your question", "Votre question")},
		textOpt: "question",
		usage:   [2]string{"`/ask question:` answer here", "`/ask question:` réponse ici"},
		run:     runAsk,
	}
}

// runAsk defers at once, then answers by editing the deferred response,
// exactly as a mention is answered but without a thread.
func runAsk(b *Bot, c call) {
	b.withKB(c, func(d Deps, kb string) {
		out, end, ok := b.beginQuestion(c, false)
		if !ok {
			return
		}
		defer end()
		if b.deps.Remote != nil {
			b.dispatchCall(c, out, JobAsk, c.text, c.lang, kb)
			return
		}
		ctx, cancel := context.WithCancel(b.work)
		defer cancel()
		b.answerQueued(ctx, out, askedQuestion{text: c.text, lang: c.lang, key: c.i.ID, from: fromSlash,
			tell: out.tell, queued: func(text string) { out.progress(text) }, who: c.who(), deps: d, kb: kb})
	})
}
