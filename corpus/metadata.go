package corpus

import (
	"strings"
)

// takeFrontMatter reads a Markdown front matter block ("---" lines around
// "key: value" pairs) at the start of s into c and returns the body after
// it. Only title, date and url are used; other keys are ignored. Without a
// closing "---" (or "...") line, s is returned unchanged.
func (c *cleaned) takeFrontMatter(s string) string {
	rest, ok := strings.CutPrefix(s, "---\n")
	if !ok {
		return s
	}
	var fields []string
	for {
		line, after, found := strings.Cut(rest, "\n")
		if t := strings.TrimSpace(line); t == "---" || t == "..." {
			c.applyFrontMatter(fields)
			return after
		}
		if !found {
			return s
		}
		fields = append(fields, line)
		rest = after
	}
}

// applyFrontMatter keeps the metadata keys citebot shows with a citation.
func (c *cleaned) applyFrontMatter(fields []string) {
	for _, f := range fields {
		key, value, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		value = unquote(normalizeSpaces(value))
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "title":
			c.title = value
		case "date":
			c.date, _ = parseDate(value)
		case "url":
			c.url = value
		}
	}
}

// unquote removes one pair of matching YAML quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return strings.TrimSpace(v[1 : len(v)-1])
	}
	return v
}

// takeDatePrefix removes a leading "date YYYY-MM" (or "date: YYYY-MM-DD")
// from the first line, where some exports put the publication date in front
// of the text, and keeps it as the date unless front matter gave one. The
// rest of the line, if any, stays as the first paragraph.
func (c *cleaned) takeDatePrefix(lines []string) []string {
	if len(lines) == 0 {
		return lines
	}
	first := lines[0]
	if len(first) < 4 || !strings.EqualFold(first[:4], "date") {
		return lines
	}
	rest := strings.TrimLeft(first[4:], " ")
	rest = strings.TrimLeft(strings.TrimPrefix(rest, ":"), " ")
	if len(rest) == len(first)-4 {
		return lines // "dated", "datent": a word, not a field
	}
	date, n := parseDate(rest)
	if date == "" || (n < len(rest) && rest[n] != ' ') {
		return lines
	}
	if c.date == "" {
		c.date = date
	}
	if tail := strings.TrimSpace(rest[n:]); tail != "" {
		lines[0] = tail
		return lines
	}
	return lines[1:]
}

// parseDate reads "YYYY-MM" or "YYYY-MM-DD" at the start of s (a time may
// follow, as in "2023-11-02T10:00:00Z") and returns it with the number of
// bytes it used, or "" and 0 when s does not start with a valid date.
func parseDate(s string) (string, int) {
	if !digitsAt(s, 0, 4) || !dashAt(s, 4) || !digitsAt(s, 5, 2) || !inRange(s[5:7], 1, 12) {
		return "", 0
	}
	n := 7
	if dashAt(s, 7) && digitsAt(s, 8, 2) && inRange(s[8:10], 1, 31) {
		n = 10
	}
	if n < len(s) && s[n] >= '0' && s[n] <= '9' {
		return "", 0
	}
	return s[:n], n
}

func digitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for _, b := range []byte(s[i : i+n]) {
		if b < '0' || b > '9' {
			return false
		}
	}
	return true
}

func dashAt(s string, i int) bool { return i < len(s) && s[i] == '-' }

// inRange reports whether the two-digit number d is within [lo, hi].
func inRange(d string, lo, hi int) bool {
	v := int(d[0]-'0')*10 + int(d[1]-'0')
	return v >= lo && v <= hi
}
