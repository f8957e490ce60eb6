package prompts

import (
	"strings"
)

// rewriteLineRE matches one labelled line of a rewrite reply, however a
// model decorates it: "QUERY: …", "**Query:** …", "- **TRANSLATION**: …",
// "Translation : …". Small models sometimes translate the labels into
// French, so TRADUCTION and REQUÊTE are read too.
var rewriteLineRE = lazyRegexp(`(?i)^[\s*_#>•\-` + "`" + `]*(query|requête|requete|translation|traduction)[\s*_` + "`" + `]*[:：][\s*_]*(.*)$`)

// ParseRewrite reads the model's reply to a Rewrite prompt.
//
// It returns the QUERY and TRANSLATION values, each taken from the first
// line that carries it, and ok=false when either is missing or empty; the
// caller then searches with the question as asked. Lines with other text,
// before, between or after, are ignored.
func ParseRewrite(reply string) (query, translation string, ok bool) {
	for _, line := range strings.Split(reply, "\n") {
		m := rewriteLineRE().FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		value := cleanValue(m[2])
		switch strings.ToLower(m[1]) {
		case "query", "requête", "requete":
			if query == "" {
				query = value
			}
		case "translation", "traduction":
			if translation == "" {
				translation = value
			}
		}
	}
	if query == "" || translation == "" {
		return "", "", false
	}
	return query, translation, true
}

// cleanValue strips what a model may wrap around a value: markdown
// emphasis, quotes, code marks, or the angle brackets of the format's
// placeholder.
func cleanValue(v string) string {
	v = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(v), "*_"))
	for _, pair := range [][2]string{{`"`, `"`}, {"“", "”"}, {"«", "»"}, {"`", "`"}, {"<", ">"}, {"'", "'"}} {
		if len(v) >= len(pair[0])+len(pair[1]) && strings.HasPrefix(v, pair[0]) && strings.HasSuffix(v, pair[1]) {
			v = strings.TrimSpace(v[len(pair[0]) : len(v)-len(pair[1])])
		}
	}
	return v
}
