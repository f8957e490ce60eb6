package answer

import (
	"slices"
	"testing"
)

func TestHeadedByName(t *testing.T) {
	tests := []struct {
		item string
		want bool
	}{
		{"- Nscale : Investissement de 2,5 milliards de dollars.", true},
		{"- Vantage Data Centres : Investissement de plus de 12 milliards.", true},
		{"- Mistral AI : Expansion de son bureau à Londres.", true},
		{"- Gain en productivité : +30 % de tâches traitées.", false},
		{"- Enseignement : adapter les leçons au rythme de chaque élève.", false},
		{"- Démocratisation de l'IA grâce à des modèles ouverts.", false}, // no head
	}
	for _, tt := range tests {
		t.Run(tt.item, func(t *testing.T) {
			if got := headedByName(tt.item); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// One unknown common noun does not make a list of names.
func TestNamedList(t *testing.T) {
	tests := []struct {
		items []string
		want  bool
	}{
		{[]string{"- Kyndryl : 1 000 emplois.", "- Nscale : 2,5 milliards."}, true},
		{[]string{"- Kyndryl : 1 000 emplois."}, true},
		{[]string{"- Enseignement : adapter les leçons.", "- Petites entreprises : simplifier.", "- Planification urbaine : accélérer."}, false},
		{[]string{"- Automatisation des tâches.", "- Renforcement des liens."}, false},
	}
	for _, tt := range tests {
		if got := namedList(tt.items); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.items, got, tt.want)
		}
	}
}

func TestListSegments(t *testing.T) {
	intro, items := listSegments("On peut citer :\n- Kyndryl : 1 000 emplois.\n- Nscale : 2,5 milliards.")
	if intro != "On peut citer :" || !slices.Equal(items, []string{"- Kyndryl : 1 000 emplois.", "- Nscale : 2,5 milliards."}) {
		t.Errorf("got %q and %q", intro, items)
	}
}
