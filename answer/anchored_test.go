package answer

import (
	"strings"
	"testing"
)

// A sentence that holds the question's names and its asked noun answers
// a paraphrase whose other words the articles say otherwise.
func TestAnchoredParaphrasesAreAnswered(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct{ question, want string }{
		{"Which authority had scrutinised the link between OpenAI and Microsoft?", "concurrence"},
		{"Quel organisme s'était penché sur les liens entre Microsoft et OpenAI ?", "concurrence"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := askOffline(t, ex, tt.question)
			if a.Refused || !strings.Contains(a.Text, tt.want) {
				t.Errorf("got %q, want an answer with %q", a.Text, tt.want)
			}
			checkCitations(t, a)
		})
	}
}
