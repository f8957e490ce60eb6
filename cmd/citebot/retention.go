package main

import (
	"strconv"
	"strings"
	"time"
)

// defaultRetention is how long question records are kept unless
// CITEBOT_RETENTION says otherwise.
const defaultRetention = 90 * 24 * time.Hour

// retention reads CITEBOT_RETENTION: how long the question log, votes,
// kept answers and conversations are kept — whole days ("90d") or a Go
// duration ("720h"); "0" keeps them for ever. Anything else is a usage
// error rather than a silent default, since it decides what is deleted.
func (e *env) retention() (time.Duration, error) {
	v := strings.TrimSpace(e.getenv("CITEBOT_RETENTION"))
	if v == "" {
		return defaultRetention, nil
	}
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		if n > 36_500 {
			n = -1
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d < 0 {
		return 0, usagef("CITEBOT_RETENTION must be a number of days such as 90d, a duration such as 720h, or 0 to keep everything, got %q", v)
	}
	return d, nil
}
