package bot

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestOneDefaultLanguage checks that say and pick share the one rule:
// English only for "en", French for "fr" and for anything else, as the
// corpus and answer.Language do.
func TestOneDefaultLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"en", "en"}, {"fr", "fr"}, {"", "fr"}, {"de", "fr"}, {"EN", "fr"},
	} {
		t.Run("lang "+tt.lang, func(t *testing.T) {
			if got := pick(tt.lang, "en", "fr"); got != tt.want {
				t.Errorf("pick: got %q, want %q", got, tt.want)
			}
			want := texts["thanks"][0]
			if tt.want == "fr" {
				want = texts["thanks"][1]
			}
			if got := say(tt.lang, "thanks"); got != want {
				t.Errorf("say: got %q, want %q", got, want)
			}
		})
	}
}

// TestLang checks how the bot picks the language of its own messages:
// the interaction's locale first, then the question, French when the
// question cannot tell.
func TestLang(t *testing.T) {
	tests := []struct {
		name     string
		locale   discordgo.Locale
		question string
		want     string
	}{
		{"French locale", discordgo.French, "What did OpenAI offer?", "fr"},
		{"English locale, no text", discordgo.EnglishUS, "", "en"},
		{"other locale, no text", discordgo.German, "", "en"},
		{"English locale, French question", discordgo.EnglishUS, "Quel partenariat le Royaume-Uni a-t-il signé ?", "fr"},
		{"no locale, English question", "", "What did OpenAI offer to the federal employees?", "en"},
		{"no locale, French question", "", "Quel partenariat le Royaume-Uni a-t-il signé ?", "fr"},
		{"no locale, cannot tell", "", "OpenAI ?", "fr"},
		{"no locale, no text", "", "", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lang(tt.locale, tt.question); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
