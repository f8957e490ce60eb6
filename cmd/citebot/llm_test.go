package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/citebot/citebot/llm/llmtest"
	"github.com/citebot/citebot/retrieval"
)

// llmEnv configures citebot for the fake API, with no retry waits.
func llmEnv(fake *llmtest.Server) map[string]string {
	return map[string]string{"OPENAI_BASE_URL": fake.URL, "OPENAI_API_KEY": "sk-test", "CITEBOT_CHAT_MODEL": "test-chat",
		"CITEBOT_EMBED_MODEL": "local", "CITEBOT_LLM_ATTEMPTS": "1"}
}

var firstPassage = regexp.MustCompile(`(?s)<passage n="1"[^>]*>\n(.*?)\n</passage>`)

// scriptedModel answers like a careful model would, from the request
// alone: a rewrite echoes the question; an answer quotes the first
// sentence of passage 1, cites it, and adds an invalid marker that the
// citation check must remove.
func scriptedModel(req llmtest.ChatRequest) llmtest.Reply {
	system, user := req.Messages[0].Content, req.Messages[len(req.Messages)-1].Content
	if strings.Contains(system, "TRANSLATION:") {
		q := lastMessage(user)
		return llmtest.Reply{Content: "QUERY: " + q + "\nTRANSLATION: " + q}
	}
	m := firstPassage.FindStringSubmatch(user)
	if m == nil {
		return llmtest.Reply{Content: "NOT_FOUND"}
	}
	sentence, _, _ := strings.Cut(m[1], ". ")
	return llmtest.Reply{Content: strings.TrimSuffix(sentence, ".") + " [1]. Et un détail [99]."}
}

// lastMessage is the text of the <message> element of a rewrite prompt.
func lastMessage(user string) string {
	_, after, _ := strings.Cut(user, "<message>")
	msg, _, _ := strings.Cut(after, "</message>")
	return strings.TrimSpace(msg)
}

func TestAskWithModelStreamsCheckedAnswer(t *testing.T) {
	fake := llmtest.New(t)
	fake.SetDefault(scriptedModel)
	out, stderr, code := cli(t, llmEnv(fake), "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
	if code != 0 {
		t.Fatalf("got exit %d (%s)", code, stderr)
	}
	if !strings.Contains(out, "[1]") || strings.Contains(out, "[99]") || !strings.Contains(out, "Sources :") {
		t.Errorf("got %q, want the answer with [1] only, then the sources", out)
	}
	if n := len(fake.ChatRequests()); n != 1 || !fake.ChatRequests()[0].Stream {
		t.Errorf("got %d requests, want one streamed answer", n)
	}
}

func TestAskWithUnreachableModelFallsBack(t *testing.T) {
	closed := httptest.NewServer(nil)
	closed.Close()
	env := map[string]string{"OPENAI_BASE_URL": closed.URL + "/v1", "CITEBOT_CHAT_MODEL": "test-chat", "CITEBOT_EMBED_MODEL": "local", "CITEBOT_LLM_ATTEMPTS": "1"}
	out, stderr, code := cli(t, env, "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
	if code != 0 || !strings.Contains(out, "indisponible") || !strings.Contains(out, "[1]") {
		t.Errorf("got exit %d, %q (%s); want extracted passages and a one-line notice", code, out, stderr)
	}
	if strings.Contains(out+stderr, "goroutine") {
		t.Error("got a stack trace")
	}
}

// A stream that breaks after some text leaves that text on screen; the
// extracted passages that replace it come after a line saying the text
// above is abandoned (issue: it read as if it were the answer).
func TestAskCutOffMidStreamShowsExtractsBelow(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(llmtest.Reply{Content: "Le Royaume-Uni a signé un partenariat stratégique avec OpenAI pour la sécurité [1].", BreakAfter: 2})
	out, _, code := cli(t, llmEnv(fake), "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
	// Trailing spaces are held back in case an invalid marker follows.
	partial := strings.TrimSpace(strings.Join(llmtest.Chunks("Le Royaume-Uni a signé un partenariat stratégique avec OpenAI pour la sécurité [1].")[:2], ""))
	if code != 0 || !strings.HasPrefix(out, partial+"\n\n"+abandonedLabel("fr")+"\n\nExtraits des documents") || !strings.Contains(out, "indisponible") {
		t.Errorf("got exit %d and %q; want the cut-off text, the abandoned line, then the extracts and a note", code, out)
	}
}

func TestChatRewritesFollowUps(t *testing.T) {
	fake := llmtest.New(t)
	fake.Reply(
		llmtest.Reply{Content: "OpenAI a levé 40 milliards de dollars [1]."},
		llmtest.Reply{Content: "QUERY: Quelle valorisation OpenAI a-t-elle atteinte en mars ?\nTRANSLATION: Quelle valorisation OpenAI a-t-elle atteinte en mars ?"},
		llmtest.Reply{Content: "Une valorisation de 300 milliards [1]."},
	)
	input := "Combien d'argent OpenAI a-t-elle levé en mars ?\net quelle valorisation ?\n"
	var out, errOut bytes.Buffer
	vars := llmEnv(fake)
	vars["CITEBOT_DATA_DIR"] = t.TempDir()
	err := runWithInput(context.Background(), []string{"chat"}, strings.NewReader(input), &out, &errOut, func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("got %v (%s)", err, errOut.String())
	}
	reqs := fake.ChatRequests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want answer, rewrite, answer", len(reqs))
	}
	if !strings.Contains(reqs[1].Messages[len(reqs[1].Messages)-1].Content, "Combien d'argent OpenAI") {
		t.Error("the rewrite prompt lacks the first question")
	}
	if !strings.Contains(out.String(), "40 milliards") || !strings.Contains(out.String(), "300 milliards") {
		t.Errorf("got %q, want both answers", out.String())
	}
}

func TestSummaryCommand(t *testing.T) {
	out, stderr, code := cli(t, nil, "summary", "003_691bfcd5bcfc0655")
	if code != 0 || !strings.Contains(out, "Résumé") || !strings.Contains(out, "003_691bfcd5bcfc0655") {
		t.Errorf("got exit %d, %q (%s), want an offline summary with sources", code, out, stderr)
	}
	_, stderr, code = cli(t, nil, "summary", "nope")
	if code != 2 || !strings.Contains(stderr, `unknown document "nope"`) {
		t.Errorf("got exit %d, %q, want a usage error naming the document", code, stderr)
	}
	fake := llmtest.New(t)
	fake.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Reply{Content: "A summary [1]."} })
	out, _, code = cli(t, llmEnv(fake), "summary", "--lang", "en", "--json")
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil || code != 0 {
		t.Fatalf("got exit %d, %v", code, err)
	}
	if a.Mode != "llm" || len(fake.ChatRequests()) != 6 || len(a.Sources) != 1 {
		t.Errorf("got mode %s after %d requests with %d sources, want 5 document passes and a synthesis", a.Mode, len(fake.ChatRequests()), len(a.Sources))
	}
}

