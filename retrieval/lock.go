package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Writers of one index directory take an advisory lock on a file in it, so
// that two of them (two `citebot index`, or the bot's /reindex and a CLI
// run) never sweep each other's temporary and data files. Readers take no
// lock: a manifest names an immutable data file, and old data files are
// deleted only under the lock, after the new manifest is in place (see
// loadPrevious for how a reader survives that deletion). The lock is
// released by the kernel when its holder dies, so a killed writer never
// leaves a stale lock behind.
const lockName = "lock"

// DefaultLockTimeout bounds how long a writer waits for another one. The
// lock is held while the other writer embeds what changed and saves: a
// few seconds for an incremental update, minutes for a first build of a
// large corpus through a remote API (100k chunks are about 1,600 requests
// of 64 texts). Ten minutes covers that; a writer that holds the lock
// longer is more likely stuck, and waiting forever would hide it.
const DefaultLockTimeout = 10 * time.Minute

// lockPoll is how often a waiting writer tries the lock again: flock
// cannot be given a deadline, and a blocked flock call cannot be
// interrupted by a context.
const lockPoll = 50 * time.Millisecond

// ErrBusy reports that another process kept the index directory locked
// for longer than Options.LockTimeout.
var ErrBusy = errors.New("another citebot is writing the index")

// dirLock is a held lock on an index directory.
type dirLock struct{ f *os.File }

// lockDir takes the writer's lock of dir, creating dir if needed. When
// another process holds it, onWait (if set) is told who, once, and the
// lock is tried again until timeout; then the error wraps ErrBusy.
func lockDir(ctx context.Context, dir string, timeout time.Duration, onWait func(holder string)) (*dirLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := waitLock(ctx, f, dir, timeout, onWait); err != nil {
		f.Close()
		return nil, err
	}
	// Who holds the lock, for the message of the next writer that waits.
	if f.Truncate(0) == nil {
		f.WriteAt(fmt.Appendf(nil, "pid %d\n", os.Getpid()), 0)
	}
	return &dirLock{f: f}, nil
}

func waitLock(ctx context.Context, f *os.File, dir string, timeout time.Duration, onWait func(holder string)) error {
	ok, err := tryLock(f)
	if ok || err != nil {
		return err
	}
	holder := lockHolder(f)
	if onWait != nil {
		onWait(holder)
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("%w in %s (%s) and still is after %v; try again when it is done", ErrBusy, dir, holder, timeout)
		case <-tick.C:
			if ok, err := tryLock(f); ok || err != nil {
				return err
			}
		}
	}
}

// lockHolder reads what the holder wrote in the lock file ("pid N").
func lockHolder(f *os.File) string {
	b, _ := io.ReadAll(io.NewSectionReader(f, 0, 64))
	if h := strings.TrimSpace(string(b)); h != "" {
		return h
	}
	return "unknown process"
}

// unlock releases the lock; closing the file is what releases it.
func (l *dirLock) unlock() {
	l.f.Truncate(0)
	l.f.Close()
}
