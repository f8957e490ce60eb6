// Package store is what citebot remembers beyond one question: the
// question log (the source of coverage gaps and usage figures), votes,
// conversations in threads, the answers behind the buttons, settings per
// Discord server and the knowledge bases. The bot and the CLI use the
// Store interface only; store/sqlite keeps it in one SQLite file in the
// data directory (the default), Memory keeps it in the process (the
// fallback when that file cannot be used), and the scale-out work may put
// it on a shared engine.
//
// Writes that happen while a member waits for an answer (Log, Vote,
// StartThread, AddTurn, PutAnswer) are asynchronous: they return at once
// and never block answering; an implementation queues them, bounded, and
// counts what it had to drop. Flush waits for the queue. Reads and the
// moderator's writes (SetSettings, Forget, Prune, CreateKB) are
// synchronous and return errors.
package store

import (
	"context"
	"errors"
	"time"
)

// Outcome is what became of a question.
type Outcome string

const (
	Answered      Outcome = "answered"       // answered with citations
	DeclinedGate  Outcome = "declined_gate"  // declined before the model ran (no evidence)
	DeclinedModel Outcome = "declined_model" // the answerer ran and said the articles do not hold it
	Failed        Outcome = "failed"         // an error, a timeout, an abandoned answer
)

// Question is one logged question.
type Question struct {
	ID        int64 // set by the store
	Time      time.Time
	Guild     string // Discord server ID; "" for the CLI
	Channel   string
	User      string // Discord user ID; "" for the CLI
	AnswerKey string // the key the answer's buttons carry (its message or interaction ID)
	KB        string // knowledge base that answered; "" = default
	Question  string
	Lang      string // "fr" or "en"
	Outcome   Outcome
	Cited     []string                 // document IDs cited
	Stages    map[string]time.Duration // e.g. "retrieve", "generate", "total"
	Tokens    int                      // model tokens spent, 0 offline
}

// Vote is one 👍/👎 on one answer.
type Vote struct {
	Time      time.Time
	Guild     string
	User      string
	AnswerKey string
	Vote      string // "up" or "down"
	Question  string
	Answer    string
	Sources   []string // cited chunk or document IDs
	Mode      string
	Known     bool // false: only the message's text was left to record
}

// Turn is one question and its answer in a conversation. User (who
// asked) is optional; when set, /forget-me and export reach the turn.
type Turn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
	User     string `json:"user,omitempty"`
}

// KeptAnswer is what the buttons under an answer need of it.
type KeptAnswer struct {
	Time     time.Time
	Guild    string
	User     string // who asked, so that /forget-me reaches it
	Question string
	Text     string
	Mode     string
	Sources  []string // cited chunk IDs
	Passages []KeptPassage
}

// KeptPassage is a passage by reference, read again from the index when
// the Sources button is clicked.
type KeptPassage struct {
	ChunkID, DocID, Title string
	Sum                   uint64 // FNV-1a of the chunk's text when answered
	Fused, Vector, BM25   float64
}

// Settings are one Discord server's choices; a zero field means "not
// set here", and the bot then uses its .env default. Stored as a whole.
type Settings struct {
	Channels      []string `json:"channels,omitempty"`        // watched channels (every message is a question)
	ChannelsSet   bool     `json:"channels_set,omitempty"`    // true: Channels replaces the default even when empty
	ReplyStyle    string   `json:"reply_style,omitempty"`     // "thread" or "inplace"
	Language      string   `json:"language,omitempty"`        // "asker", "fr" or "en"
	RatePerMinute int      `json:"rate_per_minute,omitempty"` // per member
	KB            string   `json:"kb,omitempty"`              // knowledge base; "" = default
}

// KB is a knowledge base: one corpus and its own index, kept in
// <data dir>/kb/<Name>. The built-in articles (or CITEBOT_CORPUS) are the
// knowledge base named DefaultKB, kept in the data directory itself.
type KB struct {
	Name    string
	Corpus  string // directory of articles
	Created time.Time
}

// DefaultKB names the knowledge base every server uses unless told.
const DefaultKB = "default"

// UserData is everything stored about one user (citebot export).
type UserData struct {
	User      string       `json:"user"`
	Questions []Question   `json:"questions"`
	Votes     []Vote       `json:"votes"`
	Answers   []KeptAnswer `json:"answers"`
	Turns     []Turn       `json:"turns,omitempty"` // thread turns the user asked
}

// Filter selects log records: since a time, in a server ("" = all).
type Filter struct {
	Since time.Time
	Guild string
}

// ErrNotFound is returned for a knowledge base or record that does not exist.
var ErrNotFound = errors.New("not found")

// Store is everything citebot remembers.
type Store interface {
	// Asynchronous writes (see the package comment).
	Log(q Question)
	AddVote(v Vote)
	StartThread(threadID string)
	AddTurn(threadID string, t Turn)
	PutAnswer(key string, a KeptAnswer)
	// Flush waits until every write queued before it is stored.
	Flush(ctx context.Context) error

	// Thread says whether the bot started the thread, and its last turns
	// (oldest first, at most max).
	Thread(ctx context.Context, threadID string, max int) (owned bool, turns []Turn, err error)
	Answer(ctx context.Context, key string) (KeptAnswer, bool, error)

	Questions(ctx context.Context, f Filter) ([]Question, error)
	Votes(ctx context.Context, f Filter) ([]Vote, error)

	Settings(ctx context.Context, guild string) (Settings, error)
	SetSettings(ctx context.Context, guild string, s Settings) error

	CreateKB(ctx context.Context, kb KB) error
	KBs(ctx context.Context) ([]KB, error)

	// Forget deletes everything stored about user and says how many
	// records went; Export returns it; Prune deletes question records
	// (and the answers and votes about them) older than before.
	Forget(ctx context.Context, user string) (int, error)
	Export(ctx context.Context, user string) (UserData, error)
	Prune(ctx context.Context, before time.Time) (int, error)

	// Health is nil when writes are being stored, else why not (shown by
	// /healthz and logged).
	Health() error
	Close() error
}
