package retrieval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/citebot/citebot/corpus"
)

// These tests kill a real index writer — a child process running this test
// binary's TestHelperWriter — while it saves, and check that the next Open
// never sees a partial index. The child says "saving" on stdout as soon as
// the last embedding batch is done (Options.Progress), which is the moment
// before the save starts; the parent then watches the directory for the
// file that marks the chosen kill point and sends SIGKILL.

const (
	crashHelperEnv = "CITEBOT_CRASH_HELPER"
	crashDirEnv    = "CITEBOT_CRASH_DIR"
	crashDocsEnv   = "CITEBOT_CRASH_DOCS"
	crashExtraEnv  = "CITEBOT_CRASH_EXTRA"
	crashSaving    = "citebot-crash-helper: saving"

	// crashDocs documents of crashChunking make about 2,000 chunks: an
	// export of a few megabytes, long enough to be caught mid-write.
	crashDocs = 170
)

var crashChunking = corpus.ChunkOptions{MaxChars: 80, OverlapSentences: 0}

// crashMinClustered makes the crash corpus a clustered index, so that the
// crash tests cover the lists and centroids being written too.
const crashMinClustered = 500

var crashWords = []string{
	"gouvernement", "données", "partenariat", "ministère", "algorithme",
	"université", "entreprise", "régulation", "calcul", "sécurité",
	"recherche", "industrie", "énergie", "santé", "éducation", "défense",
}

// crashCorpus generates n documents (plus one more when extra is set) of a
// dozen short French sentences each, every one naming its document so a
// search can tell which document answered.
func crashCorpus(t testing.TB, n int, extra bool) []corpus.Document {
	t.Helper()
	names := make([]int, 0, n+1)
	for i := range n {
		names = append(names, i)
	}
	if extra {
		names = append(names, n)
	}
	docs := make([]corpus.Document, 0, len(names))
	for _, i := range names {
		var b strings.Builder
		for s := range 12 {
			w1 := crashWords[(i+s)%len(crashWords)]
			w2 := crashWords[(i*7+s*3)%len(crashWords)]
			fmt.Fprintf(&b, "Le dossier %d traite du %s et de la %s numéro %d. ", i, w1, w2, s)
		}
		d, err := corpus.Parse(fmt.Sprintf("doc%04d.txt", i), []byte(b.String()))
		if err != nil {
			t.Fatalf("parse generated document %d: %v", i, err)
		}
		docs = append(docs, d)
	}
	return docs
}

func openCrashIndex(t *testing.T, dir string, docs []corpus.Document) (*Index, Stats, string) {
	t.Helper()
	return openCrashIndexMin(t, dir, docs, crashMinClustered)
}

// openCrashIndexMin is openCrashIndex clustered from minClustered chunks
// (0: the default, which leaves the crash corpus one collection).
func openCrashIndexMin(t *testing.T, dir string, docs []corpus.Document, minClustered int) (*Index, Stats, string) {
	t.Helper()
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ix, st, err := Open(context.Background(), docs, Options{Dir: dir, Logger: log, Chunking: crashChunking, MinClustered: minClustered})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return ix, st, logs.String()
}

// TestHelperWriter is the child process of the crash tests; it does nothing
// in a normal run. It opens (and so saves) an index over the generated
// corpus, then waits on stdin so that only the parent's kill ends it.
func TestHelperWriter(t *testing.T) {
	if os.Getenv(crashHelperEnv) != "1" {
		t.Skip("helper process for the crash tests")
	}
	n, err := strconv.Atoi(os.Getenv(crashDocsEnv))
	if err != nil {
		t.Fatalf("bad %s: %v", crashDocsEnv, err)
	}
	docs := crashCorpus(t, n, os.Getenv(crashExtraEnv) == "1")
	progress := func(done, total int) {
		if done == total {
			fmt.Fprintln(os.Stdout, crashSaving)
		}
	}
	_, _, err = Open(context.Background(), docs, Options{Dir: os.Getenv(crashDirEnv), Chunking: crashChunking, Progress: progress, MinClustered: crashMinClustered})
	fmt.Fprintln(os.Stdout, "citebot-crash-helper: saved", err)
	io.Copy(io.Discard, os.Stdin) // block until the parent kills us
}

