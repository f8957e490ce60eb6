package bot

import "github.com/bwmarrin/discordgo"

// manageServer hides /reindex from members without Manage Server; the
// handler checks again, since server admins can override command rights.
var manageServer = int64(discordgo.PermissionManageServer)

// reindexCommand is /reindex: the index rebuilt from the articles, for
// those who manage the server, without restarting the bot.
func reindexCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "reindex", Description: "Rebuild the index from the articles (Manage Server)",
			DescriptionLocalizations: french("Reconstruire l'index des articles (Gérer le serveur)"), DefaultMemberPermissions: &manageServer},
		usage: [2]string{"`/reindex` rebuild the index (Manage Server)", "`/reindex` reconstruire l'index (Gérer le serveur)"},
		run:   runReindex,
	}
}

// runReindex rebuilds the index, for members with Manage Server only, and
// says what changed.
func runReindex(b *Bot, c call) {
	if c.i.Member == nil || c.i.Member.Permissions&discordgo.PermissionManageServer == 0 {
		b.replies.respond(c.i, say(c.lang, "noPerm"), true)
		return
	}
	b.withKB(c, func(d Deps, kb string) { reindex(b, c, d, kb) })
}

// reindex rebuilds the index of the knowledge base kb.
func reindex(b *Bot, c call, d Deps, kb string) {
	if d.Reindex == nil {
		b.replies.respond(c.i, say(c.lang, "unavailable"), true)
		return
	}
	out, end, ok := b.beginWork(c, true)
	if !ok {
		return
	}
	defer end()
	summary, err := d.Reindex(b.work)
	if err != nil {
		b.fail(c, out, err)
		return
	}
	b.log.Info("re-indexed from Discord", "user", userID(c.i), "kb", kb, "result", summary)
	out.tell(say(c.lang, "reindexed", summary))
}
