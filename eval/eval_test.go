package eval

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/corpus"
	"github.com/citebot/citebot/retrieval"
)

func TestReadNamesTheBadLine(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"broken json", `{"id":"a","question":"q","answerable":false}` + "\n\n" + `{"id":"b",`, "line 3"},
		{"unknown field", `{"id":"a","question":"q","answerable":false,"expect":1}`, "line 1"},
		{"no question", `{"id":"a","answerable":false}`, "line 1"},
		{"answerable without docs", `{"id":"a","question":"q","answerable":true}`, "line 1"},
		{"empty file", "\n\n", "no questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
	cases, err := Read(strings.NewReader(`{"id":"a","lang":"fr","question":"q","answerable":true,"expect_docs":["d"],"expect_facts":["x|y"]}`))
	if err != nil || len(cases) != 1 || cases[0].ExpectFacts[0] != "x|y" {
		t.Errorf("got %+v, %v; want one parsed case", cases, err)
	}
}

func passage(doc, text string) retrieval.Result {
	return retrieval.Result{Chunk: corpus.Chunk{ID: doc + "#0", DocID: doc, Text: text}, Doc: retrieval.DocInfo{ID: doc}}
}

func TestRunComputesMetrics(t *testing.T) {
	cases := []Case{
		{ID: "1", Question: "q1", Answerable: true, ExpectDocs: []string{"a"}, ExpectFacts: []string{"Économie|economy"}, Category: "c1"},
		{ID: "2", Question: "q2", Answerable: true, ExpectDocs: []string{"b"}, ExpectFacts: []string{"40", "absent"}, Category: "c1"},
		{ID: "3", Question: "q3", Answerable: true, ExpectDocs: []string{"c"}, ExpectFacts: []string{"x"}},
		{ID: "4", Question: "q4", Answerable: false, Category: "c2"},
		{ID: "5", Question: "q5", Answerable: false, Category: "c2"},
	}
	pa, pb := passage("a", "L'economie du pays."), passage("b", "Quarante: 40 milliards.")
	answers := map[string]answer.Answer{
		// Expected doc first, fact found modulo accents, one valid citation.
		"q1": {Text: "L'economie du pays. [1]", Passages: []retrieval.Result{pa, pb},
			Sources: []answer.Source{{N: 1, ChunkID: "a#0", DocID: "a", Quote: "L'economie du pays."}}},
		// Expected doc second, fact found, one valid off-topic citation and one invalid one.
		"q2": {Text: "40 milliards [1] [2]", Passages: []retrieval.Result{pa, pb},
			Sources: []answer.Source{{N: 1, ChunkID: "b#0", DocID: "b", Quote: "40 milliards."}, {N: 2, ChunkID: "a#0", DocID: "a", Quote: "not there"}}},
		// Refused by the gate although answerable; expected doc never
		// retrieved. Its passages were not handed to the answerer, so the
		// "x" they hold is not in context.
		"q3": {Refused: true, GateRefused: true, Text: "no", Passages: []retrieval.Result{passage("a", "x")}},
		"q4": {Refused: true, GateRefused: true, Text: "no"},
		// Answers an unanswerable question.
		"q5": {Text: "oops [1]", Passages: []retrieval.Result{pa}, Sources: []answer.Source{{N: 1, ChunkID: "a#0", DocID: "a", Quote: "L'economie"}}},
	}
	ask := func(_ context.Context, q string, _ []answer.Turn, _ func(string)) (answer.Answer, error) {
		return answers[q], nil
	}
	r, err := Run(context.Background(), "offline", cases, ask)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{
		"hit_at_1":           {r.HitAt1, 1.0 / 3},
		"hit_at_5":           {r.HitAt5, 2.0 / 3},
		"mrr":                {r.MRR, (1 + 0.5) / 3},
		"fact_recall":        {r.FactRecall, 1.0 / 3},
		"citation_precision": {r.CitationPrecision, 2.0 / 3},
		"citation_validity":  {r.CitationValidity, 3.0 / 4},
		"refusal_accuracy":   {r.RefusalAccuracy, 0.5},
		"false_refusals":     {r.FalseRefusals, 1.0 / 3},
		// Facts: q1 1 of 1 in context, q2 1 of 2, q3 0 of 1 (gated).
		"context_recall":      {r.ContextRecall, 2.0 / 4},
		"gate_refusals":       {r.GateRefusals, 2.0 / 5},
		"gate_false_refusals": {r.GateFalseRefusals, 1.0 / 3},
		"c1 fact_recall":      {r.Categories["c1"].FactRecall, 1.0 / 2},
		"c1 context_recall":   {r.Categories["c1"].ContextRecall, 2.0 / 3},
		"c2 refusal_accuracy": {r.Categories["c2"].RefusalAccuracy, 1.0 / 2},
		"c2 gate_refusals":    {r.Categories["c2"].GateRefusals, 1.0 / 2},
	}
	for name, v := range want {
		if math.Abs(v[0]-v[1]) > 1e-9 {
			t.Errorf("%s: got %.4f, want %.4f", name, v[0], v[1])
		}
	}
	if r.Questions != 5 || r.Mode != "offline" {
		t.Errorf("got %d questions in mode %q, want 5 offline", r.Questions, r.Mode)
	}
	// Uncategorised questions count in the totals only.
	if got := r.CategoryNames(); !slices.Equal(got, []string{"c1", "c2"}) || r.Categories["c1"].Questions != 2 {
		t.Errorf("got categories %v, want c1 (2 questions) and c2", got)
	}
}

func TestRunRecordsErrors(t *testing.T) {
	cases := []Case{{ID: "1", Question: "q", Answerable: true, ExpectDocs: []string{"a"}}}
	ask := func(context.Context, string, []answer.Turn, func(string)) (answer.Answer, error) {
		return answer.Answer{}, errors.New("boom")
	}
	r, err := Run(context.Background(), "offline", cases, ask)
	if err != nil {
		t.Fatal(err)
	}
	if r.Results[0].Error != "boom" || r.FactRecall != 0 {
		t.Errorf("got %+v, want the error recorded and the question failed", r.Results[0])
	}
}
