package main

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/store"
)

// TestBotReportsKeepToTheServer: /gaps and /stats see the server's own
// questions only, grouped and counted as citebot gaps and stats do.
func TestBotReportsKeepToTheServer(t *testing.T) {
	ctx := t.Context()
	st := store.NewMemory(store.MemoryLimits{})
	now := time.Now()
	for i, q := range []string{"Quel temps fera-t-il samedi à Lyon ?", "quel temps samedi a lyon", "Météo de samedi à Lyon ?"} {
		st.Log(store.Question{Time: now.Add(-time.Duration(i) * time.Hour), Guild: "A", Question: q, Outcome: store.DeclinedGate})
	}
	st.Log(store.Question{Time: now, Guild: "B", Question: "Qui a gagné le match de rugby ?", Outcome: store.DeclinedGate})
	st.Log(store.Question{Time: now, Guild: "A", Question: "Combien coûte l'offre d'OpenAI ?", Outcome: store.Answered,
		Stages: map[string]time.Duration{"total": time.Second}})
	r := botReports{st}
	gaps, err := r.Gaps(ctx, "A", 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) != 1 || gaps[0].Count != 3 || strings.Contains(gaps[0].Example, "rugby") {
		t.Errorf("got gaps %+v, want server A's one question asked three ways", gaps)
	}
	text, img, err := r.Stats(ctx, "A", 7)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, ": 4\n") || !strings.Contains(text, "declined      3") {
		t.Errorf("stats text %q does not show server A's 4 questions", text)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Errorf("the chart is not a PNG: %v", err)
	}
}
