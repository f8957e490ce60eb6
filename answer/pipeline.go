package answer

import "context"

// Pipeline answers question given the earlier turns of a conversation,
// streaming the text to onDelta when it is set. It is the one shape every
// front end (CLI, Discord, eval) calls; New builds it from a Config.
type Pipeline func(ctx context.Context, question string, history []Turn, onDelta func(string)) (Answer, error)

// MaxTurns bounds the conversation history a follow-up is answered with:
// older turns rarely matter and cost tokens. Front ends keep at most this
// many turns.
const MaxTurns = 6