// killPoint decides, from the directory listing, whether the writer has
// reached the moment to kill it.
type killPoint func(files []os.DirEntry, oldData string) bool

// firstTmp fires as soon as any temporary file exists: the data file
// has begun.
func firstTmp(files []os.DirEntry, _ string) bool {
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".tmp") {
			return true
		}
	}
	return false
}

// dataWritten fires once the data file's temporary file holds some bytes
// but has not been renamed: it is written through a 1 MiB buffer, so a
// kill here usually leaves a torn file.
func dataWritten(files []os.DirEntry, _ string) bool {
	for _, f := range files {
		if !strings.HasPrefix(f.Name(), dataPrefix) || !strings.HasSuffix(f.Name(), ".tmp") {
			continue
		}
		if info, err := f.Info(); err == nil && info.Size() > 0 {
			return true
		}
	}
	return false
}

// dataRenamed fires once a new data file is in place (or the
// manifest's temporary file exists, which only happens after that rename):
// the window between the data file's and the manifest's renames.
func dataRenamed(files []os.DirEntry, oldData string) bool {
	for _, f := range files {
		n := f.Name()
		newVectors := strings.HasPrefix(n, dataPrefix) && strings.HasSuffix(n, ".bin") && n != oldData
		if newVectors || strings.HasPrefix(n, manifestName+".") {
			return true
		}
	}
	return false
}

// crashWriter runs the helper on dir and kills it at point. It returns
// false when the helper finished saving before the point was seen.
func crashWriter(t *testing.T, dir string, extra bool, oldData string, point killPoint) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"=1", crashDirEnv+"="+dir,
		crashDocsEnv+"="+strconv.Itoa(crashDocs), crashExtraEnv+"="+boolEnv(extra))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	// An os.Pipe of our own rather than StdoutPipe: Wait must not close the
	// reader while the scanner below may still be reading it.
	stdout, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	err = cmd.Start()
	w.Close() // the child holds its own copy; EOF comes when it dies
	if err != nil {
		t.Fatalf("start helper: %v", err)
	}
	stop := make(chan struct{})
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		close(stop)
	}()

	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-stop:
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if !waitLine(ctx, lines, crashSaving) {
		t.Fatal("the helper never reported that it started saving")
	}
	tick := time.NewTicker(100 * time.Microsecond)
	defer tick.Stop()
	for {
		files, err := os.ReadDir(dir)
		if err != nil && !os.IsNotExist(err) {
			t.Fatalf("read %s: %v", dir, err)
		}
		if point(files, oldData) {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill helper: %v", err)
			}
			return true // the deferred Wait reaps it before anyone reads dir
		}
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the helper exited before it was killed")
			}
			if strings.HasPrefix(line, "citebot-crash-helper: saved") {
				return false
			}
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal("the kill point never appeared")
		}
	}
}

