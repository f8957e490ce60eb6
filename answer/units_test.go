package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/citebot/citebot/analysis"
)

func TestUnitsFollowWhatAColonAnnounces(t *testing.T) {
	chunk := "Keir Starmer a évoqué des cas concrets :\n- Enseignement : adapter les leçons.\n- Petites entreprises : simplifier la comptabilité.\n- Planification urbaine : accélérer.\n- Santé : réduire les attentes.\nFin du texte."
	units := passageUnits(0, chunk)
	got := units[0].text(chunk)
	if !strings.HasSuffix(got, "accélérer.") {
		t.Errorf("got first unit %q, want the sentence and the three items it announces", got)
	}
	for _, u := range units {
		if u.start < 0 || u.end > len(chunk) || u.start >= u.end {
			t.Fatalf("got unit %d:%d outside the chunk", u.start, u.end)
		}
	}
}

func TestHeadingTakesTheNextSentence(t *testing.T) {
	chunk := "Personnalisation des services publics\nLe gouvernement veut adapter les services à chacun."
	got := passageUnits(0, chunk)[0].text(chunk)
	if got != chunk {
		t.Errorf("got %q, want the heading with its sentence", got)
	}
}

func TestWidenKeepsQuotesVerbatim(t *testing.T) {
	p := "Un. Deux trois. Quatre cinq six."
	if got := widen(p, "Un.", "Quatre cinq six."); got != p {
		t.Errorf("got %q, want the span %q", got, p)
	}
	if got := widen(p, "", "Deux trois."); got != "Deux trois." {
		t.Errorf("got %q, want the sentence itself", got)
	}
}

func TestCognate(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"investing", "investissement", true},
		{"embassy", "ambassade", true},
		{"event", "evenement", true},
		{"recipe", "recette", false},
		{"ia", "ia", false}, // too short to guess
		{"taxe", "taxes", true},
		{"pape", "paperasse", false}, // a short word is not a prefix cognate of a long one
		{"paperwork", "paperasse", true},
		{"superficie", "superpuissance", false}, // a common prefix, not a cognate
	}
	for _, tt := range tests {
		if got := cognate(tt.a, tt.b) > 0; got != tt.want {
			t.Errorf("cognate(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestAnswerTypes(t *testing.T) {
	tests := []struct {
		question, sentence string
		want               bool
	}{
		{"Combien OpenAI a-t-elle levé ?", "L'entreprise a levé 40 milliards.", true},
		{"How much did they raise?", "L'entreprise a levé des fonds.", false},
		{"How much did they pay?", "Pour seulement un dollar.", true},
		{"Quel pourcentage ?", "La productivité a augmenté de 30 %.", true},
		{"Quel pourcentage ?", "La productivité a augmenté de 30 points.", false},
		{"Quand le sommet a-t-il eu lieu ?", "Le sommet s'ouvre ce mercredi.", true},
		{"When was the plan launched?", "Le plan a été lancé en 2025.", true},
		{"When was the plan launched?", "Le plan compte 2025 mesures.", true}, // a bare year-like number counts
		{"When was the plan launched?", "Le plan a été lancé.", false},
		{"À quelle date exacte le sommet s'est-il ouvert ?", "Le sommet s'ouvre ce mercredi.", false},
		{"À quelle date exacte le sommet s'est-il ouvert ?", "Le sommet s'ouvre le 1er novembre.", true},
		{"En quelle année ?", "D'ici 2030.", true},
		{"In which month did they meet?", "Ils se sont rencontrés fin 2025.", false}, // a year is not a month
		{"Quel mois ?", "Ils se sont rencontrés en mars.", true},
		{"For how long will the offer run?", "Sur toute l'année prochaine.", true},
		{"Where does the market rank worldwide?", "Le troisième plus important au monde.", true},
		{"Qui dirige OpenAI ?", "Sam Altman dirige OpenAI depuis 2019.", false}, // who: preferred, not required
	}
	for _, tt := range tests {
		if got := questionType(tt.question).fits(analysis.Fold(tt.sentence)); got != tt.want {
			t.Errorf("%q / %q: got %v, want %v", tt.question, tt.sentence, got, tt.want)
		}
	}
}

// "pape" once matched "paperasse" by prefix and the question got a quote
// about paperwork.
func TestShortWordIsNotMatchedByPrefix(t *testing.T) {
	a, err := (&Extractive{Index: testIndex(t)}).Answer(context.Background(), "Qui est le pape ?", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Refused || len(a.Sources) != 0 {
		t.Errorf("got %q, want a refusal", a.Text)
	}
}
