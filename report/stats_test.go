package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/store"
)

var update = flag.Bool("update", false, "rewrite testdata/stats.golden and docs/stats-example.png")

var now0 = time.Date(2026, 4, 30, 18, 0, 0, 0, time.UTC)

func TestStatsByHand(t *testing.T) {
	at := func(daysAgo, hour int) time.Time {
		return now0.AddDate(0, 0, -daysAgo).Truncate(24 * time.Hour).Add(time.Duration(hour) * time.Hour)
	}
	total := func(ms int) map[string]time.Duration {
		return map[string]time.Duration{"total": time.Duration(ms) * time.Millisecond}
	}
	qs := []store.Question{
		{Time: at(3, 10), Outcome: store.Answered, Stages: total(300)}, // before the period: ignored
		{Time: at(2, 0), Outcome: store.Answered, Stages: total(100), Cited: []string{"b", "a", "a"}, Tokens: 10},
		{Time: at(2, 23), Outcome: store.DeclinedGate, Stages: total(20)},
		{Time: at(1, 12), Outcome: store.DeclinedModel, Stages: total(900), Tokens: 5},
		{Time: at(0, 9), Outcome: store.Answered, Stages: total(400), Cited: []string{"b"}},
		{Time: at(0, 10), Outcome: store.Failed},
		{Time: at(0, 20), Outcome: store.Answered}, // after now: ignored
	}
	votes := []store.Vote{{Time: at(3, 0), Vote: "down"}, {Time: at(1, 0), Vote: "up"}, {Time: at(0, 1), Vote: "down"}, {Time: at(0, 2), Vote: "up"}}
	st := ComputeStats(qs, votes, 3, now0)
	want := Stats{From: at(2, 0), To: now0,
		Days:      []Day{{Date: "2026-04-28", Answered: 1, DeclinedGate: 1}, {Date: "2026-04-29", DeclinedModel: 1}, {Date: "2026-04-30", Answered: 1, Failed: 1}},
		Questions: 5, Answered: 2, DeclinedGate: 1, DeclinedModel: 1, Failed: 1, Up: 2, Down: 1, Tokens: 15,
		// Timed: 20, 100, 400, 900 ms. Nearest rank: median = 2nd, p95 = 4th.
		Timed: 4, MedianTime: 100 * time.Millisecond, P95Time: 900 * time.Millisecond,
		TopDocs: []DocCount{{"b", 2}, {"a", 1}}}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("ComputeStats (-want +got):\n%s", diff)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x)
		}
		return out
	}
	tests := []struct {
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 95, 7},
		{ms(1, 2), 50, 1},
		{ms(1, 2, 3), 50, 2},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21), 95, 20},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %d): got %v, want %v", tt.sorted, tt.p, got, tt.want)
		}
	}
}

// syntheticLog is a month of a community's questions, the same on every
// run: more on weekdays, three in four answered, answer times around a
// second and a half with a long tail, citations skewed towards a few
// documents, one vote in eight answers. It feeds the golden test and the
// example chart of the README (go test ./report -run Example -update).
func syntheticLog(days int, now time.Time) ([]store.Question, []store.Vote) {
	rng := rand.New(rand.NewPCG(13, 2026))
	var qs []store.Question
	var votes []store.Vote
	start := now.Truncate(24*time.Hour).AddDate(0, 0, -days+1)
	for d := range days {
		day := start.AddDate(0, 0, d)
		n := 25 + rng.IntN(20)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = 8 + rng.IntN(10)
		}
		for range n {
			at := day.Add(time.Duration(8*3600+rng.IntN(14*3600)) * time.Second)
			if at.After(now) {
				continue
			}
			q := store.Question{Time: at, Guild: "g1", User: fmt.Sprint("u", rng.IntN(300)), Question: "…"}
			total := time.Duration(math.Exp(rng.NormFloat64()*0.5) * 1.5 * float64(time.Second))
			switch r := rng.Float64(); {
			case r < 0.74:
				q.Outcome = store.Answered
				q.Cited = []string{fmt.Sprintf("%03d_article", int(math.Floor(math.Pow(rng.Float64(), 2.5)*40)))}
			case r < 0.86:
				q.Outcome, total = store.DeclinedGate, total/8
			case r < 0.95:
				q.Outcome = store.DeclinedModel
			default:
				q.Outcome, total = store.Failed, time.Duration(5+rng.IntN(25))*time.Second
			}
			q.Stages = map[string]time.Duration{"total": total.Round(time.Millisecond)}
			qs = append(qs, q)
			if q.Outcome == store.Answered && rng.IntN(8) == 0 {
				vote := "up"
				if rng.IntN(4) == 0 {
					vote = "down"
				}
				votes = append(votes, store.Vote{Time: at.Add(time.Minute), User: q.User, Vote: vote})
			}
		}
	}
	return qs, votes
}

// The figures of a month, as text and JSON, against the golden file.
func TestStatsGolden(t *testing.T) {
	qs, votes := syntheticLog(30, now0)
	st := ComputeStats(qs, votes, 30, now0)
	js, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := []byte(Text(st) + "\n" + string(js) + "\n")
	path := filepath.Join("testdata", "stats.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("stats (-golden +got):\n%s", diff)
	}
}

func TestChartIsAPNG(t *testing.T) {
	for _, days := range []int{1, 7, 30, 90} {
		t.Run(fmt.Sprint(days, "d"), func(t *testing.T) {
			qs, votes := syntheticLog(days, now0)
			b, err := Chart(ComputeStats(qs, votes, days, now0))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := img.Bounds().Size(); got.X != 960 || got.Y != 432 {
				t.Errorf("size: got %v, want 960×432", got)
			}
			if *update && days == 30 {
				if err := os.WriteFile(filepath.Join("..", "docs", "stats-example.png"), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestChartOfAnEmptyPeriod(t *testing.T) {
	b, err := Chart(ComputeStats(nil, nil, 7, now0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("decode: %v", err)
	}
}
