package bot

import (
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// manageServer hides /reindex from members without Manage Server; the
// handler checks again, since server admins can override command rights.
var manageServer = int64(discordgo.PermissionManageServer)

func commandList() []*discordgo.ApplicationCommand {
	str := discordgo.ApplicationCommandOptionString
	fr := func(s string) *map[discordgo.Locale]string { return &map[discordgo.Locale]string{discordgo.French: s} }
	return []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask a question about the articles; the answer cites its sources",
			DescriptionLocalizations: fr("Poser une question sur les articles ; la réponse cite ses sources"),
			Options: []*discordgo.ApplicationCommandOption{{Type: str, Name: "question", Description: "Your question",
				DescriptionLocalizations: *fr("Votre question"), Required: true, MaxLength: 2000}}},
		{Name: "summary", Description: "Summary of one article, or of all of them",
			DescriptionLocalizations: fr("Résumé d'un article, ou de tous"),
			Options: []*discordgo.ApplicationCommandOption{
				{Type: str, Name: "document", Description: "The article (start typing its title)", Autocomplete: true,
					DescriptionLocalizations: *fr("L'article (tapez le début de son titre)")},
				{Type: str, Name: "lang", Description: "Language of the summary", Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "English", Value: "en"}, {Name: "Français", Value: "fr"}}},
			}},
		{Name: "sources", Description: "The indexed articles", DescriptionLocalizations: fr("Les articles indexés")},
		{Name: "search", Description: "The best passages for a query, with their scores (only you see them)",
			DescriptionLocalizations: fr("Les meilleurs passages pour une recherche, avec leurs scores (visibles par vous seul)"),
			Options: []*discordgo.ApplicationCommandOption{{Type: str, Name: "query", Description: "What to look for",
				DescriptionLocalizations: *fr("Ce qu'il faut chercher"), Required: true, MaxLength: 2000}}},
		{Name: "reindex", Description: "Rebuild the index from the articles (Manage Server)",
			DescriptionLocalizations: fr("Reconstruire l'index des articles (Gérer le serveur)"), DefaultMemberPermissions: &manageServer},
		{Name: "help", Description: "How to use citebot", DescriptionLocalizations: fr("Comment utiliser citebot")},
	}
}

// registerCommands replaces the application's commands in one bulk
// overwrite: on the configured guild (visible at once) or globally.
func (b *Bot) registerCommands() error {
	app := b.me.Load().ID
	if b.sess.State != nil && b.sess.State.Application != nil && b.sess.State.Application.ID != "" {
		app = b.sess.State.Application.ID
	}
	if _, err := b.sess.ApplicationCommandBulkOverwrite(app, b.cfg.GuildID, commandList()); err != nil {
		return fmt.Errorf("register slash commands: %w", err)
	}
	return nil
}
