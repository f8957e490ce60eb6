// Field fitting: how the fields of one message share Discord's embed
// limits, shortening the stretchable text of each rather than dropping
// fields.

package bot

import (
	"sort"

	"github.com/bwmarrin/discordgo"
)

// fieldLen is what a field counts against an embed's 6000 runes; a nil
// field (no "… and N more") counts nothing.
func fieldLen(f *discordgo.MessageEmbedField) int {
	if f == nil {
		return 0
	}
	return discordLen(f.Name) + discordLen(f.Value)
}

// flexField is an embed field whose value holds one stretchable text — a
// quote, a passage, a title — between fixed parts. The stretchable text is
// shortened, or left out, so that a whole message fits Discord's limits
// while every field keeps what identifies it.
type flexField struct {
	name        string // defused, at most maxFieldNameRunes
	pre, post   string // fixed value text around the stretchable part, defused
	open, close string // wrap the stretchable part when it is shown
	text        string // the stretchable text, raw: clip defuses it
	textLen     int    // runes of defuse(text)
}

// fixedLen is what the field costs with its stretchable text left out:
// the least it needs to be shown at all.
func (f flexField) fixedLen() int {
	return discordLen(f.name) + discordLen(f.pre) + discordLen(f.post)
}

// shown is how many runes of text the field shows when texts are cut to c.
func (f flexField) shown(c int) int {
	room := maxFieldValueRunes - discordLen(f.pre+f.post+f.open+f.close)
	n := min(f.textLen, c, room)
	if n < minStretch && n < f.textLen {
		return 0
	}
	return n
}

// stretchLen is what showing the text costs when texts are cut to c.
func (f flexField) stretchLen(c int) int {
	if n := f.shown(c); n > 0 {
		return n + discordLen(f.open) + discordLen(f.close)
	}
	return 0
}

// field renders the field with its text cut to c runes (see shown).
func (f flexField) field(c int) *discordgo.MessageEmbedField {
	value := f.pre
	if n := f.shown(c); n > 0 {
		value += f.open + clip(f.text, n) + f.close
	}
	return &discordgo.MessageEmbedField{Name: f.name, Value: value + f.post}
}

// fitFields lays fs out as at most maxN fields whose names and values sum
// to at most room runes. It keeps as many fields as their fixed parts
// allow (the rest are counted in the one field more returns), then gives
// the stretchable texts the longest common length that fits what is left.
func fitFields(fs []flexField, room, maxN int, more func(n int) *discordgo.MessageEmbedField) []*discordgo.MessageEmbedField {
	sums := make([]int, len(fs)+1)
	for i, f := range fs {
		sums[i+1] = sums[i] + f.fixedLen()
	}
	m := min(len(fs), maxN)
	var extra *discordgo.MessageEmbedField
	for ; m > 0; m-- {
		if m == len(fs) && sums[m] <= room {
			break
		}
		if m < len(fs) && m < maxN {
			if extra = more(len(fs) - m); sums[m]+fieldLen(extra) <= room {
				break
			}
		}
	}
	if m == 0 {
		extra = more(len(fs))
	}
	left := room - sums[m] - fieldLen(extra)
	shown := fs[:m]
	c := sort.Search(maxFieldValueRunes+1, func(c int) bool {
		total := 0
		for _, f := range shown {
			total += f.stretchLen(c)
		}
		return total > left
	}) - 1
	out := make([]*discordgo.MessageEmbedField, 0, m+1)
	for _, f := range shown {
		out = append(out, f.field(c))
	}
	if extra != nil {
		out = append(out, extra)
	}
	return out
}
