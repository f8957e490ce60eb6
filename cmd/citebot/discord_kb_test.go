package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citebot/citebot/bot"
	"github.com/citebot/citebot/store"
)

// TestBotOpensAKnowledgeBase opens a knowledge base recorded in the store
// as the bot would for a server assigned it: its index is built in
// <data>/kb/NAME from its own corpus, its answers cite its articles only,
// it is opened once, and a name the store does not know is an error.
func TestBotOpensAKnowledgeBase(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"CITEBOT_DATA_DIR": data, "CITEBOT_EMBED_MODEL": "local"}
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string { return vars[k] }, name: "discord"}
	if _, err := e.parse(e.flags(""), nil); err != nil {
		t.Fatal(err)
	}
	st := store.NewMemory(store.MemoryLimits{})
	corpusDir, err := filepath.Abs("../../bot/testdata/kb/beta")
	if err != nil {
		t.Fatal(err)
	}
	st.CreateKB(t.Context(), store.KB{Name: "beta", Corpus: corpusDir})
	kbs := &botKBs{ctx: context.Background(), e: e, st: st, delay: -1, open: map[string]bot.Deps{}}

	d, err := kbs.deps("beta")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "kb", "beta")); err != nil {
		t.Errorf("got %v, want the index in <data>/kb/beta", err)
	}
	a, err := d.Answer(t.Context(), "Quand le dernier gardien a-t-il quitté le phare d'Ar-Men ?", nil, nil)
	if err != nil || len(a.Sources) == 0 {
		t.Fatalf("got %+v, %v; want an answer citing the knowledge base", a.Sources, err)
	}
	for _, s := range a.Sources {
		if !strings.HasPrefix(s.DocID, "beta_") {
			t.Errorf("cited %s, want only the knowledge base's articles", s.DocID)
		}
	}
	again, _ := kbs.deps("beta")
	if again.Library != d.Library {
		t.Error("the knowledge base was opened twice")
	}
	if _, err := kbs.deps("nope"); !errors.Is(err, errUnknownKB) {
		t.Errorf("got %v, want errUnknownKB", err)
	}
}
