package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
	"github.com/citebot/citebot/store/sqlite"
)

// seedStore writes records into the store of a new data directory, as
// the bot would, and returns the directory.
func seedStore(t *testing.T, qs []store.Question, votes []store.Vote) string {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlite.Open(filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		s.Log(q)
	}
	for _, v := range votes {
		s.AddVote(v)
	}
	if err := s.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func ago(d time.Duration) time.Time { return time.Now().Add(-d) }

// gapLog: three wordings of one question and two of another, declined
// this week; one declined long ago; answered ones, which are no gap.
func gapLog() []store.Question {
	h := time.Hour
	return []store.Question{
		{Time: ago(50 * h), User: "u1", Question: "Combien gagne un député ?", Outcome: store.DeclinedGate},
		{Time: ago(40 * h), User: "u2", Question: "What's the salary of a French MP?", Outcome: store.DeclinedModel},
		{Time: ago(30 * h), User: "u3", Question: "salaire depute", Outcome: store.DeclinedGate},
		{Time: ago(20 * h), User: "u1", Question: "Quand ont lieu les prochaines municipales ?", Outcome: store.DeclinedGate},
		{Time: ago(10 * h), User: "u4", Question: "c'est quand les élections municipales", Outcome: store.DeclinedModel},
		{Time: ago(20 * 24 * h), User: "u5", Question: "Quel temps fera-t-il demain ?", Outcome: store.DeclinedGate},
		{Time: ago(5 * h), User: "u1", Question: "Qui a signé avec OpenAI ?", Outcome: store.Answered, Cited: []string{"000_e36295c6d4f2ae41"},
			Stages: map[string]time.Duration{"total": 800 * time.Millisecond}},
		{Time: ago(4 * h), User: "u2", Question: "Qui préside la BCE ?", Outcome: store.Failed},
	}
}

func TestGapsCommand(t *testing.T) {
	env := map[string]string{"CITEBOT_DATA_DIR": seedStore(t, gapLog(), nil)}
	out, stderr, code := cli(t, env, "gaps", "--days", "7", "--json")
	if code != 0 {
		t.Fatalf("gaps: got exit %d (%s), want 0", code, stderr)
	}
	var gaps []gapOut
	if err := json.Unmarshal([]byte(out), &gaps); err != nil {
		t.Fatalf("gaps --json: %v\n%s", err, out)
	}
	var counts []int
	for _, g := range gaps {
		counts = append(counts, g.Count)
	}
	if len(gaps) != 2 || counts[0] != 3 || counts[1] != 2 || !strings.Contains(gaps[0].Example, "député") {
		t.Errorf("gaps of the last 7 days: got %+v, want the salary (3) then the elections (2)", gaps)
	}

	out, _, code = cli(t, env, "gaps", "--days", "30")
	if code != 0 || !strings.Contains(out, "Quel temps fera-t-il demain ?") || !strings.Contains(out, "also: « ") {
		t.Errorf("gaps --days 30: got exit %d and\n%s\nwant the older question too, and other wordings", code, out)
	}
	out, _, code = cli(t, env, "gaps", "--days", "30", "--limit", "1")
	if code != 0 || strings.Count(out, "\n") != 3 { // header, the gap, its other wordings
		t.Errorf("gaps --limit 1: got exit %d and\n%s\nwant one gap", code, out)
	}
	if _, _, code := cli(t, env, "gaps", "--days", "0"); code != 2 {
		t.Errorf("gaps --days 0: got exit %d, want 2", code)
	}
}

func TestGapsOfAnEmptyStore(t *testing.T) {
	out, stderr, code := cli(t, nil, "gaps")
	if code != 0 || !strings.Contains(out, "No declined or downvoted question") {
		t.Errorf("gaps: got exit %d, %q (%s), want a plain 'none'", code, out, stderr)
	}
}

func TestStatsCommand(t *testing.T) {
	dir := seedStore(t, gapLog(), []store.Vote{{Time: ago(time.Hour), Vote: "up"}, {Time: ago(time.Hour), Vote: "down"}})
	chart := filepath.Join(t.TempDir(), "stats.png")
	out, stderr, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": dir}, "stats", "--days", "7", "--png", chart, "--json")
	if code != 0 {
		t.Fatalf("stats: got exit %d (%s), want 0", code, stderr)
	}
	var st statsOut
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	if st.Questions != 7 || st.Answered != 1 || st.DeclinedGate != 3 || st.DeclinedModel != 2 || st.Failed != 1 ||
		st.Up != 1 || st.Down != 1 || len(st.Days) != 7 || st.Chart != chart || st.MedianTime != 800*time.Millisecond {
		t.Errorf("stats --json: got %+v, want the 7 questions of the week", st)
	}
	b, err := os.ReadFile(chart)
	if err != nil {
		t.Fatalf("chart: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("chart is not a PNG: %v", err)
	}

	out, _, code = cli(t, map[string]string{"CITEBOT_DATA_DIR": dir}, "stats", "--days", "7")
	for _, want := range []string{"Questions from", ": 7\n", "answered      1", "Votes: 1 👍, 1 👎", "000_e36295c6d4f2ae41"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("stats: got exit %d and\n%s\nwant %q in it", code, out, want)
		}
	}
	if _, _, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": dir}, "stats", "--png", filepath.Join(dir, "no", "such", "dir.png")); code != 1 {
		t.Errorf("stats --png into a missing directory: got exit %d, want 1", code)
	}
}

func TestReportOnACorruptStore(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, sqlite.FileName), bytes.Repeat([]byte("garbage "), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": dir}, "stats")
	if code != 1 || !strings.Contains(stderr, "not a SQLite database or is damaged") {
		t.Errorf("stats on a corrupt file: got exit %d, %q, want 1 and the reason", code, stderr)
	}
}
