package answer

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/retrieval"
)

const doc003 = "003_691bfcd5bcfc0655"

func TestOfflineSummaries(t *testing.T) {
	ix := testIndex(t)
	s := &Summarizer{Index: ix}
	a, err := s.Document(context.Background(), doc003, "fr", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeExtractive || len(a.Sources) == 0 || len(a.Sources) > 3 {
		t.Fatalf("got mode %s with %d sources, want 1 to 3 extracted sentences", a.Mode, len(a.Sources))
	}
	for _, src := range a.Sources {
		if src.DocID != doc003 {
			t.Errorf("got a source from %s, want only %s", src.DocID, doc003)
		}
	}
	checkCitations(t, a)

	a, err = s.Corpus(context.Background(), "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]bool{}
	for _, src := range a.Sources {
		docs[src.DocID] = true
	}
	if len(docs) != len(ix.Documents()) || !strings.HasPrefix(a.Text, "Summary") {
		t.Errorf("got sources from %d documents and %q, want one quote per document under an English label", len(docs), a.Text[:40])
	}
	checkCitations(t, a)

	if _, err := s.Document(context.Background(), "nope", "fr", nil); !errors.Is(err, ErrUnknownDocument) {
		t.Errorf("got %v, want ErrUnknownDocument", err)
	}
}

func TestModelSummaryOfOneDocument(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "The UK embassy in Paris hosts AI for Growth [1]. Synthesia opened it with an avatar [4][30]."})
	ix := testIndex(t)
	s := &Summarizer{Index: ix, LLM: newClient(t, fake, time.Second, &llmtest.Sleeps{})}
	var shown strings.Builder
	a, err := s.Document(context.Background(), doc003, "en", func(d string) { shown.WriteString(d) })
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeLLM || a.RemovedMarkers != 1 || shown.String() != a.Text || strings.Contains(a.Text, "[30]") {
		t.Errorf("got mode %s, %d removed, text %q shown as %q", a.Mode, a.RemovedMarkers, a.Text, shown.String())
	}
	checkCitations(t, a)
	reqs := fake.ChatRequests()
	user := reqs[0].Messages[len(reqs[0].Messages)-1].Content
	for _, c := range ix.Chunks(doc003)[:3] {
		if !strings.Contains(user, c.Text[:30]) {
			t.Errorf("summary prompt lacks chunk %s", c.ID)
		}
	}
	if strings.Contains(user, "Bletchley") || !strings.Contains(reqs[0].Messages[0].Content, "English") {
		t.Error("summary prompt holds another document or not the asked language")
	}
}

func TestModelSummaryOfTheCorpus(t *testing.T) {
	fake := llmtest.New(t)
	ix := testIndex(t)
	n := len(ix.Documents())
	for i := 0; i < n; i++ {
		fake.Reply(llmtest.Reply{Content: "Résumé du document [1]."})
	}
	fake.Reply(llmtest.Reply{Content: "Les articles parlent d'IA et de gouvernement [1][2]. Deux sommets sont évoqués [3][9]."})
	s := &Summarizer{Index: ix, LLM: newClient(t, fake, time.Second, &llmtest.Sleeps{})}
	a, err := s.Corpus(context.Background(), "fr", func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.ChatRequests()
	if len(reqs) != n+1 || !reqs[n].Stream {
		t.Fatalf("got %d requests, want %d document passes and a streamed synthesis", len(reqs), n+1)
	}
	synthesis := reqs[n].Messages[len(reqs[n].Messages)-1].Content
	if strings.Count(synthesis, "Résumé du document.") != n {
		t.Errorf("synthesis prompt should hold the %d summaries without their old markers:\n%s", n, synthesis)
	}
	if len(a.Sources) != 3 || a.Sources[2].DocID != ix.Documents()[2].ID || a.RemovedMarkers != 1 {
		t.Errorf("got sources %+v (%d removed), want documents 1-3 cited and [9] removed", a.Sources, a.RemovedMarkers)
	}
	checkCitations(t, a)
}

func TestSummaryFallsBackWhenTheModelFails(t *testing.T) {
	fake := llmtest.New(t)
	fake.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Reply{Status: 503} })
	s := &Summarizer{Index: testIndex(t), LLM: newClient(t, fake, time.Second, &llmtest.Sleeps{})}
	a, err := s.Corpus(context.Background(), "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != ModeExtractive || !strings.Contains(a.Notice, "unavailable") || len(a.Sources) == 0 {
		t.Errorf("got mode %s, notice %q, want extracted sentences and a notice", a.Mode, a.Notice)
	}
}

// vanishing lists one more document than it has chunks for: what a live
// index shows when a re-index removes a document between two reads.
type vanishing struct{ Library }

func (v vanishing) Documents() []retrieval.DocInfo {
	return append(v.Library.Documents(), retrieval.DocInfo{ID: "gone", Title: "Gone", Chunks: 3})
}

func TestSummaryOfADocumentRemovedMidway(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Résumé [1]."})
	ix := vanishing{testIndex(t)}
	for _, s := range []*Summarizer{{Index: ix}, {Index: ix, LLM: newClient(t, fake, time.Second, &llmtest.Sleeps{})}} {
		if _, err := s.Document(context.Background(), "gone", "fr", nil); !errors.Is(err, ErrUnknownDocument) {
			t.Errorf("model %v: got %v, want ErrUnknownDocument", s.LLM != nil, err)
		}
	}
	a, err := (&Summarizer{Index: ix}).Corpus(context.Background(), "fr", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range a.Sources {
		if src.DocID == "gone" {
			t.Errorf("got a source from the removed document: %+v", src)
		}
	}
	if len(a.Sources) == 0 {
		t.Error("got no sources, want the remaining documents summarised")
	}
}
