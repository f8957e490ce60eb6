package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCorpus makes a directory of articles.
func writeCorpus(t *testing.T, articles map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range articles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Two knowledge bases of one data directory, about two Lyon contests.
func twoKBs(t *testing.T) (env map[string]string, games, food string) {
	t.Helper()
	games = writeCorpus(t, map[string]string{"jeux_tournoi.txt": "Le tournoi de Carcassonne de Lyon a été remporté samedi par l'équipe des Traboules, " +
		"devant 240 joueurs venus de toute la région. Les organisateurs annoncent une deuxième édition en octobre.\n"})
	food = writeCorpus(t, map[string]string{"cuisine_concours.txt": "Le concours de pâtisserie de Lyon a été remporté dimanche par la boulangerie Pignol, " +
		"dont la tarte aux pralines a convaincu le jury de douze chefs.\n"})
	env = map[string]string{"CITEBOT_DATA_DIR": t.TempDir()}
	for name, dir := range map[string]string{"jeux": games, "cuisine": food} {
		if _, stderr, code := cli(t, env, "kb", "create", name, "--corpus", dir); code != 0 {
			t.Fatalf("kb create %s: got exit %d (%s), want 0", name, code, stderr)
		}
	}
	return env, games, food
}

// citedDocs asks question in kb and returns the documents cited.
func citedDocs(t *testing.T, env map[string]string, kb, question string) []string {
	t.Helper()
	out, stderr, code := cli(t, env, "ask", "--kb", kb, "--json", question)
	if code != 0 {
		t.Fatalf("ask --kb %s: got exit %d (%s), want 0", kb, code, stderr)
	}
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	var docs []string
	for _, s := range a.Sources {
		docs = append(docs, s.DocID)
	}
	for _, p := range a.Passages {
		docs = append(docs, p.DocID) // passages given to the answerer count too
	}
	return docs
}

func TestKnowledgeBasesKeepTheirArticles(t *testing.T) {
	env, _, _ := twoKBs(t)
	for kb, own := range map[string]string{"jeux": "jeux_tournoi", "cuisine": "cuisine_concours"} {
		docs := citedDocs(t, env, kb, "Qui a remporté le concours à Lyon ?")
		if len(docs) == 0 {
			t.Errorf("ask --kb %s: got no passage, want its own article", kb)
		}
		for _, d := range docs {
			if d != own {
				t.Errorf("ask --kb %s: got passage of %s, want only %s", kb, d, own)
			}
		}
	}
	// The default knowledge base has neither.
	out, _, code := cli(t, env, "sources", "--json")
	if code != 0 || strings.Contains(out, "jeux_tournoi") || strings.Contains(out, "cuisine_concours") {
		t.Errorf("sources of the default: got exit %d and %s, want the built-in articles only", code, out)
	}
	out, _, code = cli(t, env, "search", "--kb", "cuisine", "--json", "tarte aux pralines")
	if code != 0 || !strings.Contains(out, "cuisine_concours") {
		t.Errorf("search --kb cuisine: got exit %d and %s, want the pâtisserie article", code, out)
	}
}

func TestKBList(t *testing.T) {
	env, games, food := twoKBs(t)
	out, stderr, code := cli(t, env, "kb", "list", "--json")
	if code != 0 {
		t.Fatalf("kb list: got exit %d (%s), want 0", code, stderr)
	}
	var list []kbOut
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("kb list --json: %v\n%s", err, out)
	}
	if len(list) != 3 || list[0].Name != "default" || list[0].Documents < 5 {
		t.Fatalf("kb list: got %+v, want the default first, with the built-in articles", list)
	}
	want := []kbOut{{Name: "cuisine", Corpus: food, Documents: 1, Chunks: 1}, {Name: "jeux", Corpus: games, Documents: 1, Chunks: 1}}
	for i, w := range want {
		g := list[i+1]
		if g.Name != w.Name || g.Corpus != w.Corpus || g.Documents != w.Documents || g.Chunks != w.Chunks {
			t.Errorf("kb list row %d: got %+v, want %+v", i+1, g, w)
		}
		if !strings.HasPrefix(g.Dir, filepath.Join(env["CITEBOT_DATA_DIR"], "kb", w.Name)+string(filepath.Separator)) {
			t.Errorf("kb list row %d: got index in %s, want it under <data>/kb/%s", i+1, g.Dir, w.Name)
		}
	}
	out, _, code = cli(t, env, "kb", "list")
	if code != 0 || !strings.Contains(out, "(built-in articles)") || strings.Index(out, "default") > strings.Index(out, "cuisine") {
		t.Errorf("kb list: got exit %d and\n%s\nwant a table, the default first", code, out)
	}
}

func TestKBBadInput(t *testing.T) {
	env, games, _ := twoKBs(t)
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no subcommand", []string{"kb"}, 2, "create"},
		{"unknown subcommand", []string{"kb", "drop"}, 2, "unknown kb subcommand"},
		{"no name", []string{"kb", "create", "--corpus", games}, 2, "one name"},
		{"bad name", []string{"kb", "create", "Jeux vidéo", "--corpus", games}, 2, "a-z"},
		{"too long", []string{"kb", "create", strings.Repeat("a", 33), "--corpus", games}, 2, "1 to 32"},
		{"reserved", []string{"kb", "create", "default", "--corpus", games}, 2, "default"},
		{"no corpus", []string{"kb", "create", "autre"}, 2, "--corpus DIR"},
		{"missing corpus", []string{"kb", "create", "autre", "--corpus", filepath.Join(empty, "nope")}, 2, "not a directory"},
		{"empty corpus", []string{"kb", "create", "autre", "--corpus", empty}, 2, "no usable article"},
		{"taken", []string{"kb", "create", "jeux", "--corpus", games}, 1, "already exists"},
		{"unknown kb", []string{"ask", "--kb", "autre", "Qui ?"}, 2, `no knowledge base "autre"`},
		{"kb and corpus", []string{"search", "--kb", "jeux", "--corpus", games, "tournoi"}, 2, "give one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := cli(t, env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.says) {
				t.Errorf("citebot %s: got exit %d, %q; want %d and %q", strings.Join(tt.args, " "), code, stderr, tt.code, tt.says)
			}
		})
	}
	// Nothing refused was recorded.
	out, _, _ := cli(t, env, "kb", "list")
	if strings.Contains(out, "autre") {
		t.Errorf("kb list after refusals: got\n%s\nwant no 'autre'", out)
	}
}

func TestRetentionSetting(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"", 90 * 24 * time.Hour, true},
		{"30d", 30 * 24 * time.Hour, true},
		{" 720h ", 720 * time.Hour, true},
		{"0", 0, true},
		{"0d", 0, true},
		{"3x", 0, false},
		{"-1d", 0, false},
		{"-5h", 0, false},
		{"1.5d", 0, false},
		{"99999999d", 0, false},
	}
	for _, tt := range tests {
		e := &env{getenv: func(string) string { return tt.value }}
		got, err := e.retention()
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("CITEBOT_RETENTION=%q: got %v, %v; want %v, ok=%v", tt.value, got, err, tt.want, tt.ok)
		}
	}
}
