package analysis

import (
	"slices"
	"testing"
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
	got := TermsIn("Les investissements des entreprises", "fr")
	want := []string{"invest", "entrepris"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = TermsIn("The investments of the companies", "en")
	want = []string{"invest", "compani"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
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
