package answer

import (
	"context"
	"testing"
)

// gateOn measures the gate's evidence for q as the answerers do.
func gateOn(t *testing.T, ix Searcher, q string) gateEvidence {
	t.Helper()
	cleaned, err := prepare(q)
	if err != nil {
		t.Fatal(err)
	}
	found, err := search(context.Background(), ix, []string{plain(cleaned)}, defaultK)
	if err != nil {
		t.Fatal(err)
	}
	return measureEvidence([]string{cleaned}, found.asked, ix.IDF)
}

// The gate declines what the articles cannot be about, including
// questions that name a city the articles know or ask for the moment,
// and lets through paraphrases whose words the articles write otherwise.
// None of these questions is in an evaluation set.
func TestGate(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		q        string
		declined bool
	}{
		{"What's the weather going to be in Paris on Friday?", true},
		{"Quel est le meilleur restaurant italien de Londres ?", true},
		{"Quelle est la population de Berlin ?", true},
		{"Who won the 2014 World Cup?", true},
		{"Quelle est la recette du cassoulet ?", true},
		// A synonym the corpus has ("salariés" → "agents") and a lexicon
		// expression ("feuille de route" is a plan).
		{"Que craignent les salariés du Trésor britannique ?", false},
		{"Que prévoit la feuille de route britannique pour l'IA ?", false},
		// About the moment, but everything in it is known.
		{"Quelle valorisation OpenAI peut-elle viser aujourd'hui ?", false},
		// An English paraphrase known through the synonyms of its
		// translations ("dangers" → "risques").
		{"Which dangers did the first summit want to study?", false},
		// Names the corpus has, and a short question of one name.
		{"Where did Keir Starmer meet Mistral?", false},
		{"Kyndryl ?", false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			e := gateOn(t, ix, tt.q)
			if got := e.none(); got != tt.declined {
				t.Errorf("got declined %v (%+v), want %v", got, e, tt.declined)
			}
		})
	}
}

func TestNameLike(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		q, word string
		want    bool
	}{
		{"What is the capital of Australia?", "Australia", true},
		{"Who won the 2018 World Cup?", "2018", true},
		{"Australia is where?", "Australia", false}, // first word: maybe just a capital
		{"WHAT IS THE CAPITAL OF AUSTRALIA", "AUSTRALIA", false},
		{"what is the capital of australia", "australia", false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			for _, w := range questionWords(tt.q, ix.IDF) {
				if w.text == tt.word {
					if got := nameLike(w, tt.q); got != tt.want {
						t.Errorf("got %v, want %v", got, tt.want)
					}
					return
				}
			}
			t.Fatalf("no word %q", tt.word)
		})
	}
}
