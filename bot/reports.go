package bot

import (
	"context"
	"time"
)

// Reports are what /gaps and /stats show a server's moderators, computed
// from the store's question log and votes; cmd/citebot adapts the report
// package to it. days is how far back to look; guild is the server.
type Reports interface {
	// Gaps are the questions declined or voted 👎, grouped so that one
	// question asked many ways shows once, most frequent first.
	Gaps(ctx context.Context, guild string, days int) ([]Gap, error)
	// Stats are the usage figures as text and as a chart (PNG).
	Stats(ctx context.Context, guild string, days int) (text string, png []byte, err error)
}

// Gap is one group of questions the articles did not answer.
type Gap struct {
	Example string    // one wording of it
	Count   int       // how often it was asked
	Last    time.Time // when it was last asked
}