func boolEnv(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func waitLine(ctx context.Context, lines <-chan string, want string) bool {
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return false
			}
			if line == want {
				return true
			}
		case <-ctx.Done():
			return false
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("read %s: %v", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func skipWithoutExec(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("kills child processes; skipped in -short mode")
	}
	switch runtime.GOOS {
	case "js", "wasip1", "ios", "android":
		t.Skipf("cannot run a child process on %s", runtime.GOOS)
	}
}

// crashOutcome is what the kill left on disk, for the log.
type crashOutcome struct {
	tmp, data int
	manifest  string // the data file the manifest names, "" if none
}

func inspect(t *testing.T, dir string) crashOutcome {
	t.Helper()
	var o crashOutcome
	for _, n := range listDir(t, dir) {
		switch {
		case strings.HasSuffix(n, ".tmp"):
			o.tmp++
		case strings.HasPrefix(n, dataPrefix):
			o.data++
		}
	}
	if m, err := readManifest(dir); err == nil {
		o.manifest = m.Data
	}
	return o
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	for _, n := range listDir(t, from) {
		b, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// assertCleanAfterSave checks that a save left only the manifest and the
// one data file it names: no temporary file, no orphan data file.
func assertCleanAfterSave(t *testing.T, dir string) {
	t.Helper()
	o := inspect(t, dir)
	if o.tmp != 0 || o.data != 1 || o.manifest == "" {
		t.Errorf("got %d temporary and %d data files (manifest names %q) after the next save, want 0 and 1", o.tmp, o.data, o.manifest)
	}
}

func assertWholeIndex(t *testing.T, ix *Index, docs []corpus.Document, clustered bool) {
	t.Helper()
	want := 0
	for _, d := range docs {
		want += len(corpus.ChunkDocument(d, crashChunking))
	}
	if ix.Len() != want || len(ix.Documents()) != len(docs) {
		t.Errorf("got %d chunks of %d documents, want %d of %d", ix.Len(), len(ix.Documents()), want, len(docs))
	}
	if clustered != (ix.Lists() > 0) {
		t.Errorf("got %d lists for %d chunks, want clustered: %v", ix.Lists(), ix.Len(), clustered)
	}
	rs, err := ix.Search(context.Background(), "dossier 17 gouvernement", 3)
	if err != nil || len(rs) == 0 {
		t.Errorf("got %d results, err %v, want the reloaded index to answer", len(rs), err)
	}
}

var crashPoints = []struct {
	name  string
	point killPoint
	// tries bounds the attempts at a point that a fast writer can outrun.
	tries int
}{
	{"first temporary file", firstTmp, 3},
	{"data written, not renamed", dataWritten, 5},
	{"data renamed, manifest not yet", dataRenamed, 8},
}

// killAt runs the writer, over a copy of golden (an empty directory when
// golden is ""), and kills it at point, trying up to tries times until the
// kill leaves the manifest naming oldData ("" for none); it skips the test
// when the writer always finished first. It returns the directory.
func killAt(t *testing.T, point killPoint, tries int, golden, oldData string) string {
	t.Helper()
	for try := 1; try <= tries; try++ {
		dir := t.TempDir()
		if golden != "" {
			copyDir(t, golden, dir)
		}
		start := time.Now()
		killed := crashWriter(t, dir, golden != "", oldData, point)
		o := inspect(t, dir)
		t.Logf("try %d: killed=%v after %v; left %d temporary, %d data files; manifest names %q",
			try, killed, time.Since(start), o.tmp, o.data, o.manifest)
		if killed && o.manifest == oldData {
			return dir
		}
	}
	t.Skipf("the writer finished before the kill in %d tries; this kill point was not reached", tries)
	return ""
}

func TestCrashDuringSaveKeepsPreviousIndex(t *testing.T) {
	skipWithoutExec(t)
	original := crashCorpus(t, crashDocs, false)
	golden := t.TempDir()
	start := time.Now()
	_, st, _ := openCrashIndex(t, golden, original)
	prev, err := readManifest(golden)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built the previous index (%d chunks, %.1f MB of index data) in %v", st.Embedded, float64(prev.Size)/(1<<20), time.Since(start))
	for _, tc := range crashPoints {
		t.Run(tc.name, func(t *testing.T) {
			dir := killAt(t, tc.point, tc.tries, golden, prev.Data)
			ix, st, logs := openCrashIndex(t, dir, original)
			if !st.Loaded || st.Embedded != 0 || st.Removed != 0 {
				t.Errorf("got %+v, want the previous index loaded with nothing re-embedded or removed", st)
			}
			if strings.Contains(logs, "level=WARN") {
				t.Errorf("got warnings %q, want a clean load of the previous index", logs)
			}
			assertWholeIndex(t, ix, original, true)

			// The next save sweeps what the killed writer left behind.
			_, st, _ = openCrashIndex(t, dir, crashCorpus(t, crashDocs, true))
			if !st.Saved {
				t.Fatalf("got %+v, want the changed corpus saved", st)
			}
			assertCleanAfterSave(t, dir)
		})
	}
}

func TestCrashDuringFirstSaveRebuilds(t *testing.T) {
	skipWithoutExec(t)
	original := crashCorpus(t, crashDocs, false)
	for _, tc := range crashPoints {
		t.Run(tc.name, func(t *testing.T) {
			dir := killAt(t, tc.point, tc.tries, "", "")
			ix, st, _ := openCrashIndex(t, dir, original)
			if st.Loaded || st.Rebuilt == "" || st.Embedded != ix.Len() || !st.Saved {
				t.Errorf("got %+v, want a full rebuild, saved", st)
			}
			assertWholeIndex(t, ix, original, true)
			assertCleanAfterSave(t, dir)
		})
	}
}
