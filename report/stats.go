package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/citebot/citebot/store"
)

// Stats are the usage figures of a period of whole days.
type Stats struct {
	From time.Time `json:"from"` // start of the first day
	To   time.Time `json:"to"`   // the end of the period (now)
	Days []Day     `json:"days"` // one per day, oldest first, empty days included

	Questions     int `json:"questions"`
	Answered      int `json:"answered"`
	DeclinedGate  int `json:"declined_gate"`
	DeclinedModel int `json:"declined_model"`
	Failed        int `json:"failed"`
	Up            int `json:"up"`
	Down          int `json:"down"`
	Tokens        int `json:"tokens"`

	// Answer time (Stages["total"]) of the questions that have one,
	// nearest-rank percentiles.
	Timed      int           `json:"timed"`
	MedianTime time.Duration `json:"median_time_ns"`
	P95Time    time.Duration `json:"p95_time_ns"`

	TopDocs []DocCount `json:"top_docs"` // most cited, at most TopDocs
}

// Day is one day's questions by outcome.
type Day struct {
	Date          string `json:"date"` // YYYY-MM-DD in the period's time zone
	Answered      int    `json:"answered"`
	DeclinedGate  int    `json:"declined_gate"`
	DeclinedModel int    `json:"declined_model"`
	Failed        int    `json:"failed"`
}

// Total is the day's questions.
func (d Day) Total() int { return d.Answered + d.DeclinedGate + d.DeclinedModel + d.Failed }

// DocCount is how many answers cited one document.
type DocCount struct {
	Doc   string `json:"doc"`
	Count int    `json:"count"`
}

// TopDocs is how many of the most cited documents Stats keeps.
const TopDocs = 10

// Share is part over whole, 0 for an empty whole.
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// ComputeStats sums the records of the last days days up to now (today
// included, in now's time zone); records outside are ignored, so the
// caller may pass more.
func ComputeStats(qs []store.Question, votes []store.Vote, days int, now time.Time) Stats {
	days = max(days, 1)
	y, m, d := now.Date()
	from := PeriodStart(days, now)
	st := Stats{From: from, To: now, Days: make([]Day, days)}
	for i := range st.Days {
		st.Days[i].Date = time.Date(y, m, d-days+1+i, 0, 0, 0, 0, now.Location()).Format(time.DateOnly)
	}
	cited := map[string]int{}
	var times []time.Duration
	for _, q := range qs {
		i := dayIndex(from, q.Time.In(now.Location()), days)
		if i < 0 || q.Time.After(now) {
			continue
		}
		st.Questions++
		st.Tokens += q.Tokens
		count(&st.Days[i], &st, q.Outcome)
		if t := q.Stages["total"]; t > 0 {
			times = append(times, t)
		}
		seen := map[string]bool{}
		for _, doc := range q.Cited {
			if !seen[doc] {
				seen[doc] = true
				cited[doc]++
			}
		}
	}
	for _, v := range votes {
		if v.Time.Before(from) || v.Time.After(now) {
			continue
		}
		switch v.Vote {
		case "up":
			st.Up++
		case "down":
			st.Down++
		}
	}
	slices.Sort(times)
	st.Timed = len(times)
	st.MedianTime, st.P95Time = percentile(times, 50), percentile(times, 95)
	st.TopDocs = topDocs(cited, TopDocs)
	return st
}

// PeriodStart is the start of the period of the last days days up to
// now, today included: midnight days-1 days before now, in now's zone.
func PeriodStart(days int, now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d-max(days, 1)+1, 0, 0, 0, 0, now.Location())
}

// dayIndex is the day of t in the period starting at from, or -1.
func dayIndex(from, t time.Time, days int) int {
	if t.Before(from) {
		return -1
	}
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, from.Location())
	i := int(day.Sub(from).Hours()/24 + 0.5) // a DST day is 23 or 25 hours
	if i >= days {
		return -1
	}
	return i
}

func count(day *Day, st *Stats, o store.Outcome) {
	switch o {
	case store.Answered:
		day.Answered++
		st.Answered++
	case store.DeclinedGate:
		day.DeclinedGate++
		st.DeclinedGate++
	case store.DeclinedModel:
		day.DeclinedModel++
		st.DeclinedModel++
	default: // failed, or an outcome this version does not know
		day.Failed++
		st.Failed++
	}
}

// percentile is the nearest-rank p-th percentile of sorted, 0 if empty.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(rank, 1)-1]
}

// topDocs is the n most cited documents, most first, then by ID.
func topDocs(cited map[string]int, n int) []DocCount {
	out := make([]DocCount, 0, len(cited))
	for doc, c := range cited {
		out = append(out, DocCount{doc, c})
	}
	slices.SortFunc(out, func(a, b DocCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Doc, b.Doc)
	})
	return out[:min(n, len(out))]
}

// Text renders the figures for a terminal or a chat message.
func Text(st Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Questions from %s to %s: %d\n", st.From.Format(time.DateOnly), st.To.Format(time.DateOnly), st.Questions)
	declined := st.DeclinedGate + st.DeclinedModel
	fmt.Fprintf(&b, "  answered  %5d  %5.1f %%\n", st.Answered, 100*Share(st.Answered, st.Questions))
	fmt.Fprintf(&b, "  declined  %5d  %5.1f %%  (%d before the model, %d by the model)\n",
		declined, 100*Share(declined, st.Questions), st.DeclinedGate, st.DeclinedModel)
	fmt.Fprintf(&b, "  failed    %5d  %5.1f %%\n", st.Failed, 100*Share(st.Failed, st.Questions))
	fmt.Fprintf(&b, "Votes: %d 👍, %d 👎\n", st.Up, st.Down)
	if st.Timed > 0 {
		fmt.Fprintf(&b, "Answer time: median %s, 95th percentile %s (%d questions timed)\n",
			st.MedianTime.Round(time.Millisecond), st.P95Time.Round(time.Millisecond), st.Timed)
	}
	if st.Tokens > 0 {
		fmt.Fprintf(&b, "Model tokens: %d\n", st.Tokens)
	}
	if len(st.TopDocs) > 0 {
		b.WriteString("Most cited documents:\n")
		for _, d := range st.TopDocs {
			fmt.Fprintf(&b, "  %4d  %s\n", d.Count, d.Doc)
		}
	}
	b.WriteString("Per day (answered/declined/failed):\n")
	for _, d := range st.Days {
		fmt.Fprintf(&b, "  %s  %4d  %d/%d/%d\n", d.Date, d.Total(), d.Answered, d.DeclinedGate+d.DeclinedModel, d.Failed)
	}
	return b.String()
}
