package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/citebot/citebot/answer"
)

// cli runs citebot in-process with a private data directory and no API
// key, as on a fresh machine.
func cli(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir(), "HOME": t.TempDir()}
	for k, v := range env {
		vars[k] = v
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut, func(k string) string { return vars[k] })
	code := exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

func TestAskPrintsCitedAnswer(t *testing.T) {
	out, stderr, code := cli(t, nil, "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	for _, want := range []string{"[1]", "Sources :", "000_e36295c6d4f2ae41", "partenariat"} {
		if !strings.Contains(out, want) {
			t.Errorf("got output %q, want it to contain %q", out, want)
		}
	}
}

func TestAskJSONFlagAfterQuestion(t *testing.T) {
	out, stderr, code := cli(t, nil, "ask", "Quel avatar a ouvert la soirée à l'ambassade ?", "--json")
	if code != 0 {
		t.Fatalf("got exit %d (%s), want 0", code, stderr)
	}
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if a.Refused || len(a.Sources) == 0 || a.Mode != "extractive" {
		t.Fatalf("got %+v, want a cited extractive answer", a)
	}
	texts := map[string]string{}
	for _, p := range a.Passages {
		texts[p.ChunkID] = p.Text
	}
	for _, s := range a.Sources {
		if !strings.Contains(texts[s.ChunkID], s.Quote) {
			t.Errorf("source [%d] quote %q is not in passage %s", s.N, s.Quote, s.ChunkID)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "missing command"},
		{"unknown command", []string{"fly"}, `unknown command "fly"`},
		{"empty question", []string{"ask", "  "}, "the question is empty"},
		{"no question", []string{"ask"}, "the question is empty"},
		{"huge question", []string{"ask", strings.Repeat("mot ", 600)}, "the limit is 2000"},
		{"bad flag", []string{"search", "--nope", "x"}, "flag provided but not defined"},
		{"tiny chunks", []string{"search", "-chunk-chars", "10", "x"}, "-chunk-chars must be between 50 and"},
		{"NaN coverage", []string{"ask", "-min-coverage", "NaN", "x"}, "-min-coverage must be between 0 and 1, got NaN"},
		{"coverage over 1", []string{"eval", "-min-coverage", "2", "f.jsonl"}, "-min-coverage must be between 0 and 1"},
		{"negative k", []string{"search", "-k", "-3", "x"}, "-k must be between 0 and 100"},
		{"zero concurrency", []string{"discord", "-concurrency", "0"}, "-concurrency must be between 1 and 64"},
		{"rate below -1", []string{"discord", "-rate", "-7"}, "-rate must be between -1 and"},
		{"negative overlap", []string{"index", "-chunk-overlap", "-1"}, "-chunk-overlap must be between 0 and"},
		{"bench has no chunk flags", []string{"bench", "-chunk-chars", "600"}, "flag provided but not defined: -chunk-chars"},
		{"eval without file", []string{"eval"}, "one evaluation file"},
		{"sources with an argument", []string{"sources", "extra"}, "sources takes no arguments"},
		{"discord without token", []string{"discord"}, "DISCORD_TOKEN is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := cli(t, nil, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("got exit %d, stderr %q, want exit 2 mentioning %q", code, stderr, tt.want)
			}
			if out != "" {
				t.Errorf("got stdout %q, want nothing", out)
			}
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	out, stderr, code := cli(t, nil, "ask", "-h")
	if code != 0 || !strings.Contains(stderr, "Usage: citebot ask") || !strings.Contains(stderr, "-min-coverage") {
		t.Errorf("got exit %d, stderr %q, want 0 and the flags of ask", code, stderr)
	}
	out, _, code = cli(t, nil, "help")
	if code != 0 {
		t.Errorf("help: got exit %d, want 0", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("got help %q, want command %s listed", out, c.name)
		}
	}
}

func TestSearchShowsEveryScore(t *testing.T) {
	out, _, code := cli(t, nil, "search", "data centers", "-k", "3")
	if code != 0 || !strings.Contains(out, "FUSED") || !strings.Contains(out, "BM25") {
		t.Fatalf("got exit %d and %q, want a score table", code, out)
	}
	out, _, _ = cli(t, nil, "search", "--json", "data centers")
	var ps []passageOut
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) != 8 {
		t.Fatalf("got %d passages (%v), want 8", len(ps), err)
	}
	if ps[0].Fused <= ps[len(ps)-1].Fused || ps[0].BM25 == 0 || ps[0].Vector == 0 {
		t.Errorf("got first %+v, want ranked passages with vector and BM25 scores", ps[0])
	}
}

