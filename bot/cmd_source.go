package bot

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// completeTimeout bounds the registry read behind autocomplete: Discord
// drops a choice list that comes after three seconds.
const completeTimeout = 2 * time.Second

// sourceCommand is /source: articles added from a link or a file, feeds
// followed, added articles removed or listed, by those who manage the
// server, without the command line. Like /reindex it is hidden from the
// others by default and checked again in the handler. It is registered
// even when the bot has no Sources, and then says so, so that the
// commands Discord shows do not depend on the configuration.
func sourceCommand() command {
	str, sub := discordgo.ApplicationCommandOptionString, discordgo.ApplicationCommandOptionSubCommand
	opt := func(typ discordgo.ApplicationCommandOptionType, name, en, fr string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: typ, Name: name, Description: en, DescriptionLocalizations: *french(fr), Required: required}
	}
	add := opt(sub, "add", "Add an article: a link or a file", "Ajouter un article : un lien ou un fichier", false)
	add.Options = []*discordgo.ApplicationCommandOption{
		opt(str, "url", "The article's link", "Le lien de l'article", false),
		opt(discordgo.ApplicationCommandOptionAttachment, "file", "A .html, .md, .txt or .pdf file, up to 5 MB", "Un fichier .html, .md, .txt ou .pdf, jusqu'à 5 Mo", false),
	}
	feed := opt(sub, "feed", "Follow an RSS or Atom feed, or a sitemap", "Suivre un flux RSS ou Atom, ou un sitemap", false)
	feed.Options = []*discordgo.ApplicationCommandOption{opt(str, "url", "The feed's link", "Le lien du flux", true)}
	remove := opt(sub, "remove", "Remove an added article", "Retirer un article ajouté", false)
	doc := opt(str, "document", "The article (start typing its title)", "L'article (tapez le début de son titre)", true)
	doc.Autocomplete = true
	remove.Options = []*discordgo.ApplicationCommandOption{doc}
	list := opt(sub, "list", "The added articles and followed feeds", "Les articles ajoutés et les flux suivis", false)
	return command{
		def: &discordgo.ApplicationCommand{Name: "source", Description: "Add, follow, remove or list articles (Manage Server)",
			DescriptionLocalizations: french("Ajouter, suivre, retirer ou lister des articles (Gérer le serveur)"),
			DefaultMemberPermissions: &manageServer, Options: []*discordgo.ApplicationCommandOption{add, feed, remove, list}},
		usage: [2]string{"`/source add|feed|remove|list` manage the added articles (Manage Server)",
			"`/source add|feed|remove|list` gérer les articles ajoutés (Gérer le serveur)"},
		run:      runSource,
		complete: completeSource,
	}
}

// canManage reports whether the member who acted has Manage Server.
func canManage(i *discordgo.Interaction) bool {
	return i.Member != nil && i.Member.Permissions&discordgo.PermissionManageServer != 0
}

// subcommand is the sub-command an interaction names and its options as
// text (see options; an attachment option holds the attachment's ID).
func subcommand(i *discordgo.Interaction) (string, map[string]string) {
	for _, o := range i.ApplicationCommandData().Options {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			return o.Name, options(o.Options)
		}
	}
	return "", map[string]string{}
}

// runSource checks who asks, then runs the sub-command. Refusals that
// need no work are answered at once; the rest is deferred, since fetching
// and re-indexing take longer than Discord's three seconds. Every reply
// is private: it is the manager's business.
func runSource(b *Bot, c call) {
	refuse := func(key string, args ...any) { b.replies.respond(c.i, say(c.lang, key, args...), true) }
	if !canManage(c.i) {
		refuse("noPermSource")
		return
	}
	b.withKB(c, func(d Deps, _ string) {
		if d.Sources == nil {
			refuse("sourcesOff")
			return
		}
		b.source(c, d.Sources)
	})
}

