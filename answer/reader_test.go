package answer

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// askOffline answers q offline over the built-in articles.
func askOffline(t *testing.T, ex *Extractive, q string) Answer {
	t.Helper()
	a, err := ex.Answer(context.Background(), q, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkOneSentenceRefusal asserts a refusal with no citation, in one
// sentence.
func checkOneSentenceRefusal(t *testing.T, a Answer) {
	t.Helper()
	if !a.Refused || len(a.Sources) != 0 {
		t.Errorf("got %q with %d sources, want a refusal", a.Text, len(a.Sources))
	}
	if n := strings.Count(strings.TrimSuffix(a.Text, "."), ". "); n > 0 || !strings.HasSuffix(a.Text, ".") {
		t.Errorf("got %q, want one sentence", a.Text)
	}
}

// checkRelated asserts that every quote holds a word of the question (or
// its translation, a synonym, another name of it): never a quote
// unrelated to what was asked.
func checkRelated(t *testing.T, q string, a Answer) {
	t.Helper()
	words := questionWords(plain(Clean(q)), func(string) (float64, bool) { return 1, true })
	for _, s := range a.Sources {
		b := newBag(s.Quote)
		if !slices.ContainsFunc(words, func(w queryWord) bool { return b.match(w) >= gramMatch }) {
			t.Errorf("quote %q holds no word of %q", s.Quote, q)
		}
	}
}

// Near misses: the articles have the topic but not the asked fact. Each
// is declined, naming the missing term when no passage has it.
func TestNearMissesAreDeclined(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct{ question, names string }{
		{"how much did OpenAI raise in 2022?", "2022"},        // right figure, wrong year
		{"What did the UK sign with Anthropic?", "Anthropic"}, // absent entity
		{"What is Peter Kyle's salary?", ""},                  // a detail never given
		{"Quelle est la superficie du data center de Vantage ?", "superficie"},
		{"Combien de syndicats ont critiqué l'usage de ChatGPT par le Trésor ?", ""}, // no number of unions
		{"Quel est le montant du contrat entre OpenAI et le gouvernement britannique ?", ""},
		{"Comment s'appelle l'ambassadrice du Royaume-Uni en France ?", ""}, // no name given
		{"À quelle date exacte le sommet de Bletchley Park s'est-il ouvert ?", ""},
		// A list of commitments gives jobs for two companies, not for
		// these: each item is about the company that heads it.
		{"How many jobs will Mistral AI create in the UK?", ""},
		{"Combien d'emplois Nscale crée-t-elle ?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := askOffline(t, ex, tt.question)
			checkOneSentenceRefusal(t, a)
			if tt.names != "" && !strings.Contains(a.Text, tt.names) {
				t.Errorf("got %q, want the refusal to name %q", a.Text, tt.names)
			}
		})
	}
}

// Answerable questions asked in other words than the articles': SMS
// French, English paraphrase, casual English, a misspelt name, two
// questions in one.
func TestParaphrasesAreAnswered(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct{ question, want string }{
		{"c koi l'accord ke londres a signé avec openai ??", "partenariat"},
		{"what did the British finance ministry use the chatbot for?", "courriels"},
		{"yo how much did openai raise in march", "40 milliards"},
		{"how much did OpenAI raise in 2025?", "40 milliards"},
		{"who hosts the next summit, and when was the first?", "mercredi"},
		{"Combien valent l'entreprise derrière ChatGPT et le marché britannique de l'IA ?", "92 milliards"},
		{"Starmr a annoncé combien de points dans son plan ?", "50"},
		{"whats the uk plan to boost compute by 2030", "2030"},
		{"which city will get 1,000 AI jobs?", "Liverpool"},
		{"Combien coûte ChatGPT Enterprise pour l'administration américaine ?", "dollar"},
		{"How many jobs is Kyndryl creating?", "1 000"},
		{"Combien Vantage investit-il au Royaume-Uni ?", "12 milliards"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := askOffline(t, ex, tt.question)
			if a.Refused || !strings.Contains(a.Text, tt.want) {
				t.Errorf("got %q, want an answer with %q", a.Text, tt.want)
			}
			checkCitations(t, a)
			checkRelated(t, tt.question, a)
		})
	}
}

// Bad input is answered with citations or declined in one sentence,
// never with a quote unrelated to the question.
func TestBadInput(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct {
		name, question string
		answered       bool
		want           string // in the answer, when answered
	}{
		{"one word", "Bletchley ?", true, "Bletchley"},
		{"only a name", "Peter Kyle", true, "Peter Kyle"},
		{"only an emoji", "🤔", false, ""},
		{"only punctuation", "!!!???", false, ""},
		{"only a filler", "lol", false, ""},
		{"mixed French and English", "What did OpenAI offer aux fonctionnaires américains ?", true, "fonctionnaires"},
		{"all caps", "QUEL PARTENARIAT LE ROYAUME-UNI A-T-IL SIGNÉ AVEC OPENAI ?", true, "partenariat"},
		{"no accents, no punctuation", "quel partenariat le royaume uni a t il signe avec openai", true, "partenariat"},
		{"repeated punctuation", "Combien Kyndryl va-t-il créer d'emplois à Liverpool ???!!!", true, "1 000"},
		{"all caps absent entity", "APPLE INVESTED HOW MUCH IN UK AI??", false, ""},
		{"off topic", "Quelle est la recette du cassoulet ?", false, ""},
		{"prefix look-alike", "Qui est le pape ?", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := askOffline(t, ex, tt.question)
			if !tt.answered {
				checkOneSentenceRefusal(t, a)
				return
			}
			if a.Refused || !strings.Contains(a.Text, tt.want) {
				t.Errorf("got %q, want an answer with %q", a.Text, tt.want)
			}
			checkCitations(t, a)
			checkRelated(t, tt.question, a)
		})
	}
}

// A question about two names that two articles treat apart is answered
// from each article: one quote for each name, each cited to its own
// document, even when one side alone would have made an answer.
func TestCoordinatedNamesAreAnsweredFromEachArticle(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct {
		question string
		want     []string
		docs     []string
	}{
		{"Quels rôles ont Sam Altman et Jean-Noël Barrot ?", []string{"PDG", "ministre délégué"},
			[]string{"000_e36295c6d4f2ae41", "002_aea207a960e5faa7"}},
		{"What jobs do Peter Kyle and Clare Barclay hold?", []string{"secrétaire d’État", "présidente"},
			[]string{"000_e36295c6d4f2ae41", "003_691bfcd5bcfc0655"}},
		{"Quels gains de productivité l'IA apporte-t-elle au Trésor et à l'économie britannique ?", []string{"30 %", "1,5%"},
			[]string{"004_1e9f4132d1c7a7aa", "000_e36295c6d4f2ae41"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := askOffline(t, ex, tt.question)
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("got %q, want %q in it", a.Text, w)
				}
			}
			var docs []string
			for _, s := range a.Sources {
				docs = append(docs, s.DocID)
			}
			for _, d := range tt.docs {
				if !slices.Contains(docs, d) {
					t.Errorf("got sources %v, want %s among them", docs, d)
				}
			}
			checkCitations(t, a)
		})
	}
}
