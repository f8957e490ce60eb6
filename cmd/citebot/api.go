package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/citebot/citebot/llm"
	"github.com/citebot/citebot/retrieval"
)

// Default models when the API is OpenAI itself and none is named.
const (
	defaultChatModel  = "gpt-4o-mini"
	defaultEmbedModel = "text-embedding-3-small"
)

// apiConfig is the OpenAI-compatible API configuration (contract names:
// docs/ARCHITECTURE.md).
type apiConfig struct {
	key, base, chatModel, embedModel, apiVersion string
	timeout                                      time.Duration
	attempts                                     int
	// answerDeadline bounds the model's part of one answer
	// (CITEBOT_ANSWER_DEADLINE); 0 means answer.DefaultDeadline.
	answerDeadline time.Duration
	// maxTokens bounds each answer or summary (CITEBOT_MAX_TOKENS); 0
	// means answer.DefaultMaxTokens.
	maxTokens int
}

// api returns the API configuration, read from the environment on first
// use (after flag parsing, which sets up the logger) so that its warnings
// are logged once however many parts of a command need it.
func (e *env) api() apiConfig {
	e.apiOnce.Do(func() { e.apiCfg = e.readAPI() })
	return e.apiCfg
}

func (e *env) readAPI() apiConfig {
	timeout, err := time.ParseDuration(e.getenv("CITEBOT_LLM_TIMEOUT"))
	if err != nil && e.getenv("CITEBOT_LLM_TIMEOUT") != "" {
		e.log.Warn("ignoring CITEBOT_LLM_TIMEOUT: want a duration such as 90s", "err", err)
	}
	attempts, err := strconv.Atoi(e.getenv("CITEBOT_LLM_ATTEMPTS"))
	if err != nil && e.getenv("CITEBOT_LLM_ATTEMPTS") != "" {
		e.log.Warn("ignoring CITEBOT_LLM_ATTEMPTS: want a whole number", "err", err)
	}
	deadline, err := time.ParseDuration(e.getenv("CITEBOT_ANSWER_DEADLINE"))
	if (err != nil || deadline <= 0) && e.getenv("CITEBOT_ANSWER_DEADLINE") != "" {
		e.log.Warn("ignoring CITEBOT_ANSWER_DEADLINE: want a positive duration such as 90s", "err", err)
		deadline = 0
	}
	maxTokens, err := strconv.Atoi(e.getenv("CITEBOT_MAX_TOKENS"))
	if (err != nil || maxTokens <= 0) && e.getenv("CITEBOT_MAX_TOKENS") != "" {
		e.log.Warn("ignoring CITEBOT_MAX_TOKENS: want a positive whole number", "err", err)
		maxTokens = 0
	}
	return apiConfig{
		answerDeadline: deadline,
		maxTokens:      maxTokens,
		timeout:        timeout,
		attempts:       attempts,
		key:            strings.TrimSpace(e.getenv("OPENAI_API_KEY")),
		base:           strings.TrimSpace(e.getenv("OPENAI_BASE_URL")),
		chatModel:      strings.TrimSpace(e.getenv("CITEBOT_CHAT_MODEL")),
		embedModel:     strings.TrimSpace(e.getenv("CITEBOT_EMBED_MODEL")),
		apiVersion:     strings.TrimSpace(e.getenv("OPENAI_API_VERSION")),
	}
}

// configured: a key or a base URL means an API is meant to be used;
// neither means offline.
func (c apiConfig) configured() bool { return c.key != "" || c.base != "" }

// azure recognises an Azure OpenAI endpoint, which needs its own headers.
func (c apiConfig) azure() bool {
	u, err := url.Parse(c.base)
	return err == nil && strings.HasSuffix(u.Hostname(), ".openai.azure.com")
}

// chatModelName is the chat model to use, or "" for offline answers: a
// local server has no default model, so one must be named there.
func (c apiConfig) chatModelName() string {
	switch {
	case !c.configured() || c.chatModel == "none" || c.chatModel == "local":
		return ""
	case c.chatModel != "":
		return c.chatModel
	case c.base == "":
		return defaultChatModel
	}
	return ""
}

func (c apiConfig) llmConfig() llm.Config {
	return llm.Config{APIKey: c.key, BaseURL: c.base, ChatModel: c.chatModelName(), EmbedModel: c.embedModel,
		Azure: c.azure(), APIVersion: c.apiVersion, Timeout: c.timeout, Retry: llm.RetryPolicy{MaxAttempts: c.attempts}}
}

// chat returns the language model client, or nil in offline mode. It is
// built once, so that the answerer and the summarizer of one command share
// it and a misconfiguration is reported once.
func (e *env) chat() (*llm.Client, error) {
	e.chatOnce.Do(func() { e.chatClient, e.chatErr = e.newChat() })
	return e.chatClient, e.chatErr
}

func (e *env) newChat() (*llm.Client, error) {
	c := e.api()
	if c.chatModelName() == "" {
		if c.configured() && c.chatModel == "" {
			e.log.Warn("OPENAI_BASE_URL is set but CITEBOT_CHAT_MODEL is not; answering offline", "base", c.base)
		}
		return nil, nil
	}
	client, err := llm.NewClient(c.llmConfig())
	if err != nil {
		return nil, fmt.Errorf("chat configuration: %w", err)
	}
	return client, nil
}

// embedder is the built-in hashed embedder unless an API is configured
// and CITEBOT_EMBED_MODEL is not "local".
func (e *env) embedder() (retrieval.Embedder, error) {
	c := e.api()
	if c.embedModel == "local" || !c.configured() {
		return retrieval.NewHashed(), nil
	}
	cfg := c.llmConfig()
	if cfg.EmbedModel == "" {
		cfg.EmbedModel = defaultEmbedModel
	}
	emb, err := llm.NewEmbedder(cfg)
	if err != nil {
		return nil, fmt.Errorf("embedding configuration: %w", err)
	}
	return emb, nil
}

func isLocal(emb retrieval.Embedder) bool {
	_, ok := emb.(*retrieval.Hashed)
	return ok
}
