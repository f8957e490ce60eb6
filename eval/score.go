package eval

import (
	"context"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/answer"
	"github.com/citebot/citebot/retrieval"
)

// CaseResult is how one question fared.
type CaseResult struct {
	ID         string `json:"id"`
	Category   string `json:"category,omitempty"`
	Question   string `json:"question"`
	Answerable bool   `json:"answerable"`
	Refused    bool   `json:"refused"`
	// GateRefused: declined before the answerer ran (answer.Answer's
	// GateRefused); such a question handed no passage to the answerer.
	GateRefused  bool     `json:"gate_refused"`
	Rank         int      `json:"rank"` // of the first passage from an expected document; 0 if none
	FactsFound   bool     `json:"facts_found"`
	MissingFacts []string `json:"missing_facts,omitempty"`
	// Facts is the number of expected facts; ContextFacts how many of them
	// the passages handed to the answerer hold.
	Facts        int    `json:"facts"`
	ContextFacts int    `json:"context_facts"`
	Citations    int    `json:"citations"`
	ValidCites   int    `json:"valid_citations"`
	OnTopicCites int    `json:"on_topic_citations"`
	Answer       string `json:"answer"`
	Error        string `json:"error,omitempty"`
}

// Run answers every case and computes the metrics. An error answering one
// question is recorded against it (and counts as a failure) rather than
// stopping the run.
// Each question is asked on its own, with no history: the eval sees what a
// user asking it first would.
func Run(ctx context.Context, mode string, cases []Case, ask answer.Pipeline) (Report, error) {
	r := Report{Mode: mode}
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		a, err := ask(ctx, c.Question, nil, nil)
		cr := score(c, a)
		if err != nil {
			cr.Error, cr.FactsFound = err.Error(), false
		}
		r.Results = append(r.Results, cr)
	}
	r.aggregate()
	return r, nil
}

func score(c Case, a answer.Answer) CaseResult {
	cr := CaseResult{ID: c.ID, Category: c.Category, Question: c.Question, Answerable: c.Answerable,
		Refused: a.Refused, GateRefused: a.Refused && a.GateRefused, Answer: a.Text}
	for i, p := range a.Passages {
		if slices.Contains(c.ExpectDocs, p.Doc.ID) {
			cr.Rank = i + 1
			break
		}
	}
	cr.MissingFacts = missingFacts(c.ExpectFacts, a.Text)
	cr.FactsFound = !a.Refused && len(cr.MissingFacts) == 0
	cr.Facts = len(c.ExpectFacts)
	if !cr.GateRefused {
		cr.ContextFacts = cr.Facts - len(missingFacts(c.ExpectFacts, passagesText(a.Passages)))
	}
	cr.Citations = len(a.Sources)
	for _, s := range a.Sources {
		if s.QuoteIn(a.Passages) {
			cr.ValidCites++
		}
		if slices.Contains(c.ExpectDocs, s.DocID) {
			cr.OnTopicCites++
		}
	}
	return cr
}

// passagesText joins the passages an answerer was handed, for the context
// recall: a fact counts as given when it is in one of them.
func passagesText(ps []retrieval.Result) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Chunk.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// missingFacts returns the expected facts absent from text. Each fact is
// a set of alternatives separated by "|"; matching ignores case and accents.
func missingFacts(facts []string, text string) []string {
	folded := analysis.Fold(text)
	var missing []string
	for _, f := range facts {
		found := false
		for _, alt := range strings.Split(f, "|") {
			if alt = analysis.Fold(strings.TrimSpace(alt)); alt != "" && strings.Contains(folded, alt) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, f)
		}
	}
	return missing
}
