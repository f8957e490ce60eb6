package eval

import "slices"

// Metrics are the eval metrics of the contract (DESIGN.md; fractions in
// [0,1]) over a set of questions. The denominators are in the comments.
type Metrics struct {
	// Questions is the number of questions.
	Questions int `json:"questions"`
	// Answerable is how many of them the corpus can answer.
	Answerable int `json:"answerable"`
	// HitAt1, HitAt5, MRR: over answerable questions.
	HitAt1 float64 `json:"hit_at_1"`
	HitAt5 float64 `json:"hit_at_5"`
	MRR    float64 `json:"mrr"`
	// FactRecall: answerable questions whose answer holds every expected
	// fact, over answerable questions.
	FactRecall float64 `json:"fact_recall"`
	// CitationPrecision: citations from an expected document, over all
	// citations on answerable questions (1 when there are none).
	CitationPrecision float64 `json:"citation_precision"`
	// CitationValidity: citations whose quote is in a passage given to the
	// answerer, over all citations (1 when there are none).
	CitationValidity float64 `json:"citation_validity"`
	// RefusalAccuracy: unanswerable questions declined with no citation,
	// over unanswerable questions (1 when there are none).
	RefusalAccuracy float64 `json:"refusal_accuracy"`
	// FalseRefusals: answerable questions declined, over answerable
	// questions.
	FalseRefusals float64 `json:"false_refusals"`
	// ContextRecall: expected facts found in the passages handed to the
	// answerer, over all expected facts of answerable questions. A question
	// the gate declined handed none, so its facts count as missing: the
	// metric says whether the answerer could have answered.
	ContextRecall float64 `json:"context_recall"`
	// GateRefusals: questions declined before the answerer ran, over all
	// questions.
	GateRefusals float64 `json:"gate_refusals"`
	// GateFalseRefusals: answerable questions declined before the answerer
	// ran, over answerable questions.
	GateFalseRefusals float64 `json:"gate_false_refusals"`
}

// Report holds the metrics of a run, the same metrics for each category
// when the eval lines carry one, and the per-question results behind them.
type Report struct {
	Mode string `json:"mode"`
	Metrics
	Categories map[string]Metrics `json:"categories,omitempty"`
	Results    []CaseResult       `json:"results"`
}

func (r *Report) aggregate() {
	r.Metrics = measure(r.Results)
	byCat := map[string][]CaseResult{}
	for _, cr := range r.Results {
		if cr.Category != "" {
			byCat[cr.Category] = append(byCat[cr.Category], cr)
		}
	}
	if len(byCat) == 0 {
		return
	}
	r.Categories = map[string]Metrics{}
	for cat, rs := range byCat {
		r.Categories[cat] = measure(rs)
	}
}

// CategoryNames lists the report's categories in order.
func (r Report) CategoryNames() []string {
	var out []string
	for c := range r.Categories {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// counts are the numerators and denominators behind Metrics.
type counts struct {
	answerable, unanswerable, hit1, hit5, facts, refusedOK, falseRefusals int
	gate, gateAnswerable, expected, inContext                             int
	cites, valid, answerableCites, onTopic                                int
	rr                                                                    float64
}

func measure(results []CaseResult) Metrics {
	var n counts
	for _, cr := range results {
		n.add(cr)
	}
	return Metrics{
		Questions:         len(results),
		Answerable:        n.answerable,
		HitAt1:            frac(n.hit1, n.answerable),
		HitAt5:            frac(n.hit5, n.answerable),
		MRR:               ratio(n.rr, n.answerable),
		FactRecall:        frac(n.facts, n.answerable),
		FalseRefusals:     frac(n.falseRefusals, n.answerable),
		CitationPrecision: fracOr1(n.onTopic, n.answerableCites),
		CitationValidity:  fracOr1(n.valid, n.cites),
		RefusalAccuracy:   fracOr1(n.refusedOK, n.unanswerable),
		ContextRecall:     frac(n.inContext, n.expected),
		GateRefusals:      frac(n.gate, len(results)),
		GateFalseRefusals: frac(n.gateAnswerable, n.answerable),
	}
}

func (n *counts) add(cr CaseResult) {
	n.cites += cr.Citations
	n.valid += cr.ValidCites
	if cr.GateRefused {
		n.gate++
	}
	if !cr.Answerable {
		n.unanswerable++
		if cr.Refused && cr.Citations == 0 {
			n.refusedOK++
		}
		return
	}
	n.answerable++
	n.answerableCites += cr.Citations
	n.onTopic += cr.OnTopicCites
	n.expected += cr.Facts
	n.inContext += cr.ContextFacts
	if cr.Rank == 1 {
		n.hit1++
	}
	if cr.Rank >= 1 && cr.Rank <= 5 {
		n.hit5++
	}
	if cr.Rank > 0 {
		n.rr += 1 / float64(cr.Rank)
	}
	if cr.FactsFound {
		n.facts++
	}
	if cr.Refused {
		n.falseRefusals++
	}
	if cr.GateRefused {
		n.gateAnswerable++
	}
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
