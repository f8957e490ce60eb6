package answer

import "testing"

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"c koi l'accord ke londres a signé avec openai ??", "c'est quoi l'accord que londres a signé avec openai ??"},
		{"yo how much did openai raise in march", "how much did openai raise in march"},
		{"what r the big privacy worries w/ uk gov ai", "what are the big privacy worries with uk government ai"},
		{"lia ds les ecoles uk ca donnerait koi", "l'IA dans les ecoles uk ca donnerait quoi"},
		{"c'est qui ? U.S. e-mail", "c'est qui ? U.S. e-mail"}, // glued forms stay
		{"lol", ""},
	}
	for _, tt := range tests {
		if got := plain(tt.in); got != tt.want {
			t.Errorf("plain(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
