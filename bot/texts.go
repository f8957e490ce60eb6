package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/citebot/citebot/analysis"
)

// lang picks the language of the bot's own messages: French for a French
// interaction locale; English for another locale when there is no text to
// read; otherwise the question's language, under the one default rule of
// pick, so a question too short to tell gets French like the corpus.
func lang(locale discordgo.Locale, question string) string {
	if strings.HasPrefix(string(locale), "fr") {
		return "fr"
	}
	if locale != "" && question == "" {
		return "en"
	}
	return pick(analysis.Detect(question), "en", "fr")
}

// pick chooses the English or the French wording: English only when lang
// is "en", French otherwise, since the corpus is French and
// answer.Language falls back to "fr". Every choice of language in the bot
// goes through it, so messages and embeds never disagree.
func pick(lang, en, fr string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// say returns one of the bot's messages in lang (see pick).
func say(lang, key string, args ...any) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	return fmt.Sprintf(pick(lang, t[0], t[1]), args...)
}

// texts are the bot's own messages, English then French, in one place
// so that the two languages stay in step.
var texts = map[string][2]string{
	"empty":          {"Ask me a question about the articles, e.g. `@citebot What did OpenAI offer to US federal employees?`", "Posez-moi une question sur les articles, par exemple `@citebot Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?`"},
	"rateLimit":      {"You are asking quickly: please wait %s before your next question.", "Vous posez beaucoup de questions : merci d'attendre %s avant la suivante."},
	"queueFull":      {"Too many questions are waiting right now; please try again in a minute.", "Trop de questions sont en attente ; réessayez dans une minute."},
	"queued":         {"Your question is number %d in line.", "Votre question est en position %d dans la file."},
	"failed":         {"Sorry, something went wrong while answering. Please try again later.", "Désolé, une erreur est survenue pendant la réponse. Réessayez plus tard."},
	"restarting":     {"citebot is restarting; please ask again in a moment.", "citebot redémarre ; reposez votre question dans un instant."},
	"noPerm":         {"Only members with the Manage Server permission can re-index.", "Seuls les membres ayant la permission Gérer le serveur peuvent réindexer."},
	"reindexed":      {"Re-indexed: %s", "Réindexé : %s"},
	"thanks":         {"Thanks for the feedback!", "Merci pour votre retour !"},
	"expired":        {"These sources are no longer available; please ask again.", "Ces sources ne sont plus disponibles ; reposez la question."},
	"unknown":        {"This command or button is unknown or outdated. Try /help.", "Cette commande ou ce bouton est inconnu ou périmé. Essayez /help."},
	"passageChanged": {"(This passage has changed since the answer; it is no longer indexed as it was.)", "(Ce passage a changé depuis la réponse ; il n'est plus indexé tel quel.)"},
	"noResult":       {"No passage matches.", "Aucun passage ne correspond."},
	"unknownDoc":     {"Unknown document. Start typing a title and pick one from the list.", "Document inconnu. Tapez le début d'un titre et choisissez dans la liste."},
	"kbUnavailable":  {"This server's knowledge base (%s) cannot be used right now; please try again later.", "La base de connaissances de ce serveur (%s) est indisponible pour le moment ; réessayez plus tard."},
	"serviceDown":    {"The answering service cannot be reached right now, so your question was not taken; please ask again in a few minutes.", "Le service qui répond est injoignable pour le moment : votre question n'a pas été prise en compte ; reposez-la dans quelques minutes."},
	"unavailable":    {"This is not available on this bot.", "Ce n'est pas disponible sur ce bot."},
	// /config (cmd_config.go, config_text.go)
	"noPermConfig":      {"Only members with the Manage Server permission can change this server's settings, in a server.", "Seuls les membres ayant la permission Gérer le serveur peuvent changer les réglages du serveur, dans un serveur."},
	"configSaved":       {"Saved; it applies now.", "Enregistré ; c'est appliqué dès maintenant."},
	"configNotSaved":    {"The settings could not be saved; nothing changed. Please try again later.", "Les réglages n'ont pas pu être enregistrés ; rien n'a changé. Réessayez plus tard."},
	"configChoice":      {"Unknown choice %q: pick one from the list.", "Choix inconnu %q : choisissez dans la liste."},
	"configRate":        {"Not changed: the rate must be a whole number of questions a minute from %[2]d to %[3]d, not %[1]q.", "Non modifié : le débit doit être un nombre entier de questions par minute entre %[2]d et %[3]d, pas %[1]q."},
	"configKB":          {"Not changed: there is no knowledge base %q. Available: %s.", "Non modifié : il n'y a pas de base de connaissances %q. Disponibles : %s."},
	"configNoChannel":   {"Not changed: channel %s cannot be found.", "Non modifié : le salon %s est introuvable."},
	"configOtherServer": {"Not changed: channel <#%s> belongs to another server.", "Non modifié : le salon <#%s> appartient à un autre serveur."},
	"configNotText":     {"Not changed: <#%s> is not a text channel.", "Non modifié : <#%s> n'est pas un salon textuel."},
	"configDefault":     {"(bot default)", "(défaut du bot)"},
	"configNone":        {"none (mentions only)", "aucun (mentions seulement)"},
	"configShow": {"**Settings of this server**\n• Watched channels: %s\n• Replies: %s\n• Answer language: %s\n• Per member: %s\n• Knowledge base: %s",
		"**Réglages de ce serveur**\n• Salons surveillés : %s\n• Réponses : %s\n• Langue des réponses : %s\n• Par membre : %s\n• Base de connaissances : %s"},
	"style_thread":  {"a thread per question", "un fil par question"},
	"style_inplace": {"in place, under the question", "sur place, sous la question"},
	"lang_asker":    {"the asker's", "celle de la question"},
	"lang_fr":       {"French", "français"},
	"lang_en":       {"English", "anglais"},
	"rateOff":       {"no limit", "sans limite"},
	"ratePerMinute": {"%d questions a minute", "%d questions par minute"},
	// /forget-me, /gaps, /stats
	"forgot":        {"Done: %d records about you were deleted (questions, answers, votes, conversations).", "C'est fait : %d enregistrements vous concernant ont été effacés (questions, réponses, votes, conversations)."},
	"forgotNothing": {"Nothing is stored about you.", "Rien n'est conservé sur vous."},
	"noPermReports": {"Only members with the Manage Server permission can see this server's reports, in a server.", "Seuls les membres ayant la permission Gérer le serveur peuvent voir les rapports du serveur, dans un serveur."},
	"badDays":       {"days must be a whole number from 1 to %[2]d, not %[1]q.", "days doit être un nombre entier entre 1 et %[2]d, pas %[1]q."},
	"gapsNone":      {"No unanswered questions in the last %d days.", "Aucune question sans réponse ces %d derniers jours."},
	"gapsHead":      {"**%d distinct questions the articles did not answer** (declined or 👎), last %d days — page %d/%d", "**%d questions distinctes auxquelles les articles n'ont pas répondu** (refusées ou 👎), %d derniers jours — page %d/%d"},
	// /source (cmd_source.go, source_replies.go, attachment.go)
	"noPermSource":      {"Only members with the Manage Server permission can add or remove articles.", "Seuls les membres ayant la permission Gérer le serveur peuvent ajouter ou retirer des articles."},
	"sourcesOff":        {"Adding articles is not available on this bot.", "L'ajout d'articles n'est pas disponible sur ce bot."},
	"sourceAddOne":      {"Give either a link (`url:`) or a file (`file:`).", "Donnez soit un lien (`url:`), soit un fichier (`file:`)."},
	"sourceNoFile":      {"The attachment did not arrive; please attach the file again.", "La pièce jointe n'est pas arrivée ; joignez le fichier à nouveau."},
	"sourceType":        {"%s: only .html, .md, .txt and .pdf files can be added.", "%s : seuls les fichiers .html, .md, .txt et .pdf peuvent être ajoutés."},
	"sourceSize":        {"%s is %s; files up to 5 MB can be added.", "%s fait %s ; les fichiers peuvent faire jusqu'à 5 Mo."},
	"sourceNotAdded":    {"Not added: %s", "Non ajouté : %s"},
	"sourceNotFollowed": {"Not followed: %s", "Non suivi : %s"},
	"sourceNotRemoved":  {"Not removed: %s", "Non retiré : %s"},
	"sourceAdded":       {"Added", "Ajouté"},
	"sourceUpdated":     {"Updated", "Mis à jour"},
	"sourceUnchanged":   {"Already there, unchanged", "Déjà là, inchangé"},
	"sourceDuplicate":   {"Already there (the same text)", "Déjà là (le même texte)"},
	"sourceDoc":         {"%s: **%s**%s · %d chunks · `%s`\n%s", "%s : **%s**%s · %d passages · `%s`\n%s"},
	"sourceRemoved":     {"Removed **%s** (`%s`): its %d chunks left the index.", "Retiré : **%s** (`%s`) ; ses %d passages ont quitté l'index."},
	"sourceFeed":        {"Following **%s** %s: %d articles listed, %d indexed (%d chunks).", "Flux suivi : **%s** %s : %d articles listés, %d indexés (%d passages)."},
	"sourceFeedKnown":   {"Already following **%s** %s: %d articles listed, %d indexed (%d chunks).", "Flux déjà suivi : **%s** %s : %d articles listés, %d indexés (%d passages)."},
	"sourceFeedFailed":  {"%d could not be fetched; the next sync tries again.", "%d n'ont pas pu être récupérés ; la prochaine synchronisation réessaiera."},

	"help": {"**citebot** answers questions about the indexed articles and cites its sources.\n" +
		"• Mention me with a question, or write in a channel I watch; I answer in a thread, and follow-ups there keep the context.\n" +
		"• %s\n" +
		"• 👍/👎 under an answer tell us if it helped; **Sources** shows the passages and their scores.\n" +
		"Limits: %d questions a minute per person; answers are grounded in the articles only.",
		"**citebot** répond aux questions sur les articles indexés en citant ses sources.\n" +
			"• Mentionnez-moi avec une question, ou écrivez dans un salon que je surveille ; je réponds dans un fil, où les questions suivantes gardent le contexte.\n" +
			"• %s\n" +
			"• 👍/👎 sous une réponse nous disent si elle a aidé ; **Sources** montre les passages et leurs scores.\n" +
			"Limites : %d questions par minute et par personne ; les réponses s'appuient uniquement sur les articles."},
}

// wait formats a short wait for people ("12s", "1m5s").
func wait(d time.Duration) string {
	return d.Round(time.Second).String()
}
