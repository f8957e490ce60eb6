// Text cleaning: what makes text from users, articles or a model safe and
// short enough to show on Discord — defused, clipped, truncated, collapsed
// — counted in runes as Discord counts.

package bot

import (
	"github.com/citebot/citebot/cite"
	"regexp"
	"strings"
	"unicode/utf8"
)

// discordLen is the length of s as Discord counts it: Unicode code points.
func discordLen(s string) int { return utf8.RuneCountInString(s) }

// truncate returns s cut to at most n runes, ending with "…", never in a
// character or a citation marker: see cite.Shorten.
func truncate(s string, n int) string { return cite.Shorten(s, n) }

var (
	// massMentions breaks up @everyone and @here with a zero-width space,
	// so they no longer read as pings.
	massMentions = strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere")
	// maskedLink is Discord's [text](url), the URL allowing one level of
	// parentheses as in Wikipedia links.
	maskedLink = regexp.MustCompile(`\[([^\[\]\n]*)\]\(\s*<?(https?://(?:[^\s<>()]|\([^\s<>()]*\))+)>?\s*\)`)
)

// defuse makes text from users, articles or a model inert when displayed.
// allowed_mentions already stops pings, but "@everyone" would still look
// like one, so a zero-width space follows the "@". A masked link could
// disguise its target, so it is shown as its text and URL. A lone ```
// would turn the rest of a message or embed into code, so it is escaped.
// Ordinary emphasis (* _ ~) is kept: articles and answers use it.
func defuse(s string) string {
	s = massMentions.Replace(s)
	s = maskedLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := maskedLink.FindStringSubmatch(m)
		if strings.TrimSpace(sub[1]) == "" {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	// Discord pairs fences left to right, so an odd one out is the last.
	if strings.Count(s, "```")%2 == 1 {
		i := strings.LastIndex(s, "```")
		s = s[:i] + "\\`\\`\\`" + s[i+3:]
	}
	return s
}

// clip returns defuse(s) in at most n runes. It defuses after cutting, since
// a cut can leave a lone ``` behind, and cuts again if escaping lengthened
// the text.
func clip(s string, n int) string {
	if d := defuse(s); discordLen(d) <= n {
		return d
	}
	for m := n; ; {
		d := defuse(truncate(s, m))
		over := discordLen(d) - n
		if over <= 0 {
			return d
		}
		m -= over
	}
}

// collapseSpace puts text on one line: quotes and passages in a field read
// better as one paragraph, and every rune saved goes to the quote.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstNonBlank returns the first of ss that is not blank, on one line:
// Discord rejects a field whose name or value is blank.
func firstNonBlank(ss ...string) string {
	for _, s := range ss {
		if s = collapseSpace(s); s != "" {
			return s
		}
	}
	return ""
}