// TestLLMModeEval runs the evaluation end to end in LLM mode against the
// scripted model: retrieval, prompt, stream, citation check. CI runs it
// verbosely to print the metrics.
func TestLLMModeEval(t *testing.T) {
	// The repository's own sets, so that any clone runs this.
	const devSet = "../../eval/testdata/dev.jsonl"
	for _, set := range []string{devSet, "../../eval/testdata/heldout.jsonl"} {
		t.Run(set, func(t *testing.T) {
			fake := llmtest.New(t)
			fake.SetDefault(scriptedModel)
			out, stderr, code := cli(t, llmEnv(fake), "eval", "--json", set)
			var r map[string]any
			if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
				t.Fatalf("got exit %d (%s), %v", code, stderr, err)
			}
			t.Logf("%s: mode %v hit@5 %.3f fact_recall %.3f citation_validity %.3f refusal_accuracy %.3f false_refusals %.3f",
				set, r["mode"], r["hit_at_5"], r["fact_recall"], r["citation_validity"], r["refusal_accuracy"], r["false_refusals"])
			if r["mode"] != "llm" || r["citation_validity"] != 1.0 || r["hit_at_5"].(float64) < 0.9 {
				t.Errorf("got %v, want llm mode, valid citations and hit@5 ≥ 0.9", r)
			}
			// The evidence gate refuses before any model call, as offline.
			if set == devSet && r["refusal_accuracy"] != 1.0 {
				t.Errorf("got refusal accuracy %v on the dev set, want 1", r["refusal_accuracy"])
			}
			if len(fake.ChatRequests()) == 0 {
				t.Error("got no chat request: the eval did not use the model")
			}
		})
	}
}

// TestIndexReportsFallbackEmbedder checks that when the embedding API
// fails and the index is built with the built-in embedder instead, `index`
// names the embedder that actually built it, not the one configured.
func TestIndexReportsFallbackEmbedder(t *testing.T) {
	fake := llmtest.New(t)
	fake.ReplyEmbeddings(llmtest.EmbedReply{Status: http.StatusUnauthorized})
	env := llmEnv(fake)
	env["CITEBOT_EMBED_MODEL"] = "test-embed"
	out, stderr, code := cli(t, env, "index", "--json")
	var got indexOut
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 0 {
		t.Fatalf("got exit %d (%s), %v", code, stderr, err)
	}
	if len(fake.EmbeddingCalls()) == 0 {
		t.Fatal("got no embeddings request: the API embedder was not tried")
	}
	if want := retrieval.NewHashed().Fingerprint(); got.Embedder != want {
		t.Errorf("got embedder %q, want the built-in %q it fell back to", got.Embedder, want)
	}
}

// CITEBOT_ANSWER_DEADLINE reaches the answerer: a hung model gives the
// passages with the deadline notice, not minutes of waiting.
func TestAnswerDeadlineFromTheEnvironment(t *testing.T) {
	fake := llmtest.New(t)
	fake.SetDefault(func(llmtest.ChatRequest) llmtest.Reply { return llmtest.Reply{Block: true} })
	env := llmEnv(fake)
	env["CITEBOT_LLM_TIMEOUT"] = "1h"
	env["CITEBOT_ANSWER_DEADLINE"] = "50ms"
	out, stderr, code := cli(t, env, "ask", "Quel partenariat le Royaume-Uni a-t-il signé avec OpenAI ?")
	if code != 0 || !strings.Contains(out, "a mis trop de temps") || !strings.Contains(out, "[1]") {
		t.Errorf("got exit %d, %q (%s); want cited passages and the deadline notice", code, out, stderr)
	}
}