// source runs the sub-command on src, the server's knowledge base's.
func (b *Bot) source(c call, src Sources) {
	refuse := func(key string, args ...any) { b.replies.respond(c.i, say(c.lang, key, args...), true) }
	name, opts := subcommand(c.i)
	switch {
	case name == "add" && (opts["url"] == "") == (opts["file"] == ""):
		refuse("sourceAddOne")
	case name == "add" && opts["url"] != "":
		b.sourceWork(c, "sourceNotAdded", func(ctx context.Context) (string, *discordgo.MessageEmbed, error) {
			d, err := src.AddURL(ctx, opts["url"])
			return docText(c.lang, d), nil, err
		})
	case name == "add":
		b.addAttachment(c, src, resolvedAttachment(c.i, opts["file"]))
	case name == "feed":
		b.sourceWork(c, "sourceNotFollowed", func(ctx context.Context) (string, *discordgo.MessageEmbed, error) {
			f, err := src.AddFeed(ctx, opts["url"])
			return feedText(c.lang, f), nil, err
		})
	case name == "remove":
		b.sourceWork(c, "sourceNotRemoved", func(ctx context.Context) (string, *discordgo.MessageEmbed, error) {
			d, err := src.Remove(ctx, opts["document"])
			return removedText(c.lang, d), nil, err
		})
	case name == "list":
		b.sourceWork(c, "failed", func(ctx context.Context) (string, *discordgo.MessageEmbed, error) {
			l, err := src.List(ctx)
			return "", sourceListEmbed(c.lang, l), err
		})
	}
}

// addAttachment adds the attached file: refused at once, before any
// download, when Discord's announcement of it already rules it out.
func (b *Bot) addAttachment(c call, src Sources, a *discordgo.MessageAttachment) {
	if a == nil {
		b.replies.respond(c.i, say(c.lang, "sourceNoFile"), true)
		return
	}
	if why := checkAttachment(c.lang, a); why != "" {
		b.replies.respond(c.i, why, true)
		return
	}
	b.sourceWork(c, "sourceNotAdded", func(ctx context.Context) (string, *discordgo.MessageEmbed, error) {
		data, err := b.download(ctx, a)
		if err != nil {
			return "", nil, err
		}
		d, err := src.AddFile(ctx, a.Filename, data)
		return docText(c.lang, d), nil, err
	})
}

// sourceWork acknowledges the call privately, runs do and shows its text
// or embed; a refusal is shown after notKey's words, any other error as a
// failure.
func (b *Bot) sourceWork(c call, notKey string, do func(ctx context.Context) (string, *discordgo.MessageEmbed, error)) {
	out, end, ok := b.beginWork(c, true)
	if !ok {
		return
	}
	defer end()
	text, embed, err := do(b.work)
	if why, ok := refusedText(err); ok {
		b.log.Info("source refused", "user", userID(c.i), "err", err)
		out.tell(clip(say(c.lang, notKey, why), maxContent))
		return
	}
	if err != nil {
		b.fail(c, out, err)
		return
	}
	name, _ := subcommand(c.i)
	b.log.Info("/source from Discord", "user", userID(c.i), "command", name)
	var embeds []*discordgo.MessageEmbed
	if embed != nil {
		embeds = append(embeds, embed)
	}
	if err := out.final([]string{text}, embeds, nil); err != nil {
		b.log.Warn("cannot show the /source result", "interaction", c.i.ID, "err", err)
	}
}

// completeSource offers the added documents whose title, ID, URL or file
// name contains what the manager typed, for /source remove; nothing to
// anyone else, since the list is the managers' business.
func completeSource(b *Bot, i *discordgo.Interaction) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	name, opts := subcommand(i)
	deps, _, err := b.kbFor(i.GuildID)
	if !canManage(i) || err != nil || deps.Sources == nil || name != "remove" {
		b.replies.offer(i, choices)
		return
	}
	ctx, cancel := context.WithTimeout(b.work, completeTimeout)
	defer cancel()
	list, err := deps.Sources.List(ctx)
	if err != nil {
		b.log.Warn("cannot list the added documents for autocomplete", "err", err)
	}
	typed := strings.ToLower(opts["document"])
	for _, d := range list.Docs {
		if len(choices) == 25 {
			break
		}
		if strings.Contains(strings.ToLower(strings.Join([]string{d.Title, d.ID, d.URL, d.File}, " ")), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(firstNonBlank(d.Title, d.ID), 100), Value: d.ID})
		}
	}
	b.replies.offer(i, choices)
}
