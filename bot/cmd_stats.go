package bot

import (
	"bytes"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// The days /gaps and /stats look back over, unless told.
const (
	defaultDays = 30
	maxDays     = 3650
)

// daysOption is the days: option of /gaps and /stats.
func daysOption() []*discordgo.ApplicationCommandOption {
	minimum := 1.0
	return []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "days",
		Description: "How many days back (default 30)", DescriptionLocalizations: *french("Combien de jours en arrière (30 par défaut)"),
		MinValue: &minimum, MaxValue: maxDays}}
}

// statsCommand is /stats: the server's usage figures — questions a day,
// answered / declined / failed, votes, answer times, most cited articles
// — in text, with a chart attached, for its moderators only.
func statsCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{Name: "stats", Description: "Usage figures and a chart (Manage Server)",
			DescriptionLocalizations: french("Chiffres d'utilisation et un graphique (Gérer le serveur)"),
			DefaultMemberPermissions: &manageServer, Options: daysOption()},
		usage: [2]string{"`/stats [days:]` usage figures (Manage Server)", "`/stats [days:]` chiffres d'utilisation (Gérer le serveur)"},
		run:   runStats,
	}
}

// reportCall checks a /gaps or /stats call — Manage Server, in a server,
// reports available, days in range — and returns its days, having told
// the member why not otherwise.
func (b *Bot) reportCall(c call) (int, bool) {
	refuse := func(key string, args ...any) (int, bool) {
		b.replies.respond(c.i, say(c.lang, key, args...), true)
		return 0, false
	}
	if !canManage(c.i) || c.i.GuildID == "" {
		return refuse("noPermReports")
	}
	if b.deps.Reports == nil {
		return refuse("unavailable")
	}
	days := defaultDays
	if v, ok := c.opts["days"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDays {
			return refuse("badDays", v, maxDays)
		}
		days = n
	}
	return days, true
}

// runStats shows the figures privately, the chart attached as a PNG.
func runStats(b *Bot, c call) {
	b.report(c, func(days int, out *interactionSink) {
		text, png, err := b.deps.Reports.Stats(b.work, c.i.GuildID, days)
		if err != nil {
			b.fail(c, out, err)
			return
		}
		content := clip(defuse(text), maxContent)
		var files []*discordgo.File
		if len(png) > 0 {
			files = append(files, &discordgo.File{Name: "stats.png", ContentType: "image/png", Reader: bytes.NewReader(png)})
		}
		err = b.api.editResponseFiles(c.i, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}, files)
		if err != nil {
			b.log.Warn("cannot show /stats", "interaction", c.i.ID, "err", err)
		}
	})
}

// report runs /gaps or /stats: the call checked (reportCall), the reply
// deferred privately, then show with the period asked for.
func (b *Bot) report(c call, show func(days int, out *interactionSink)) {
	days, ok := b.reportCall(c)
	if !ok {
		return
	}
	out, end, ok := b.beginWork(c, true)
	if !ok {
		return
	}
	defer end()
	show(days, out)
}
