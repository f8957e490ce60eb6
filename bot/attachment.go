// Attachments: the file a member gives /source add, checked on what
// Discord announces before a byte is downloaded, then fetched from
// Discord's CDN with a bound on its size.

package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

const (
	// maxAttachmentBytes is the sources registry's limit on a file (5 MB).
	maxAttachmentBytes = 5 << 20
	// downloadTimeout bounds one download from Discord's CDN.
	downloadTimeout = time.Minute
)

// attachmentTypes are the extensions the registry extracts an article
// from (extract.Detect): HTML, Markdown, plain text and PDF.
var attachmentTypes = []string{".html", ".htm", ".md", ".markdown", ".txt", ".pdf"}

// attachmentHosts are where Discord serves attachments: the bot downloads
// from nowhere else, so that an attachment URL cannot make it fetch an
// arbitrary address.
var attachmentHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// resolvedAttachment is the attachment an option names by ID, from the
// interaction's resolved data; nil when Discord did not send it.
func resolvedAttachment(i *discordgo.Interaction, id string) *discordgo.MessageAttachment {
	data := i.ApplicationCommandData()
	if id == "" || data.Resolved == nil {
		return nil
	}
	return data.Resolved.Attachments[id]
}

// checkAttachment says why a file cannot be added, in lang, from its name
// and announced size alone, or "" if it may be downloaded.
func checkAttachment(lang string, a *discordgo.MessageAttachment) string {
	name := clip(collapseSpace(a.Filename), 100)
	switch {
	case !slices.Contains(attachmentTypes, strings.ToLower(path.Ext(a.Filename))):
		return say(lang, "sourceType", name)
	case a.Size > maxAttachmentBytes:
		return say(lang, "sourceSize", name, megabytes(a.Size))
	}
	return ""
}

// megabytes formats a size for people ("6.2 MB").
func megabytes(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

// download fetches an attachment's bytes with the session's HTTP client
// (the one every Discord call uses, which tests point at the fake),
// reading at most maxAttachmentBytes: the announced size is Discord's
// word, the bound is the bot's.
func (b *Bot) download(ctx context.Context, a *discordgo.MessageAttachment) ([]byte, error) {
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme != "https" || !slices.Contains(attachmentHosts, u.Hostname()) {
		return nil, fmt.Errorf("attachment %s: not a Discord CDN URL: %q", a.ID, a.URL)
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := b.sess.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Filename, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, Refused(fmt.Errorf("%s: Discord answered %s when downloading it; attach it again", a.Filename, resp.Status))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAttachmentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", a.Filename, err)
	}
	if len(data) > maxAttachmentBytes {
		return nil, Refused(fmt.Errorf("%s: over the limit of %s", a.Filename, megabytes(maxAttachmentBytes)))
	}
	return data, nil
}