func TestSourcesListsTheDefaultCorpus(t *testing.T) {
	out, _, code := cli(t, nil, "sources", "--json")
	var docs []documentOut
	if err := json.Unmarshal([]byte(out), &docs); err != nil || code != 0 {
		t.Fatalf("got exit %d, %v", code, err)
	}
	if len(docs) != 5 {
		t.Fatalf("got %d documents, want 5", len(docs))
	}
	for _, d := range docs {
		if d.Title == "" || d.Chunks == 0 || d.Lang != "fr" {
			t.Errorf("got %+v, want a title, chunks and lang fr", d)
		}
	}
	if docs[2].ID != "002_aea207a960e5faa7" || docs[2].Date != "2023-11" {
		t.Errorf("got %+v, want 002 dated 2023-11", docs[2])
	}
}

func TestIndexBuildsThenReuses(t *testing.T) {
	env := map[string]string{"CITEBOT_DATA_DIR": t.TempDir()}
	out, stderr, code := cli(t, env, "index", "--json")
	var first, second indexOut
	if err := json.Unmarshal([]byte(out), &first); err != nil || code != 0 {
		t.Fatalf("got exit %d, %v", code, err)
	}
	if !first.Saved || first.Embedded != first.Chunks || first.Chunks == 0 {
		t.Errorf("first run: got %+v, want everything embedded and saved", first)
	}
	if !strings.Contains(stderr, "embedded ") || !strings.Contains(stderr, "/"+strconv.Itoa(first.Chunks)+" chunks") {
		t.Errorf("got stderr %q, want plain progress lines off a terminal", stderr)
	}
	out, _, _ = cli(t, env, "index", "--json")
	json.Unmarshal([]byte(out), &second)
	if !second.Loaded || second.Embedded != 0 || second.Reused != first.Chunks {
		t.Errorf("second run: got %+v, want a load that re-embeds nothing", second)
	}
}

func TestCorpusProblems(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	_, stderr, code := cli(t, map[string]string{"CITEBOT_CORPUS": missing}, "sources")
	if code != 1 || !strings.Contains(stderr, missing) {
		t.Errorf("missing corpus: got exit %d, %q; want exit 1 naming the directory", code, stderr)
	}

	dir := t.TempDir()
	files := map[string]string{
		"good.txt":   "Le sommet de Bletchley Park analyse les risques de l'intelligence artificielle.",
		"empty.txt":  "",
		"binary.txt": "\x00\x01\x02ELF\x00\x00",
		"latin1.txt": "caf\xe9 cr\xe8me",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	out, stderr, code := cli(t, map[string]string{"CITEBOT_CORPUS": dir}, "sources")
	if code != 0 || !strings.Contains(out, "good") {
		t.Fatalf("got exit %d, %q, want the good file listed", code, out)
	}
	for _, bad := range []string{"empty.txt", "binary.txt", "latin1.txt"} {
		if !strings.Contains(stderr, bad) {
			t.Errorf("got stderr %q, want a warning naming %s", stderr, bad)
		}
		if strings.Contains(out, strings.TrimSuffix(bad, ".txt")) {
			t.Errorf("got %s listed, want it skipped", bad)
		}
	}
}

func TestUnwritableDataDirStillAnswers(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	out, stderr, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": blocker}, "ask", "Qui est Peter Kyle ?")
	if code != 0 || !strings.Contains(out, "[1]") {
		t.Errorf("got exit %d, %q; want an answer", code, out)
	}
	if !strings.Contains(stderr, "working in memory") {
		t.Errorf("got stderr %q, want a warning", stderr)
	}
}

// TestIndexFailsWhenNothingIsSaved checks that `index`, whose only job is
// to save, fails with the reason when the data directory cannot be
// written, in both output modes, while `ask` above carries on in memory.
func TestIndexFailsWhenNothingIsSaved(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	for _, args := range [][]string{{"index"}, {"index", "--json"}} {
		out, stderr, code := cli(t, map[string]string{"CITEBOT_DATA_DIR": blocker}, args...)
		if code != 1 || !strings.Contains(stderr, "index not saved in "+blocker) || !strings.Contains(stderr, "not a directory") {
			t.Errorf("%v: got exit %d, stderr %q; want exit 1 with the reason", args, code, stderr)
		}
		if out != "" {
			t.Errorf("%v: got stdout %q, want nothing", args, out)
		}
	}
}

func TestEvalPrintsMetricsAndEnforcesBars(t *testing.T) {
	file := filepath.Join(t.TempDir(), "set.jsonl")
	os.WriteFile(file, []byte(`{"id":"q1","lang":"fr","question":"Quel avatar a ouvert la soirée à l'ambassade ?","answerable":true,"expect_docs":["003_691bfcd5bcfc0655"],"expect_facts":["Synthesia"]}
{"id":"q2","lang":"fr","question":"Quelle est la recette de la tarte Tatin ?","answerable":false,"expect_docs":[],"expect_facts":[],"category":"off-topic"}
`), 0o644)
	out, stderr, code := cli(t, nil, "eval", "--json", file)
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("got exit %d (%s), %v", code, stderr, err)
	}
	for _, k := range []string{"questions", "hit_at_1", "hit_at_5", "mrr", "fact_recall", "citation_precision", "citation_validity", "refusal_accuracy", "false_refusals", "mode",
		"context_recall", "gate_refusals", "gate_false_refusals", "categories"} {
		if _, ok := r[k]; !ok {
			t.Errorf("got no %q in the report", k)
		}
	}
	if r["mode"] != "offline" || r["questions"] != 2.0 {
		t.Errorf("got mode %v and %v questions, want offline and 2", r["mode"], r["questions"])
	}
	_, stderr, code = cli(t, nil, "eval", file, "--require", "hit_at_5=1.01")
	if code != 1 || !strings.Contains(stderr, "hit_at_5") {
		t.Errorf("got exit %d, %q; want exit 1 naming the failed bar", code, stderr)
	}
	// A ceiling, for the metrics where less is better.
	out, stderr, code = cli(t, nil, "eval", file, "--require", "gate_false_refusals<=0", "--require", "false_refusals<=-1")
	if code != 1 || !strings.Contains(stderr, "false_refusals 0.000 > -1.000") || strings.Contains(stderr, "gate_false") {
		t.Errorf("got exit %d, %q; want exit 1 naming only the failed ceiling", code, stderr)
	}
	if !strings.Contains(out, "gate_refusals") || !strings.Contains(out, "off-topic") {
		t.Errorf("got %q, want the gate figures and the categories in the summary", out)
	}
	os.WriteFile(file, []byte("{\"id\":\"x\"\n"), 0o644)
	_, stderr, code = cli(t, nil, "eval", file)
	if code != 1 || !strings.Contains(stderr, "line 1") {
		t.Errorf("got exit %d, %q; want exit 1 naming line 1", code, stderr)
	}
}

