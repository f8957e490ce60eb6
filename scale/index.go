package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/citebot/citebot/retrieval"
)

// The index is distributed through a JetStream object store: `citebot
// index --publish` uploads the files of the persisted index as one
// version (objects VERSION/FILE), then the object "current" naming that
// version and its files — last, so that a worker never sees a version
// that is not whole. Workers download the current version at start into
// a directory of its own, load it, and watch "current" for the next.

// transferTimeout bounds the upload or download of one index file. It
// must be given: nats.go bounds an object's whole Get or Put by its
// default API timeout (5 s) when the context has no deadline of its own,
// which a large index on a busy machine does not meet.
const transferTimeout = 30 * time.Minute

// currentObject names the published version.
const currentObject = "current"

// keptVersions is how many published versions the bucket keeps: the
// current one and the one before, which workers may still be downloading.
const keptVersions = 2

// published is the content of the current object.
type published struct {
	Version string    `json:"version"`
	Files   []string  `json:"files"` // data first, manifest last
	Time    time.Time `json:"time"`
}

func (c *Conn) indexStore(ctx context.Context) (jetstream.ObjectStore, error) {
	if obs, err := c.js.ObjectStore(ctx, indexBucket); err == nil {
		return obs, nil
	}
	obs, err := c.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: indexBucket, Description: "citebot's published index", Storage: jetstream.FileStorage, Replicas: c.opts.Replicas,
	})
	if errors.Is(err, jetstream.ErrBucketExists) {
		obs, err = c.js.ObjectStore(ctx, indexBucket)
	}
	if err != nil {
		return nil, fmt.Errorf("index bucket: %w", err)
	}
	return obs, nil
}

// PublishIndex uploads the persisted index in dir as one version and
// makes it current; it returns the version. An index already current is
// not uploaded again.
func (c *Conn) PublishIndex(ctx context.Context, dir string) (string, error) {
	obs, err := c.indexStore(ctx)
	if err != nil {
		return "", err
	}
	files, version, err := stableIndex(dir)
	if err != nil {
		return "", err
	}
	if cur, err := current(ctx, obs); err == nil && cur.Version == version {
		return version, nil
	}
	p := published{Version: version, Time: time.Now()}
	for _, f := range files {
		name := filepath.Base(f)
		if err := putFile(ctx, obs, version+"/"+name, f); err != nil {
			return "", err
		}
		p.Files = append(p.Files, name)
	}
	if _, err := obs.PutBytes(ctx, currentObject, encode(p)); err != nil {
		return "", fmt.Errorf("publish index %s: %w", version, err)
	}
	c.pruneVersions(ctx, obs)
	return version, nil
}

// stableIndex returns the files and version of the index in dir, read
// twice to make sure no writer replaced it in between.
func stableIndex(dir string) ([]string, string, error) {
	for range 5 {
		v1, err := retrieval.IndexVersion(dir)
		if err != nil {
			return nil, "", fmt.Errorf("index in %s: %w (run citebot index first)", dir, err)
		}
		files, err := retrieval.IndexFiles(dir)
		if err != nil {
			return nil, "", err
		}
		if v2, err := retrieval.IndexVersion(dir); err == nil && v1 == v2 {
			return files, v1, nil
		}
	}
	return nil, "", fmt.Errorf("index in %s keeps changing; publish it once its writer is done", dir)
}

func putFile(ctx context.Context, obs jetstream.ObjectStore, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(ctx, transferTimeout)
	defer cancel()
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name}, f); err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	return nil
}

// current reads the current object.
func current(ctx context.Context, obs jetstream.ObjectStore) (published, error) {
	var p published
	b, err := obs.GetBytes(ctx, currentObject)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil || p.Version == "" || len(p.Files) == 0 {
		return p, fmt.Errorf("the current index object is unreadable (%s)", b)
	}
	return p, nil
}

// pruneVersions deletes the objects of versions older than the last
// keptVersions.
func (c *Conn) pruneVersions(ctx context.Context, obs jetstream.ObjectStore) {
	infos, err := obs.List(ctx)
	if err != nil {
		return
	}
	newest := map[string]time.Time{}
	for _, o := range infos {
		if v, _, ok := strings.Cut(o.Name, "/"); ok && o.ModTime.After(newest[v]) {
			newest[v] = o.ModTime
		}
	}
	versions := make([]string, 0, len(newest))
	for v := range newest {
		versions = append(versions, v)
	}
	slices.SortFunc(versions, func(a, b string) int { return newest[b].Compare(newest[a]) })
	if len(versions) <= keptVersions {
		return
	}
	old := map[string]bool{}
	for _, v := range versions[keptVersions:] {
		old[v] = true
	}
	for _, o := range infos {
		if v, _, _ := strings.Cut(o.Name, "/"); old[v] {
			if err := obs.Delete(ctx, o.Name); err != nil {
				c.log.Warn("cannot delete an old index version", "object", o.Name, "err", err)
			}
		}
	}
}

// ErrNoIndex is returned by FollowIndex when no index was published yet.
var ErrNoIndex = errors.New("no index was published yet: run citebot index --publish")
