package scale

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/bench"
	"github.com/citebot/citebot/retrieval"
)

// TestPartitionedRetrieval measures questions whose lists are held by 1,
// 2 and 4 citebot worker processes (--partitions-held), asked from this
// process, against this process holding every list: p50/p95 of a search
// and the resident memory of each holder. It builds the citebot binary
// and a synthetic corpus of CITEBOT_PARTITION_CHUNKS chunks (default
// 100,000), and only runs when asked (BENCHMARKS.md):
//
//	CITEBOT_SCALE_BENCH=1 go test ./scale -run TestPartitionedRetrieval -v -timeout 60m
func TestPartitionedRetrieval(t *testing.T) {
	if os.Getenv("CITEBOT_SCALE_BENCH") == "" {
		t.Skip("a measurement, not a test: set CITEBOT_SCALE_BENCH=1")
	}
	chunks := 100_000
	if n, err := strconv.Atoi(os.Getenv("CITEBOT_PARTITION_CHUNKS")); err == nil && n > 0 {
		chunks = n
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "citebot")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/citebot/citebot/cmd/citebot").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	corpusDir := filepath.Join(tmp, "corpus")
	if _, err := bench.WriteCorpus(corpusDir, chunks, 1); err != nil {
		t.Fatal(err)
	}
	srv := server(t)
	base := []string{"CITEBOT_CORPUS=" + corpusDir, "CITEBOT_NATS_URL=" + srv.URL(), "DISCORD_TOKEN=bench", "HOME=" + tmp}
	started := time.Now()
	idx := exec.CommandContext(ctx, bin, "index", "--publish", "--json")
	idx.Env = append(base, "CITEBOT_DATA_DIR="+filepath.Join(tmp, "publisher"))
	if out, err := idx.CombinedOutput(); err != nil {
		t.Fatalf("index --publish: %v\n%s", err, out)
	}
	t.Logf("indexed and published %d chunks in %v", chunks, time.Since(started).Round(time.Second))

	c := connect(t, srv.URL(), Options{})
	dir := filepath.Join(tmp, "asker")
	var version string
	if err := c.FollowIndex(ctx, dir, func(_, v string) error { version = v; return nil }); err != nil {
		t.Fatal(err)
	}
	idxDir := filepath.Join(dir, subjectToken(version))
	whole, err := retrieval.Load(ctx, idxDir, retrieval.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	questions := bench.Questions(200, 5)
	p50, p95 := timeSearches(ctx, t, whole, questions)
	t.Logf("lists %d, nprobe %d", whole.Lists(), whole.NProbe())
	t.Logf("%-28s p50 %-10v p95 %-10v", "one process, every list", p50, p95)
	asker, err := retrieval.Load(ctx, idxDir, retrieval.LoadOptions{Held: func(int) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := c.NewScatter(ctx, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	for _, n := range []int{1, 2, 4} {
		pids := startHolders(ctx, t, bin, base, tmp, n, whole.Lists())
		waitHolders(ctx, t, sc, version, whole.Lists())
		p50, p95 := timeSearches(ctx, t, asker.WithRemoteLists(sc.Remote(version)), questions)
		var mem []string
		for _, pid := range pids {
			mem = append(mem, rss(pid))
		}
		t.Logf("%-28s p50 %-10v p95 %-10v holders' resident memory: %s", fmt.Sprintf("%d holder processes", n), p50, p95, strings.Join(mem, ", "))
		stopHolders(t, pids)
	}
}

// timeSearches runs every question once (after one warm-up pass over the
// first ten) and returns the p50 and p95 of a search.
func timeSearches(ctx context.Context, t *testing.T, ix *retrieval.Index, questions []string) (time.Duration, time.Duration) {
	t.Helper()
	for _, q := range questions[:10] {
		ix.Search(ctx, q, 8)
	}
	var took []time.Duration
	for _, q := range questions {
		start := time.Now()
		if _, err := ix.Search(ctx, q, 8); err != nil {
			t.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	return took[len(took)/2].Round(100 * time.Microsecond), took[len(took)*95/100].Round(100 * time.Microsecond)
}

// startHolders runs n citebot workers, worker i holding an equal range of
// the k lists, each with a data directory of its own.
func startHolders(ctx context.Context, t *testing.T, bin string, base []string, tmp string, n, k int) []*exec.Cmd {
	t.Helper()
	var cmds []*exec.Cmd
	for i := range n {
		lo, hi := i*k/n, (i+1)*k/n-1
		cmd := exec.CommandContext(ctx, bin, "worker", "--partitions-held", fmt.Sprintf("%d-%d", lo, hi))
		data := filepath.Join(tmp, fmt.Sprintf("holder-%d-of-%d", i, n))
		cmd.Env = append(base, "CITEBOT_DATA_DIR="+data)
		cmd.Stderr = &lockedLog{t: t, prefix: fmt.Sprintf("holder %d of %d: ", i, n)}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// waitHolders waits until every list of version has a live holder.
func waitHolders(ctx context.Context, t *testing.T, sc *Scatter, version string, k int) {
	t.Helper()
	all := make([]int, k)
	for i := range all {
		all[i] = i
	}
	for {
		if _, missing := sc.assign(version, all); len(missing) == 0 {
			return
		}
		if !sleep(ctx, 200*time.Millisecond) {
			t.Fatal("the holders never announced every list")
		}
	}
}

func stopHolders(t *testing.T, cmds []*exec.Cmd) {
	for _, c := range cmds {
		c.Process.Signal(os.Interrupt)
	}
	for _, c := range cmds {
		c.Wait()
	}
}

// rss reads a process's resident memory: anonymous (the Go heap and
// stacks) and file-backed (the pages of the mapped index it touched).
func rss(c *exec.Cmd) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.Process.Pid))
	if err != nil {
		return "?"
	}
	var anon, file string
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			anon = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "RssFile:"); ok {
			file = strings.TrimSpace(v)
		}
	}
	return "anon " + anon + " + file " + file
}

// lockedLog passes a holder's error output to the test log.
type lockedLog struct {
	t      *testing.T
	prefix string
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.t.Log(l.prefix + strings.TrimSpace(string(p)))
	return len(p), nil
}
