package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/citebot/citebot/eval"
)

// thresholds collects repeated --require flags: METRIC=VALUE is a floor
// (the metric must be at least VALUE), METRIC<=VALUE a ceiling, for the
// metrics where less is better (false_refusals, gate_false_refusals).
type thresholds map[string]bar

type bar struct {
	value   float64
	ceiling bool
}

func (t thresholds) String() string { return fmt.Sprint(map[string]bar(t)) }

func (t thresholds) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want METRIC=VALUE or METRIC<=VALUE, got %q", s)
	}
	b := bar{}
	if n, found := strings.CutSuffix(name, "<"); found {
		name, b.ceiling = n, true
	} else {
		name = strings.TrimSuffix(name, ">")
	}
	if _, known := metricValues(eval.Report{})[name]; !known {
		return fmt.Errorf("unknown metric %q", name)
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return fmt.Errorf("metric %s: %w", name, err)
	}
	b.value = v
	t[name] = b
	return nil
}

func metricValues(r eval.Report) map[string]float64 {
	return map[string]float64{
		"hit_at_1": r.HitAt1, "hit_at_5": r.HitAt5, "mrr": r.MRR, "fact_recall": r.FactRecall,
		"citation_precision": r.CitationPrecision, "citation_validity": r.CitationValidity,
		"refusal_accuracy": r.RefusalAccuracy, "false_refusals": r.FalseRefusals,
		"context_recall": r.ContextRecall, "gate_refusals": r.GateRefusals, "gate_false_refusals": r.GateFalseRefusals,
	}
}

func runEval(ctx context.Context, e *env, args []string) error {
	fs := e.flags("FILE.jsonl")
	req := thresholds{}
	minCov := minCoverageFlag(fs)
	fs.Var(req, "require", "fail (exit 1) when METRIC=VALUE (at least) or METRIC<=VALUE (at most) is not met; repeatable, e.g. -require hit_at_5=0.9")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return usagef("eval takes one evaluation file")
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return fmt.Errorf("evaluation file: %w", err)
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		return fmt.Errorf("evaluation file %s: %w", rest[0], err)
	}
	ix, _, err := e.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	ask, mode, err := e.answerer(ix, 0, *minCov)
	if err != nil {
		return err
	}
	report, err := eval.Run(ctx, mode, cases, ask)
	if err != nil {
		return err
	}
	if e.jsonOut {
		err = writeJSON(e.stdout, report)
	} else {
		err = writeReport(e.stdout, report)
	}
	if err != nil {
		return err
	}
	return checkThresholds(report, req)
}

func checkThresholds(r eval.Report, req thresholds) error {
	values := metricValues(r)
	var failed []string
	for name, b := range req {
		switch v := values[name]; {
		case b.ceiling && v > b.value:
			failed = append(failed, fmt.Sprintf("%s %.3f > %.3f", name, v, b.value))
		case !b.ceiling && v < b.value:
			failed = append(failed, fmt.Sprintf("%s %.3f < %.3f", name, v, b.value))
		}
	}
	if len(failed) > 0 {
		slices.Sort(failed)
		return fmt.Errorf("evaluation below the required bar: %s", strings.Join(failed, ", "))
	}
	return nil
}

func writeReport(w io.Writer, r eval.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRANK\tFACTS\tREFUSED\tCITES\tVALID\tQUESTION")
	for _, c := range r.Results {
		facts := "ok"
		switch {
		case !c.Answerable:
			facts = "-"
		case !c.FactsFound:
			facts = "MISS"
		}
		refused := map[bool]string{true: "yes", false: "no"}[c.Refused]
		if c.GateRefused {
			refused = "gate"
		}
		if c.Answerable == c.Refused {
			refused = strings.ToUpper(refused)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%s\n", c.ID, c.Rank, facts, refused, c.Citations, c.ValidCites, shorten(c.Question, 60))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nmode %s, %d questions\n", r.Mode, r.Questions)
	writeMetrics(w, r.Metrics)
	if len(r.Categories) == 0 {
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\nCATEGORY\tN\tFACTS\tCONTEXT\tREFUSAL_ACC\tFALSE_REF\tGATE\tGATE_FALSE\tCITE_PREC\t")
	for _, name := range r.CategoryNames() {
		m := r.Categories[name]
		ans, unans := m.Answerable > 0, m.Answerable < m.Questions
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%.3f\t%s\t%s\t\n", name, m.Questions, num(m.FactRecall, ans),
			num(m.ContextRecall, ans), num(m.RefusalAccuracy, unans), num(m.FalseRefusals, ans), m.GateRefusals,
			num(m.GateFalseRefusals, ans), num(m.CitationPrecision, ans))
	}
	return tw.Flush()
}

// writeMetrics prints the totals, three lines of name value pairs.
func writeMetrics(w io.Writer, m eval.Metrics) {
	fmt.Fprintf(w, "hit@1 %.3f  hit@5 %.3f  mrr %.3f  fact_recall %.3f  context_recall %.3f\n",
		m.HitAt1, m.HitAt5, m.MRR, m.FactRecall, m.ContextRecall)
	fmt.Fprintf(w, "citation_precision %.3f  citation_validity %.3f  refusal_accuracy %.3f  false_refusals %.3f\n",
		m.CitationPrecision, m.CitationValidity, m.RefusalAccuracy, m.FalseRefusals)
	fmt.Fprintf(w, "gate_refusals %.3f  gate_false_refusals %.3f\n", m.GateRefusals, m.GateFalseRefusals)
}

// num prints a metric, or "-" when it has nothing to measure.
func num(v float64, measured bool) string {
	if !measured {
		return "-"
	}
	return fmt.Sprintf("%.3f", v)
}
