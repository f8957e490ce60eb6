package answer

import (
	"slices"
	"testing"
)

func TestSplitParts(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"who hosts the next summit, and when was the first?", []string{"who hosts the next summit", "when was the first?"}},
		{"How many civil servants will be trained, and by when?", []string{"How many civil servants will be trained", "by when?"}},
		{"Qui organise le sommet ? Et quand ?", []string{"Qui organise le sommet ?", "quand ?"}},
		{"Starmer et Mistral, they met ou pas ?", []string{"Starmer et Mistral, they met ou pas ?"}},
		{"Quels sommets la France a-t-elle promis d'accueillir ou organise-t-elle ?", []string{"Quels sommets la France a-t-elle promis d'accueillir ou organise-t-elle ?"}},
	}
	for _, tt := range tests {
		if got := splitParts(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("splitParts(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadNoun(t *testing.T) {
	tests := []struct {
		q       string
		want    string
		counted bool
	}{
		{"Combien de postes liés à l'IA Kyndryl compte-t-il créer ?", "postes", true},
		{"How many new open models did OpenAI unveil?", "models", true},
		{"Quel autre domaine commercial pourrait s'en inspirer ?", "domaine", false},
		{"What yearly economic gain does the UK expect?", "gain", false},
		{"Which company created the avatar?", "company", false},
		{"What is Peter Kyle's salary?", "salary", false},
		{"Quelle est la superficie du data center ?", "superficie", false},
		{"Comment s'appelle l'ambassadrice du Royaume-Uni ?", "ambassadrice", false},
		{"What was the manor hosting the summit used for?", "manor", false},
		{"Pourquoi le sommet a-t-il lieu ?", "", false},
	}
	for _, tt := range tests {
		if got := headNoun(tt.q); got.word != tt.want || got.counted != tt.counted {
			t.Errorf("headNoun(%q): got %+v, want %q (counted %v)", tt.q, got, tt.want, tt.counted)
		}
	}
}

func TestDistributeSplitsCoordinatedNamesNotRelations(t *testing.T) {
	idf := func(string) (float64, bool) { return 1, true }
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"Combien valent l'entreprise derrière ChatGPT et le marché britannique de l'IA ?", 2},
		{"What challenges do the US and the UK face?", 2},
		{"Quel est le montant du contrat entre OpenAI et le gouvernement britannique ?", 0},
		{"What did Jean-Noël Barrot say about ChatGPT?", 0},
	} {
		p := parseQuestion(tt.q, idf, nil)[0]
		if got := len(distribute(p)); got != tt.want {
			t.Errorf("distribute(%q): got %d parts, want %d", tt.q, got, tt.want)
		}
	}
}

// A plural asked noun asks for the same type as its singular.
func TestAttributeTypePlural(t *testing.T) {
	tests := []struct {
		word string
		want answerType
		ok   bool
	}{
		{"montant", money, true},
		{"montants", money, true},
		{"fonctions", role, true},
		{"prix", money, true},
		{"lieux", place, true},
		{"chats", anyAnswer, false},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got, ok := attributeType(tt.word); got != tt.want || ok != tt.ok {
				t.Errorf("got %v %v, want %v %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// "How many jobs" counts jobs, though "job" alone asks for a role.
func TestCountedPluralIsCounted(t *testing.T) {
	idf := func(string) (float64, bool) { return 1, true }
	for _, q := range []string{"How many jobs is Kyndryl creating?", "Combien de postes seront créés ?", "Over how many years?"} {
		t.Run(q, func(t *testing.T) {
			if p := parseQuestion(q, idf, nil)[0]; p.want != count {
				t.Errorf("got type %v, want count", p.want)
			}
		})
	}
}
