package main

import (
	"context"
	"time"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/report"
	"github.com/citebot/citebot/retrieval"
	"github.com/citebot/citebot/store"
)

// logOf reads the question log and the votes of the last days (of one
// server, or all when guild is empty): what gaps and stats are made of,
// for the CLI and for the bot alike.
func logOf(ctx context.Context, s store.Store, days int, guild string, now time.Time) ([]store.Question, []store.Vote, error) {
	f := store.Filter{Since: report.PeriodStart(days, now), Guild: guild}
	qs, err := s.Questions(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	votes, err := s.Votes(ctx, f)
	return qs, votes, err
}

// gapsOf groups the declined and downvoted questions of the last days.
// The built-in embedder: offline, instant, and the same on every run.
func gapsOf(ctx context.Context, s store.Store, days int, guild string) ([]report.Gap, error) {
	qs, votes, err := logOf(ctx, s, days, guild, time.Now())
	if err != nil {
		return nil, err
	}
	return report.Gaps(ctx, qs, votes, report.GapOptions{Embedder: retrieval.NewHashed()}), nil
}

// statsOf computes the usage figures of the last days.
func statsOf(ctx context.Context, s store.Store, days int, guild string) (report.Stats, error) {
	now := time.Now()
	qs, votes, err := logOf(ctx, s, days, guild, now)
	if err != nil {
		return report.Stats{}, err
	}
	return report.ComputeStats(qs, votes, days, now), nil
}

// botReports are /gaps and /stats: the same figures as citebot gaps and
// citebot stats, for the server the command is run in.
type botReports struct{ st store.Store }

func (r botReports) Gaps(ctx context.Context, guild string, days int) ([]bot.Gap, error) {
	gaps, err := gapsOf(ctx, r.st, days, guild)
	out := make([]bot.Gap, len(gaps))
	for i, g := range gaps {
		out[i] = bot.Gap{Example: g.Example, Count: g.Count, Last: g.Last}
	}
	return out, err
}

func (r botReports) Stats(ctx context.Context, guild string, days int) (string, []byte, error) {
	st, err := statsOf(ctx, r.st, days, guild)
	if err != nil {
		return "", nil, err
	}
	png, err := report.Chart(st)
	return report.Text(st), png, err
}