// misconfiguredAPI names an API base URL without a chat model and gives
// an unreadable timeout: two warnings a user should see once each, however
// many parts of a command need the API configuration.
var misconfiguredAPI = map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "CITEBOT_EMBED_MODEL": "local", "CITEBOT_LLM_TIMEOUT": "soon"}

// checkWarnedOnce fails unless each configuration warning is in stderr
// exactly once.
func checkWarnedOnce(t *testing.T, stderr string) {
	t.Helper()
	for _, w := range []string{"ignoring CITEBOT_LLM_TIMEOUT", "CITEBOT_CHAT_MODEL is not"} {
		if n := strings.Count(stderr, w); n != 1 {
			t.Errorf("got %q %d times in stderr, want once:\n%s", w, n, stderr)
		}
	}
}

func TestAskWarnsAboutConfigurationOnce(t *testing.T) {
	out, stderr, code := cli(t, misconfiguredAPI, "ask", "Qui est Peter Kyle ?")
	if code != 0 || !strings.Contains(out, "[1]") {
		t.Fatalf("got exit %d, %q (%s), want an offline answer", code, out, stderr)
	}
	checkWarnedOnce(t, stderr)
}

// TestDiscordWarnsAboutConfigurationOnce builds what the discord command
// hands the bot (answerer, summarizer, re-indexer, sources), which needs the chat
// configuration twice, without connecting to Discord.
func TestDiscordWarnsAboutConfigurationOnce(t *testing.T) {
	vars := map[string]string{"CITEBOT_DATA_DIR": t.TempDir()}
	for k, v := range misconfiguredAPI {
		vars[k] = v
	}
	var stderr bytes.Buffer
	e, k := discordKeeper(t, vars, &stderr)
	deps, mode, err := e.botDeps(withRegistry(t, k, -1), answer.DefaultMinCoverage)
	if err != nil {
		t.Fatal(err)
	}
	if mode != "offline" || deps.Answer == nil || deps.Summary == nil || deps.Reindex == nil || deps.Sources == nil {
		t.Errorf("got mode %q and deps %+v, want offline with every dependency set", mode, deps)
	}
	checkWarnedOnce(t, stderr.String())
}
