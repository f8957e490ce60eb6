package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/citebot/citebot/eval"
)

// thresholds collects repeated --require metric=value flags.
type thresholds map[string]float64

func (t thresholds) String() string { return fmt.Sprint(map[string]float64(t)) }

func (t thresholds) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want METRIC=VALUE, got %q", s)
	}
	if _, known := metricValues(eval.Report{})[name]; !known {
		return fmt.Errorf("unknown metric %q", name)
	}
	v, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return fmt.Errorf("metric %s: %w", name, err)
	}
	t[name] = v
	return nil
}

func metricValues(r eval.Report) map[string]float64 {
	return map[string]float64{
		"hit_at_1": r.HitAt1, "hit_at_5": r.HitAt5, "mrr": r.MRR, "fact_recall": r.FactRecall,
		"citation_precision": r.CitationPrecision, "citation_validity": r.CitationValidity,
		"refusal_accuracy": r.RefusalAccuracy,
	}
}

func runEval(ctx context.Context, e *env, args []string) error {
	fs := e.flags("FILE.jsonl")
	req := thresholds{}
	minCov := minCoverageFlag(fs)
	fs.Var(req, "require", "fail (exit 1) when METRIC=VALUE is not met; repeatable, e.g. -require hit_at_5=0.9")
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
	for name, min := range req {
		if values[name] < min {
			failed = append(failed, fmt.Sprintf("%s %.3f < %.3f", name, values[name], min))
		}
	}
	if len(failed) > 0 {
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
		if c.Answerable == c.Refused {
			refused = strings.ToUpper(refused)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%s\n", c.ID, c.Rank, facts, refused, c.Citations, c.ValidCites, shorten(c.Question, 60))
	}
	tw.Flush()
	_, err := fmt.Fprintf(w, "\nmode %s, %d questions\nhit@1 %.3f  hit@5 %.3f  mrr %.3f  fact_recall %.3f\ncitation_precision %.3f  citation_validity %.3f  refusal_accuracy %.3f  false_refusals %.3f\n",
		r.Mode, r.Questions, r.HitAt1, r.HitAt5, r.MRR, r.FactRecall, r.CitationPrecision, r.CitationValidity, r.RefusalAccuracy, r.FalseRefusals)
	return err
}
