package main

import (
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/citebot/citebot/store/sqlite"
)

// defaultRetention is how long question records are kept unless
// CITEBOT_RETENTION says otherwise.
const defaultRetention = 90 * 24 * time.Hour

// retention reads CITEBOT_RETENTION: how long question records, votes,
// kept answers and conversations are kept. It takes whole days ("90d") or
// a Go duration ("720h"); "0" keeps them for ever. Anything else is a
// usage error, not a silent default: it decides what is deleted.
func (e *env) retention() (time.Duration, error) {
	v := strings.TrimSpace(e.getenv("CITEBOT_RETENTION"))
	if v == "" {
		return defaultRetention, nil
	}
	d, err := time.ParseDuration(v)
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, aerr := strconv.Atoi(days)
		d, err = time.Duration(n)*24*time.Hour, aerr
		if n > 100*365 {
			err = errors.New("too long")
		}
	}
	if err != nil || d < 0 {
		return 0, usagef("CITEBOT_RETENTION must be a number of days such as 90d, a duration such as 720h, or 0 to keep everything, got %q", v)
	}
	return d, nil
}

// openStore opens the store in the data directory (citebot.db) and
// applies the retention to it first, so that nothing past it is shown or
// exported.
func (e *env) openStore(ctx context.Context) (*sqlite.Store, error) {
	keep, err := e.retention()
	if err != nil {
		return nil, err
	}
	dir := e.storeDir
	if dir == "" {
		dir = e.dataDir
	}
	s, err := sqlite.Open(filepath.Join(dir, sqlite.FileName), sqlite.WithLogger(e.log))
	if err != nil {
		return nil, err
	}
	if keep > 0 {
		if _, err := s.Prune(ctx, time.Now().Add(-keep)); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// storeFlags returns a flag set for the commands that read the store
// only (gaps, stats, export): -json, -v and -data-dir.
func (e *env) storeFlags(args string) *flag.FlagSet {
	fs := e.baseFlags(args, "print JSON")
	fs.StringVar(&e.dataDir, "data-dir", e.getenv("CITEBOT_DATA_DIR"), "where citebot.db is kept [CITEBOT_DATA_DIR] (default "+defaultDataDir(e.getenv)+")")
	return fs
}

// daysFlag registers --days, the period a report covers.
func daysFlag(fs *flag.FlagSet) *int {
	return fs.Int("days", 30, "the last N days, today included")
}
