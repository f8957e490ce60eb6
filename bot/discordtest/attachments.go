// Files members attach to slash commands, and the commands with
// sub-commands that carry them. Discord sends an attachment option as the
// attachment's ID, with the attachment itself (name, size, a signed CDN
// URL) in the interaction's resolved data; the bot downloads the bytes
// from that URL with its own client, which Attach and Client point here.

package discordtest

import (
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"

	"github.com/bwmarrin/discordgo"
)

// cdnHost is where Discord serves attachments.
const cdnHost = "cdn.discordapp.com"

// Attachment stores data as a file a member attached and returns the
// attachment as Discord resolves it: a new ID, the file name, its size,
// its content type and a signed cdn.discordapp.com URL that this fake
// serves (GET /attachments/{channel}/{id}/{filename}). Like Discord, the
// fake answers 404 when the URL's signature (the hm parameter) is missing,
// so a bot that strips the query fails here as it would there. A test may
// change the returned Size to announce a file larger than its bytes.
func (s *Server) Attachment(filename string, data []byte) *discordgo.MessageAttachment {
	id := s.NewID()
	ctype := mime.TypeByExtension(path.Ext(filename))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	sig := "sig" + id
	route := "/attachments/" + guildID + "/" + id + "/" + filename
	body := append([]byte(nil), data...)
	s.Respond("GET", route, func(r Request) (int, any, http.Header) {
		if r.Query.Get("hm") != sig {
			return notFound("This content is no longer available.", 0)
		}
		return http.StatusOK, body, http.Header{"Content-Type": {ctype}}
	})
	u := url.URL{Scheme: "https", Host: cdnHost, Path: route, RawQuery: url.Values{"ex": {"ffffffff"}, "hm": {sig}}.Encode()}
	return &discordgo.MessageAttachment{ID: id, Filename: filename, Size: len(data), ContentType: ctype, URL: u.String(),
		ProxyURL: "https://media.discordapp.net" + u.RequestURI()}
}

// Subcommand builds a type-2 interaction for /name sub, as Discord sends
// a command with sub-commands: one SUB_COMMAND option holding the
// options. Values are typed as SlashCommand types them, and a
// *discordgo.MessageAttachment (from Attachment) becomes an ATTACHMENT
// option carrying its ID, with the attachment in the resolved data.
func (s *Server) Subcommand(name, sub string, options map[string]any, userID, guildID, channelID string, permissions int64) *discordgo.Interaction {
	data := discordgo.ApplicationCommandInteractionData{ID: s.NewID(), Name: name, CommandType: discordgo.ChatApplicationCommand}
	opts, resolved := subcommandOptions(options)
	data.Options = []*discordgo.ApplicationCommandInteractionDataOption{{Name: sub, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}}
	if len(resolved) > 0 {
		data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: resolved}
	}
	return s.newInteraction(discordgo.InteractionApplicationCommand, data, userID, guildID, channelID, permissions)
}

// SubcommandAutocomplete builds a type-4 interaction: the member is
// typing typed into the option focused of /name sub, the other options
// already filled. permissions are the member's, since an admin-only
// command may offer choices to admins only.
func (s *Server) SubcommandAutocomplete(name, sub, focused, typed string, options map[string]any, userID, guildID, channelID string, permissions int64) *discordgo.Interaction {
	opts, _ := subcommandOptions(options)
	opts = append(opts, &discordgo.ApplicationCommandInteractionDataOption{
		Name: focused, Type: discordgo.ApplicationCommandOptionString, Value: typed, Focused: true,
	})
	data := discordgo.ApplicationCommandInteractionData{ID: s.NewID(), Name: name, CommandType: discordgo.ChatApplicationCommand,
		Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: sub, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}}}
	return s.newInteraction(discordgo.InteractionApplicationCommandAutocomplete, data, userID, guildID, channelID, permissions)
}

// subcommandOptions types options like commandOptions, attachments as
// ATTACHMENT options with the attachments to resolve, sorted by name.
func subcommandOptions(options map[string]any) ([]*discordgo.ApplicationCommandInteractionDataOption, map[string]*discordgo.MessageAttachment) {
	plain := map[string]any{}
	resolved := map[string]*discordgo.MessageAttachment{}
	var files []*discordgo.ApplicationCommandInteractionDataOption
	for name, v := range options {
		a, ok := v.(*discordgo.MessageAttachment)
		if !ok {
			plain[name] = v
			continue
		}
		cp := *a
		resolved[a.ID] = &cp
		files = append(files, &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionAttachment, Value: a.ID})
	}
	opts := append(commandOptions(plain), files...)
	sort.Slice(opts, func(i, j int) bool { return opts[i].Name < opts[j].Name })
	return opts, resolved
}
