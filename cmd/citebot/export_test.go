package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
	"github.com/citebot/citebot/store/sqlite"
)

func TestExportThenForget(t *testing.T) {
	dir := seedStore(t, gapLog(), []store.Vote{{Time: ago(time.Hour), User: "u1", Vote: "up", Question: "Qui a signé avec OpenAI ?"}})
	s, err := sqlite.Open(filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	s.PutAnswer("m1", store.KeptAnswer{User: "u1", Question: "Qui a signé avec OpenAI ?", Text: "Le Royaume-Uni [1]."})
	s.AddTurn("t1", store.Turn{Question: "Et quand ?", Answer: "Lundi [1].", User: "u1"})
	s.Flush(context.Background())
	s.Close()
	env := map[string]string{"CITEBOT_DATA_DIR": dir}

	out, stderr, code := cli(t, env, "export", "--user", "u1")
	if code != 0 {
		t.Fatalf("export: got exit %d (%s), want 0", code, stderr)
	}
	var d exportOut
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if d.User != "u1" || len(d.Questions) != 3 || len(d.Votes) != 1 || len(d.Answers) != 1 || len(d.Turns) != 1 {
		t.Errorf("export u1: got %+v, want 3 questions, a vote, an answer and a turn", d)
	}
	if !strings.Contains(out, `"outcome": "declined_gate"`) || !strings.Contains(out, `"stages_ms": {`) {
		t.Errorf("export: got\n%s\nwant lowercase fields with stage times in ms", out)
	}

	out, _, code = cli(t, env, "forget", "--user", "u1")
	if code != 0 || !strings.Contains(out, "Deleted 6 records") {
		t.Errorf("forget: got exit %d, %q, want 6 records deleted", code, out)
	}
	out, _, code = cli(t, env, "forget", "--user", "u1")
	if code != 0 || !strings.Contains(out, "Nothing was stored") {
		t.Errorf("forget again: got exit %d, %q, want nothing", code, out)
	}
	out, stderr, code = cli(t, env, "export", "--user", "u1")
	if code != 0 || !strings.Contains(out, `"questions": []`) || !strings.Contains(stderr, "nothing is stored") {
		t.Errorf("export after forget: got exit %d, %q (%s), want empty lists and a note", code, out, stderr)
	}
	if out, _, _ := cli(t, env, "export", "--user", "u2"); !strings.Contains(out, "What's the salary") {
		t.Errorf("export u2 after forgetting u1: got %s, want u2's records kept", out)
	}
	for _, args := range [][]string{{"export"}, {"forget"}, {"export", "--user", " "}, {"export", "--user", "u1", "extra"}} {
		if _, _, code := cli(t, env, args...); code != 2 {
			t.Errorf("citebot %s: got exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}

// The retention applies whenever the CLI opens the store: nothing older
// is shown, and it is gone for good.
func TestRetentionAppliedOnOpen(t *testing.T) {
	old := store.Question{Time: ago(100 * 24 * time.Hour), User: "u9", Question: "Une très vieille question ?", Outcome: store.DeclinedGate}
	recent := store.Question{Time: ago(time.Hour), User: "u9", Question: "Une question récente ?", Outcome: store.DeclinedGate}
	dir := seedStore(t, []store.Question{old, recent}, nil)
	for _, tt := range []struct {
		retention string
		want      int
	}{{"0", 2}, {"365d", 2}, {"", 1}, {"0", 1}} {
		out, stderr, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": dir, "CITEBOT_RETENTION": tt.retention}, "export", "--user", "u9")
		var d exportOut
		if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Questions) != tt.want {
			t.Errorf("CITEBOT_RETENTION=%q: got exit %d (%s), %d questions, want %d", tt.retention, code, stderr, len(d.Questions), tt.want)
		}
	}
	if _, _, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": dir, "CITEBOT_RETENTION": "soon"}, "stats"); code != 2 {
		t.Errorf("CITEBOT_RETENTION=soon: got exit %d, want 2", code)
	}
}
