package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citebot/citebot/eval"
	"github.com/citebot/citebot/llm/llmtest"
)

// llmEval runs `citebot eval --json` on set in LLM mode against the
// scripted model.
func llmEval(t *testing.T, set string) (eval.Report, *llmtest.Server) {
	t.Helper()
	fake := llmtest.New(t)
	fake.SetDefault(scriptedModel)
	out, stderr, code := cli(t, llmEnv(fake), "eval", "--json", set)
	var r eval.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("got exit %d (%s), %v", code, stderr, err)
	}
	return r, fake
}

// TestLLMModeGate checks the gate in front of the model on the tuning set:
// it declines the off-topic questions (at least 90 %) and almost no
// answerable one (at most 2 %), so that the model sees every question with
// plausible evidence, with the facts in its passages. The other sets'
// figures are logged for the README, not asserted; heldout2 is never
// tuned on.
func TestLLMModeGate(t *testing.T) {
	const tune = "../../eval/testdata/tune.jsonl"
	for _, set := range []string{tune, "../../eval/testdata/tune2.jsonl", "../../eval/testdata/tune3.jsonl", "../../eval/testdata/dev.jsonl",
		"../../eval/testdata/heldout.jsonl", "../../eval/testdata/heldout2.jsonl"} {
		t.Run(filepath.Base(set), func(t *testing.T) {
			r, _ := llmEval(t, set)
			off := r.Categories["off-topic"]
			t.Logf("%s: gate_refusals %.3f gate_false_refusals %.3f off-topic gated %.3f (%d) context_recall %.3f refusal_accuracy %.3f",
				filepath.Base(set), r.GateRefusals, r.GateFalseRefusals, off.GateRefusals, off.Questions, r.ContextRecall, r.RefusalAccuracy)
			if set != tune {
				return
			}
			if off.Questions == 0 || off.GateRefusals < 0.9 {
				t.Errorf("got %.3f of %d off-topic questions declined by the gate, want ≥ 0.9", off.GateRefusals, off.Questions)
			}
			if r.GateFalseRefusals > 0.02 {
				t.Errorf("got %.3f of answerable questions declined by the gate, want ≤ 0.02", r.GateFalseRefusals)
			}
			// The model is handed 16 passages and each part's best: 0.98
			// on this set (README).
			if r.ContextRecall < 0.95 {
				t.Errorf("got context recall %.3f, want ≥ 0.95", r.ContextRecall)
			}
		})
	}
}

// An off-topic question costs no answer prompt: the gate declines it
// after retrieval. (An English question is still rewritten, which is the
// call that translates it for the search.) The tuning sets' off-topic
// questions include some that name a city the articles know, ask for
// the weather or the best of something.
func TestOffTopicQuestionsSendNoAnswerPrompt(t *testing.T) {
	var lines []string
	for _, set := range []string{"tune", "tune2", "tune3"} {
		lines = append(lines, offTopicLines(t, "../../eval/testdata/"+set+".jsonl")...)
	}
	set := filepath.Join(t.TempDir(), "off-topic.jsonl")
	if err := os.WriteFile(set, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	r, fake := llmEval(t, set)
	if r.GateRefusals != 1 {
		t.Errorf("got %.3f of %d off-topic questions declined by the gate, want all", r.GateRefusals, r.Questions)
	}
	for _, req := range fake.ChatRequests() {
		if system := req.Messages[0].Content; !strings.Contains(system, "TRANSLATION:") {
			t.Errorf("got an answer prompt for an off-topic question: %.200q", req.Messages[len(req.Messages)-1].Content)
		}
	}
}

// offTopicLines returns the eval lines of the off-topic category.
func offTopicLines(t *testing.T, set string) []string {
	t.Helper()
	f, err := os.Open(set)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c eval.Case
		if json.Unmarshal(sc.Bytes(), &c) == nil && c.Category == "off-topic" {
			out = append(out, sc.Text())
		}
	}
	if len(out) == 0 {
		t.Fatal("no off-topic question in the set")
	}
	return out
}
