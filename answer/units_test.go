package answer

import (
	"strings"
	"testing"
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
	}
	for _, tt := range tests {
		if got := cognate(tt.a, tt.b) > 0; got != tt.want {
			t.Errorf("cognate(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
