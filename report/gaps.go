// Package report turns the question log (package store) into what a
// moderator reads: the coverage gaps — questions the bot declined or that
// got a 👎, grouped so that one question asked ten ways shows once — and
// usage figures with a chart. It reads records and returns values; the
// CLI and the bot decide how to show them.
package report

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// Gap is one question the articles do not answer, however it was put.
type Gap struct {
	Example   string    `json:"example"`   // the most frequent wording
	Count     int       `json:"count"`     // times asked (or downvoted answers without a logged question)
	Declined  int       `json:"declined"`  // of which declined by the bot
	Downvotes int       `json:"downvotes"` // 👎 on its answers
	Last      time.Time `json:"last"`      // when last asked
	Wordings  []string  `json:"wordings"`  // distinct wordings, most frequent first
}

// GapOptions tune Gaps; the zero value is the default.
type GapOptions struct {
	// Embedder, when set, adds its vectors to the comparison of wordings
	// (the built-in retrieval.NewHashed() catches typos and cognates).
	Embedder retrieval.Embedder
	// Threshold is how similar, on average, two groups of wordings must
	// be to merge, in [0,1]; 0 means DefaultThreshold.
	Threshold float64
}

// DefaultThreshold was set on testdata/gaps_three_subjects.txt; see
// the package's tests for how it fares on the other sets.
const DefaultThreshold = 0.10

// maxWordings bounds the wordings clustered (the most frequent ones);
// the rest join the group they are most like, or stand alone. Clustering
// is cubic in this number.
const maxWordings = 600

// ask is one occurrence of a gap: a declined or downvoted question.
type ask struct {
	text      string
	time      time.Time
	declined  bool
	downvotes int
}

// Gaps lists the questions declined (before or by the model) or answered
// with a 👎, grouped by similarity, most asked first. A vote joins its
// question by AnswerKey; a vote whose question was not logged (from
// feedback.jsonl, or pruned) stands for one ask of its recorded question.
func Gaps(ctx context.Context, qs []store.Question, votes []store.Vote, opts GapOptions) []Gap {
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	asks := gapAsks(qs, votes)
	if len(asks) == 0 {
		return nil
	}
	// Distinct wordings, most frequent first: they are the clustering's
	// items, and the first of a group is its example.
	byKey := map[string]*wordingCount{}
	var counts []*wordingCount
	for i, a := range asks {
		k := normalise(a.text)
		wc := byKey[k]
		if wc == nil {
			wc = &wordingCount{text: a.text, first: i}
			byKey[k] = wc
			counts = append(counts, wc)
		}
		wc.asks = append(wc.asks, i)
	}
	slices.SortStableFunc(counts, func(a, b *wordingCount) int { return cmp.Compare(len(b.asks), len(a.asks)) })
	texts := make([]string, len(counts))
	for i, c := range counts {
		texts[i] = c.text
	}
	groups := groupWordings(wordings(ctx, texts, opts.Embedder), opts.Threshold)
	out := make([]Gap, 0, len(groups))
	for _, g := range groups {
		out = append(out, gapOf(g, counts, asks))
	}
	slices.SortStableFunc(out, func(a, b Gap) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return b.Last.Compare(a.Last)
	})
	return out
}

// wordingCount is one distinct wording and the asks that used it.
type wordingCount struct {
	text  string
	first int
	asks  []int
}

// gapAsks picks the declined and downvoted questions out of the log.
func gapAsks(qs []store.Question, votes []store.Vote) []ask {
	var asks []ask
	gap := map[string]int{}                 // answer key → its ask
	answered := map[string]store.Question{} // answer key → a question not declined
	for _, q := range qs {
		if q.Outcome == store.DeclinedGate || q.Outcome == store.DeclinedModel {
			asks = append(asks, ask{text: q.Question, time: q.Time, declined: true})
			if q.AnswerKey != "" {
				gap[q.AnswerKey] = len(asks) - 1
			}
		} else if q.AnswerKey != "" {
			answered[q.AnswerKey] = q
		}
	}
	for _, v := range votes {
		if v.Vote != "down" {
			continue
		}
		if i, ok := gap[v.AnswerKey]; ok && v.AnswerKey != "" {
			asks[i].downvotes++
			continue
		}
		a := ask{text: v.Question, time: v.Time, downvotes: 1}
		if q, ok := answered[v.AnswerKey]; ok {
			a.text, a.time = q.Question, q.Time
		}
		if a.text == "" {
			continue // nothing left to say what was asked
		}
		asks = append(asks, a)
		if v.AnswerKey != "" {
			gap[v.AnswerKey] = len(asks) - 1
		}
	}
	return asks
}

// gapOf sums the asks of one group of wordings (indexes into counts).
func gapOf(group []int, counts []*wordingCount, asks []ask) Gap {
	g := Gap{Example: counts[group[0]].text}
	for _, wi := range group {
		g.Wordings = append(g.Wordings, counts[wi].text)
		for _, ai := range counts[wi].asks {
			a := asks[ai]
			g.Count++
			g.Downvotes += a.downvotes
			if a.declined {
				g.Declined++
			}
			if a.time.After(g.Last) {
				g.Last = a.time
			}
		}
	}
	return g
}
