package answer

import (
	"context"
	"errors"
	"github.com/citebot/citebot/cite"
	"strings"
	"testing"

	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

// testIndex indexes the built-in articles for real: the answerer is tested
// on the text users will query.
func testIndex(t *testing.T) *retrieval.Index {
	t.Helper()
	docs, _, err := corpus.Load(corpus.Default())
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := retrieval.Open(context.Background(), docs, retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// markerNumbers returns the numbers of the citation markers in text, read
// as the answerer reads them: [1, 3] gives 1 and 3. A number too large for
// an int is returned as 0, which names no passage.
func markerNumbers(text string) []int {
	var out []int
	for _, m := range cite.Find(text) {
		out = append(out, m.Nums...)
	}
	return out
}

// checkCitations asserts the invariants every answer must keep: each marker
// names a listed source, each source is cited, and each quote is verbatim
// text of a retrieved passage.
func checkCitations(t *testing.T, a Answer) {
	t.Helper()
	cited := map[int]bool{}
	for _, n := range markerNumbers(a.Text) {
		cited[n] = true
	}
	for i, s := range a.Sources {
		if i > 0 && s.N <= a.Sources[i-1].N {
			t.Errorf("source %d: got N %d after %d, want increasing numbers", i, s.N, a.Sources[i-1].N)
		}
		if !cited[s.N] {
			t.Errorf("source [%d] is listed but not cited in %q", s.N, a.Text)
		}
		if !s.QuoteIn(a.Passages) {
			t.Errorf("source [%d] quote %q is not in passage %s", s.N, s.Quote, s.ChunkID)
		}
		delete(cited, s.N)
	}
	for n := range cited {
		t.Errorf("marker [%d] points to no source", n)
	}
}

func TestExtractiveAnswersWithValidCitations(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct {
		question, lang, wantDoc, wantText string
	}{
		{"Quel avatar a ouvert la soirée à l'ambassade ?", "fr", "003_691bfcd5bcfc0655", "Synthesia"},
		{"Combien le Royaume-Uni prévoit-il d'investir dans ses capacités informatiques ?", "fr", "000_e36295c6d4f2ae41", "milliard"},
		{"Who hosts the next AI Safety Summit after Bletchley Park?", "en", "002_aea207a960e5faa7", "France"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := ex.Answer(context.Background(), tt.question, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a.Refused || len(a.Sources) == 0 {
				t.Fatalf("got a refusal %q, want an answer", a.Text)
			}
			if a.Lang != tt.lang {
				t.Errorf("got lang %q, want %q", a.Lang, tt.lang)
			}
			if a.Sources[0].DocID != tt.wantDoc {
				t.Errorf("got first source %s, want %s", a.Sources[0].DocID, tt.wantDoc)
			}
			if !strings.Contains(a.Text, tt.wantText) {
				t.Errorf("got %q, want it to contain %q", a.Text, tt.wantText)
			}
			checkCitations(t, a)
		})
	}
}

func TestExtractiveDeclinesOffTopicQuestions(t *testing.T) {
	ex := &Extractive{Index: testIndex(t)}
	tests := []struct{ question, want string }{
		{"Quelle est la recette de la tarte Tatin ?", "Je ne trouve pas"},
		{"Who won the football world cup in 1998?", "could not find"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := ex.Answer(context.Background(), tt.question, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Refused || len(a.Sources) != 0 || !strings.Contains(a.Text, tt.want) {
				t.Errorf("got refused=%v sources=%d text %q, want a refusal with no citation", a.Refused, len(a.Sources), a.Text)
			}
			if len(a.Passages) == 0 {
				t.Error("got no passages; the refusal should still report what was retrieved")
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, q string
		want    error
		wantErr bool
	}{
		{"empty", "", ErrEmptyQuestion, true},
		{"blank", " \n\t ", ErrEmptyQuestion, true},
		{"at the limit", strings.Repeat("é", MaxQuestionRunes), nil, false},
		{"over the limit", strings.Repeat("é", MaxQuestionRunes+1), nil, true},
		{"invalid utf-8", "quoi \xff ?", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.q)
			if (err != nil) != tt.wantErr || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("got %v, want error=%v (%v)", err, tt.wantErr, tt.want)
			}
		})
	}
}

func TestAnswerRejectsBadQuestionsBeforeSearching(t *testing.T) {
	ex := &Extractive{Index: failingSearcher{}}
	if _, err := ex.Answer(context.Background(), "", nil, nil); !errors.Is(err, ErrEmptyQuestion) {
		t.Errorf("got %v, want ErrEmptyQuestion", err)
	}
}

type failingSearcher struct{}

func (failingSearcher) Search(context.Context, string, int) ([]retrieval.Result, error) {
	return nil, errors.New("search must not be called")
}
func (failingSearcher) IDF(string) (float64, bool) { return 1, true }
