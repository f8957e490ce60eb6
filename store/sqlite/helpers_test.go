package sqlite

import (
	"github.com/citebot/citebot/internal/logbuf"
	"io"
	"log/slog"
)

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// syncBuffer is a log sink the goroutines a test starts can share.
type syncBuffer = logbuf.Buffer
