package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// gapOut is one coverage gap in citebot gaps --json.
type gapOut struct {
	Example   string    `json:"example"`
	Count     int       `json:"count"`
	Declined  int       `json:"declined"`
	Downvotes int       `json:"downvotes"`
	Last      time.Time `json:"last"`
	Wordings  []string  `json:"wordings"`
}

// shownWordings is how many other wordings the text output lists under a gap.
const shownWordings = 3

func runGaps(ctx context.Context, e *env, args []string) error {
	fs := e.storeFlags("")
	days := daysFlag(fs)
	limit := fs.Int("limit", 0, "show the N most asked; 0: all")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	gaps, err := gapsOf(ctx, s, *days, "")
	if err != nil {
		return err
	}
	if *limit > 0 && len(gaps) > *limit {
		gaps = gaps[:*limit]
	}
	if e.jsonOut {
		out := make([]gapOut, len(gaps))
		for i, g := range gaps {
			out[i] = gapOut(g)
		}
		return writeJSON(e.stdout, out)
	}
	if len(gaps) == 0 {
		_, err := fmt.Fprintf(e.stdout, "No declined or downvoted question in the last %d days.\n", *days)
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ASKED\tDECLINED\tDOWNVOTES\tLAST\tQUESTION")
	for _, g := range gaps {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\n", g.Count, g.Declined, g.Downvotes, g.Last.Local().Format("2006-01-02 15:04"), shorten(g.Example, 100))
		if others := g.Wordings[1:]; len(others) > 0 {
			more := ""
			if len(others) > shownWordings {
				more = fmt.Sprintf(" (+%d more)", len(others)-shownWordings)
				others = others[:shownWordings]
			}
			for i, w := range others {
				others[i] = "« " + shorten(w, 60) + " »"
			}
			fmt.Fprintf(tw, "\t\t\t\t  also: %s%s\n", strings.Join(others, ", "), more)
		}
	}
	return tw.Flush()
}
