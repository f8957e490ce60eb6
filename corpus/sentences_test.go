package corpus

import (
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"only spaces", "  \n \n\t", nil},
		{"no final punctuation", "Pas de point final", []string{"Pas de point final"}},
		{"trimmed", "  Bonjour.  \n\n  Au revoir.  ", []string{"Bonjour.", "Au revoir."}},
		{"decimal comma and percent", "La productivité croît de 1,5 % par an. Le reste suit.",
			[]string{"La productivité croît de 1,5 % par an.", "Le reste suit."}},
		{"decimal point", "Le taux passe à 2.5 en 2023. Ensuite il baisse.",
			[]string{"Le taux passe à 2.5 en 2023.", "Ensuite il baisse."}},
		{"percent before period", "Elle gagne 30 %. Cependant, les syndicats doutent.",
			[]string{"Elle gagne 30 %.", "Cependant, les syndicats doutent."}},
		{"digit starts a sentence", "Les ventes ont progressé. 2024 sera meilleure.",
			[]string{"Les ventes ont progressé.", "2024 sera meilleure."}},
		{"French titles", "M. Dupont et Mme Durand sont venus avec Mlle Roy. Ils sont repartis.",
			[]string{"M. Dupont et Mme Durand sont venus avec Mlle Roy.", "Ils sont repartis."}},
		{"Dr and St", "Le Dr. Martin visite St. Malo avec MM. Roux. Fin.",
			[]string{"Le Dr. Martin visite St. Malo avec MM. Roux.", "Fin."}},
		{"etc ex cf p", "Des pommes, etc. Voir p. 12 (ex. Annexe) et cf. Tableau 3. Fin.",
			[]string{"Des pommes, etc. Voir p. 12 (ex. Annexe) et cf. Tableau 3.", "Fin."}},
		{"numero and av. J.-C.", "Le décret n°. 12 date de 50 av. J.-C. Selon Pline, rien. Fin.",
			[]string{"Le décret n°. 12 date de 50 av. J.-C. Selon Pline, rien.", "Fin."}},
		{"English abbreviations", "Mr. Smith and Mrs. Jones met Ms. Lee in the U.S. Army vs. Navy game, e.g. Football, i.e. Sport. Then they left.",
			[]string{"Mr. Smith and Mrs. Jones met Ms. Lee in the U.S. Army vs. Navy game, e.g. Football, i.e. Sport.", "Then they left."}},
		{"initials", "J. K. Rowling a écrit sept tomes. Elle vit à Édimbourg.",
			[]string{"J. K. Rowling a écrit sept tomes.", "Elle vit à Édimbourg."}},
		{"acronym before period", "Londres mise sur l’IA. Les syndicats hésitent.",
			[]string{"Londres mise sur l’IA.", "Les syndicats hésitent."}},
		{"closing guillemet after space", "Il a dit : « C’est fini. » Puis il est parti.",
			[]string{"Il a dit : « C’est fini. »", "Puis il est parti."}},
		{"opening guillemet starts", "Il sourit. « Bonjour », dit-il.",
			[]string{"Il sourit.", "« Bonjour », dit-il."}},
		{"question inside quote then comma", "« Vraiment ? », a-t-il demandé. Oui.",
			[]string{"« Vraiment ? », a-t-il demandé.", "Oui."}},
		{"space before question mark", "Et si l’IA aidait les gouvernements ? Une entreprise le pense.",
			[]string{"Et si l’IA aidait les gouvernements ?", "Une entreprise le pense."}},
		{"narrow no-break space before question mark", "Pourquoi\u202f? Parce que.",
			[]string{"Pourquoi\u202f?", "Parce que."}},
		{"space before exclamation", "Quelle surprise ! Tout le monde applaudit.",
			[]string{"Quelle surprise !", "Tout le monde applaudit."}},
		{"colon and semicolon do not end", "Le but : servir ; Le reste suit.", []string{"Le but : servir ; Le reste suit."}},
		{"ellipsis then lowercase", "Il hésita… puis il partit. Fin.", []string{"Il hésita… puis il partit.", "Fin."}},
		{"ellipsis then capital", "Il attendit... Rien ne vint.", []string{"Il attendit...", "Rien ne vint."}},
		{"elision inside a quote", "« Nous devons agir. [...] ce sommet est essentiel », dit-il.",
			[]string{"« Nous devons agir. [...] ce sommet est essentiel », dit-il."}},
		{"elision then capital", "« Fin du débat. […] La suite viendra. »",
			[]string{"« Fin du débat.", "[…] La suite viendra. »"}},
		{"elision in parentheses", "Il a parlé (...) Puis rien.", []string{"Il a parlé (...) Puis rien."}},
		{"closing parenthesis", "Il est venu (enfin.) Puis il est reparti.",
			[]string{"Il est venu (enfin.)", "Puis il est reparti."}},
		{"straight quotes", `Il a dit "stop." Puis "Viens" fut crié.`,
			[]string{`Il a dit "stop."`, `Puis "Viens" fut crié.`}},
		{"opening straight quote", `Fin. "Début" ici.`, []string{"Fin.", `"Début" ici.`}},
		{"dash starts", "Il dit non. - Si, répondit-elle.", []string{"Il dit non.", "- Si, répondit-elle."}},
		{"lowercase after period", "Voir example.com. la suite continue.", []string{"Voir example.com. la suite continue."}},
		{"headings and bullets", "Titre de section\n- premier point\n- second point.\nTexte. Suite.",
			[]string{"Titre de section", "- premier point", "- second point.", "Texte.", "Suite."}},
		{"numbered list", "1. Premier point\n2. Second point", []string{"1. Premier point", "2. Second point"}},
		{"table rows", "Année | Valeur |\n2025 | 40 milliards $ |", []string{"Année | Valeur |", "2025 | 40 milliards $ |"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := SplitSentences(tt.text)
			checkSentences(t, tt.text, sents)
			var got []string
			for _, s := range sents {
				got = append(got, s.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitSentences(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestSplitSentencesArticles(t *testing.T) {
	for _, d := range loadDefault(t) {
		t.Run(d.ID, func(t *testing.T) {
			checkSentences(t, d.Text, SplitSentences(d.Text))
		})
	}
}

// checkSentences verifies the contract of SplitSentences: each Text is
// src[Start:End], trimmed and not empty, in order, and every non-space
// character of src is in exactly one sentence.
func checkSentences(t *testing.T, src string, sents []Sentence) {
	t.Helper()
	prev := 0
	for i, s := range sents {
		if s.Start < prev || s.End <= s.Start || s.End > len(src) {
			t.Fatalf("sentence %d: got offsets [%d:%d] after %d, want increasing within %d bytes", i, s.Start, s.End, prev, len(src))
		}
		if got := src[s.Start:s.End]; got != s.Text {
			t.Errorf("sentence %d: got src[Start:End] %q, want Text %q", i, got, s.Text)
		}
		if trimmed := strings.TrimSpace(s.Text); trimmed != s.Text {
			t.Errorf("sentence %d: got %q, want it trimmed", i, s.Text)
		}
		if gap := src[prev:s.Start]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			t.Errorf("sentence %d: got %q left out before it, want only spaces", i, gap)
		}
		prev = s.End
	}
	if rest := src[prev:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
		t.Errorf("got %q left out at the end, want only spaces", rest)
	}
}
