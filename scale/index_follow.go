package scale

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/nats-io/nats.go/jetstream"
)

// FollowIndex downloads the current published index into a directory of
// its own under into and calls use with it and its version, then does the
// same for every version published after, until ctx ends. It returns
// ErrNoIndex at once when nothing was published, and the error of the
// first use; later failures are logged and leave the previous version in
// use. Directories of versions older than the last two are deleted (an
// index still mapped from one keeps its pages).
func (c *Conn) FollowIndex(ctx context.Context, into string, use func(dir, version string) error) error {
	obs, err := c.indexStore(ctx)
	if err != nil {
		return err
	}
	w, err := obs.Watch(ctx, jetstream.UpdatesOnly())
	if err != nil {
		return fmt.Errorf("watch the published index: %w", err)
	}
	cur, err := current(ctx, obs)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		w.Stop()
		return ErrNoIndex
	}
	if err == nil {
		err = c.fetchAndUse(ctx, obs, into, cur, use)
	}
	if err != nil {
		w.Stop()
		return err
	}
	go func() {
		defer w.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case info := <-w.Updates():
				if info == nil || info.Name != currentObject || info.Deleted {
					continue
				}
				next, err := current(ctx, obs)
				if err == nil && next.Version != cur.Version {
					err = c.fetchAndUse(ctx, obs, into, next, use)
				}
				if err != nil {
					c.log.Error("cannot switch to the published index; keeping the one in use", "version", next.Version, "err", err)
					continue
				}
				cur = next
			}
		}
	}()
	return nil
}

// fetchAndUse downloads version p into into/VERSION (unless it is there
// already) and hands it to use.
func (c *Conn) fetchAndUse(ctx context.Context, obs jetstream.ObjectStore, into string, p published, use func(dir, version string) error) error {
	dir := filepath.Join(into, subjectToken(p.Version))
	if _, err := os.Stat(filepath.Join(dir, p.Files[len(p.Files)-1])); err != nil {
		if err := download(ctx, obs, into, dir, p); err != nil {
			return err
		}
	}
	c.log.Info("using the published index", "version", p.Version, "dir", dir)
	if err := use(dir, p.Version); err != nil {
		return fmt.Errorf("index %s: %w", p.Version, err)
	}
	removeOldVersions(into, dir)
	return nil
}

// download writes the files of p into a temporary directory renamed to
// dir once whole, so that a directory named for a version is complete.
func download(ctx context.Context, obs jetstream.ObjectStore, into, dir string, p published) error {
	if err := os.MkdirAll(into, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(into, ".download-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range p.Files {
		if err := getFile(ctx, obs, p.Version+"/"+f, filepath.Join(tmp, f)); err != nil {
			return fmt.Errorf("download %s/%s: %w", p.Version, f, err)
		}
	}
	os.RemoveAll(dir) // an incomplete one from an interrupted run
	return os.Rename(tmp, dir)
}

// getFile downloads one object within transferTimeout (see there).
func getFile(ctx context.Context, obs jetstream.ObjectStore, name, path string) error {
	ctx, cancel := context.WithTimeout(ctx, transferTimeout)
	defer cancel()
	return obs.GetFile(ctx, name, path)
}

// removeOldVersions deletes the version directories under into but the
// one in use and the newest other one.
func removeOldVersions(into, keep string) {
	entries, err := os.ReadDir(into)
	if err != nil {
		return
	}
	type dirAge struct {
		path string
		mod  int64
	}
	var others []dirAge
	for _, e := range entries {
		path := filepath.Join(into, e.Name())
		if info, err := e.Info(); err == nil && e.IsDir() && path != keep && e.Name()[0] != '.' {
			others = append(others, dirAge{path, info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(others, func(a, b dirAge) int { return cmp.Compare(b.mod, a.mod) })
	for i, d := range others {
		if i >= keptVersions-1 {
			os.RemoveAll(d.path)
		}
	}
}
