package eval

import (
	"context"
	"slices"
	"strings"

	"github.com/citebot/citebot/analysis"
	"github.com/citebot/citebot/answer"
)

// Report holds the eval metrics of the contract (docs/ARCHITECTURE.md;
// fractions in [0,1]) and the per-question results behind them.
type Report struct {
	Mode              string       `json:"mode"`
	Questions         int          `json:"questions"`
	HitAt1            float64      `json:"hit_at_1"`
	HitAt5            float64      `json:"hit_at_5"`
	MRR               float64      `json:"mrr"`
	FactRecall        float64      `json:"fact_recall"`
	CitationPrecision float64      `json:"citation_precision"`
	CitationValidity  float64      `json:"citation_validity"`
	RefusalAccuracy   float64      `json:"refusal_accuracy"`
	FalseRefusals     float64      `json:"false_refusals"`
	Results           []CaseResult `json:"results"`
}

// CaseResult is how one question fared.
type CaseResult struct {
	ID           string   `json:"id"`
	Question     string   `json:"question"`
	Answerable   bool     `json:"answerable"`
	Refused      bool     `json:"refused"`
	Rank         int      `json:"rank"` // of the first passage from an expected document; 0 if none
	FactsFound   bool     `json:"facts_found"`
	MissingFacts []string `json:"missing_facts,omitempty"`
	Citations    int      `json:"citations"`
	ValidCites   int      `json:"valid_citations"`
	OnTopicCites int      `json:"on_topic_citations"`
	Answer       string   `json:"answer"`
	Error        string   `json:"error,omitempty"`
}

// Run answers every case and computes the metrics. An error answering one
// question is recorded against it (and counts as a failure) rather than
// stopping the run.
// Each question is asked on its own, with no history: the eval sees what a
// user asking it first would.
func Run(ctx context.Context, mode string, cases []Case, ask answer.Pipeline) (Report, error) {
	r := Report{Mode: mode, Questions: len(cases)}
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
	cr := CaseResult{ID: c.ID, Question: c.Question, Answerable: c.Answerable, Refused: a.Refused, Answer: a.Text}
	for i, p := range a.Passages {
		if slices.Contains(c.ExpectDocs, p.Doc.ID) {
			cr.Rank = i + 1
			break
		}
	}
	cr.MissingFacts = missingFacts(c.ExpectFacts, a.Text)
	cr.FactsFound = !a.Refused && len(cr.MissingFacts) == 0
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

func (r *Report) aggregate() {
	var answerable, unanswerable, hit1, hit5, facts, refusedOK, falseRefusals int
	var rr float64
	var cites, valid, answerableCites, onTopic int
	for _, cr := range r.Results {
		cites += cr.Citations
		valid += cr.ValidCites
		if !cr.Answerable {
			unanswerable++
			if cr.Refused && cr.Citations == 0 {
				refusedOK++
			}
			continue
		}
		answerable++
		answerableCites += cr.Citations
		onTopic += cr.OnTopicCites
		if cr.Rank == 1 {
			hit1++
		}
		if cr.Rank >= 1 && cr.Rank <= 5 {
			hit5++
		}
		if cr.Rank > 0 {
			rr += 1 / float64(cr.Rank)
		}
		if cr.FactsFound {
			facts++
		}
		if cr.Refused {
			falseRefusals++
		}
	}
	r.HitAt1 = frac(hit1, answerable)
	r.HitAt5 = frac(hit5, answerable)
	r.MRR = ratio(rr, answerable)
	r.FactRecall = frac(facts, answerable)
	r.FalseRefusals = frac(falseRefusals, answerable)
	r.CitationPrecision = fracOr1(onTopic, answerableCites)
	r.CitationValidity = fracOr1(valid, cites)
	r.RefusalAccuracy = fracOr1(refusedOK, unanswerable)
}

func frac(n, d int) float64 { return ratio(float64(n), d) }

func ratio(n float64, d int) float64 {
	if d == 0 {
		return 0
	}
	return n / float64(d)
}

// fracOr1 is n/d, or 1 when there is nothing to get wrong (no citations,
// no unanswerable question).
func fracOr1(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}
