package analysis

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"l’intelligence artificielle", []string{"l", "intelligence", "artificielle"}},
		{"Royaume-Uni", []string{"Royaume", "Uni"}},
		{"de 1,5% par an", []string{"de", "1,5", "par", "an"}},
		{"fin. Début", []string{"fin", "Début"}},
		{"2.5 milliards", []string{"2.5", "milliards"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, tok := range Tokens(tt.in) {
				if tt.in[tok.Start:tok.End] != tok.Text {
					t.Errorf("offsets %d:%d give %q, want %q", tok.Start, tok.End, tt.in[tok.Start:tok.End], tok.Text)
				}
				got = append(got, tok.Text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{"Économie": "economie", "cœur": "coeur", "L’État": "l'etat", "ÇA": "ca"}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestTermsDropStopwordsAndStem(t *testing.T) {
	// Each word gives its French stem, then its English stem if different.
	tests := []struct {
		in   string
		want []string
	}{
		{"Les investissements des entreprises", []string{"invest", "investiss", "entrepris"}},
		{"The investments of the companies", []string{"investment", "invest", "compan", "compani"}},
		{"En 2023, 1,5 milliard", []string{"2023", "1,5", "milliard"}},
	}
	for _, tt := range tests {
		if got := Terms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTermsUseBothStemmers(t *testing.T) {
	// The English stemmer conflates "investing" with the French "investissement".
	got := Terms("investing")
	for _, w := range []string{"invest", "investing"} {
		if !slices.Contains(got, w) {
			t.Errorf("Terms: got %q, want it to contain %q", got, w)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Quel est le rôle de Sam Altman ?", "fr"},
		{"Quand a eu lieu le premier AI Safety Summit ?", "fr"},
		{"What did OpenAI offer to US federal employees?", "en"},
		{"How much is Vantage Data Centres investing in the UK?", "en"},
		{"Which company created the AI avatar that opened the embassy event?", "en"},
		{"OpenAI", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		word, want string
	}{
		{"offered", "offre"},
		{"Companies", "entreprise"},
		{"embassy", "ambassade"},
		{"said", "déclarer"},
	}
	for _, tt := range tests {
		if got := Translate(tt.word); !slices.Contains(got, tt.want) {
			t.Errorf("Translate(%q): got %q, want it to contain %q", tt.word, got, tt.want)
		}
	}
	if got := Translate("Synthesia"); got != nil {
		t.Errorf("Translate(Synthesia): got %q, want nil", got)
	}
}

func TestExpandOnlyTranslatesNonFrenchQuestions(t *testing.T) {
	if got := Expand("Quel est le rôle de l'ambassade ?"); got != "Quel est le rôle de l'ambassade ?" {
		t.Errorf("got %q, want a French question unchanged", got)
	}
	got := Expand("Who opened the embassy event?")
	for _, want := range []string{"Who opened the embassy event?", "ambassade", "ouverture", "événement"} {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to contain %q", got, want)
		}
	}
}

// Fold's shortcuts for ASCII and Latin letters must agree with the
// Unicode decomposition it falls back to.
func TestFoldShortcutsAgree(t *testing.T) {
	for _, s := range []string{"Économie", "ÀÉÎÕÜ àéîõü çÇñÑ ÿ", "Œuvre cœur Æ straße", "l’IA ʼ ‘", "São Paulo"} {
		want := foldSlow(s)
		if got := Fold(s); got != want {
			t.Errorf("Fold(%q): got %q, want %q", s, got, want)
		}
	}
}

// TestLatinBaseIsTheTable checks the switch against the table it
// replaced, for every code point, and each entry against Unicode
// decomposition.
func TestLatinBaseIsTheTable(t *testing.T) {
	table := map[rune]string{
		'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ç': "c", 'è': "e", 'é': "e", 'ê': "e",
		'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o",
		'ö': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'œ': "oe", 'æ': "ae", 'ß': "ss",
		'’': "'", 'ʼ': "'", '‘': "'",
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want, wantOK := table[r]
		if got, ok := latinBase(r); got != want || ok != wantOK {
			t.Fatalf("%U: got %q, %v, want %q, %v", r, got, ok, want, wantOK)
		}
		if wantOK && foldSlow(string(r)) != want {
			t.Errorf("%U: the table says %q, decomposition %q", r, want, foldSlow(string(r)))
		}
	}
}
