package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/corpus"
)

// These tests run several real index writers — child processes running
// this test binary's TestHelperConcurrentWriter — on one directory at
// once, as four `citebot index` (or the bot's /reindex and a CLI run) do.

const (
	writerHelperEnv = "CITEBOT_WRITER_HELPER"
	writerOpensEnv  = "CITEBOT_WRITER_OPENS"
	writerParityEnv = "CITEBOT_WRITER_PARITY"
	writerReport    = "citebot-writer:"

	// writerDocs documents make about 700 chunks: enough for saves to
	// overlap, small enough for several writers on two cores.
	writerDocs = 60
)

// TestHelperConcurrentWriter is the child process of the concurrency
// tests; it does nothing in a normal run. It waits for its stdin to close
// (the parent closes every child's at once, so that they start together),
// then opens the index of the generated corpus (writerDocs documents)
// CITEBOT_WRITER_OPENS times, with and without the extra document
// alternately (starting without it when CITEBOT_WRITER_PARITY is 0), and
// reports each outcome on stdout.
func TestHelperConcurrentWriter(t *testing.T) {
	if os.Getenv(writerHelperEnv) != "1" {
		t.Skip("helper process for the concurrency tests")
	}
	opens, err1 := strconv.Atoi(os.Getenv(writerOpensEnv))
	parity, err2 := strconv.Atoi(os.Getenv(writerParityEnv))
	if err := errors.Join(err1, err2); err != nil {
		t.Fatalf("bad helper environment: %v", err)
	}
	io.Copy(io.Discard, os.Stdin)
	for i := range opens {
		docs := crashCorpus(t, writerDocs, (parity+i)%2 == 1)
		_, st, err := Open(context.Background(), docs, Options{Dir: os.Getenv(crashDirEnv), Chunking: crashChunking})
		fmt.Printf("%s saved=%v loaded=%v embedded=%d err=%v\n", writerReport, st.Saved, st.Loaded, st.Embedded, err)
	}
}

// runWriters starts n writers on dir at once, each opening the index opens
// times (see TestHelperConcurrentWriter), every other one starting with
// the extra document when alternate is set, and returns a channel that
// receives their report lines, closed once they have all exited.
func runWriters(t *testing.T, dir string, n, opens int, alternate bool) <-chan string {
	t.Helper()
	reports := make(chan string, n*opens+n)
	var stdins []io.Closer
	var wg sync.WaitGroup
	for i := range n {
		parity := 0
		if alternate {
			parity = i % 2
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperConcurrentWriter$")
		cmd.Env = append(os.Environ(), writerHelperEnv+"=1", crashDirEnv+"="+dir,
			writerOpensEnv+"="+strconv.Itoa(opens), writerParityEnv+"="+strconv.Itoa(parity))
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatalf("start writer %d: %v", i, err)
		}
		stdins = append(stdins, stdin)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := cmd.Wait()
			sc := bufio.NewScanner(&out)
			for sc.Scan() {
				if line, ok := strings.CutPrefix(sc.Text(), writerReport+" "); ok {
					reports <- line
				}
			}
			if err != nil {
				reports <- fmt.Sprintf("writer %d: exit: %v", i, err)
			}
		}()
	}
	for _, s := range stdins {
		s.Close() // go
	}
	go func() {
		wg.Wait()
		close(reports)
	}()
	return reports
}

// assertCleanBuild checks that dir holds exactly the index a clean build
// of the same documents saves: the manifest names an existing data file,
// nothing else is left, it loads without a rebuild or warning, and its
// manifest and data are those of a build in an empty directory.
func assertCleanBuild(t *testing.T, dir string) {
	t.Helper()
	got, err := readManifest(dir)
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, got.Data)); err != nil {
		t.Fatalf("the manifest names %s: %v", got.Data, err)
	}
	assertCleanAfterSave(t, dir)
	docs := crashCorpus(t, writerDocs, len(got.Docs) > writerDocs)
	// One collection: a clustering carried through updates is not the one
	// a clean build trains, and this compares the files byte for byte.
	ix, st, logs := openCrashIndexMin(t, dir, docs, 0)
	if !st.Loaded || st.Embedded != 0 || st.Saved || strings.Contains(logs, "level=WARN") {
		t.Errorf("got %+v and logs %q, want a clean load", st, logs)
	}
	assertWholeIndex(t, ix, docs, false)
	clean := t.TempDir()
	openCrashIndexMin(t, clean, docs, 0)
	want, err := readManifest(clean)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Docs, got.Docs); diff != "" || want.Size != got.Size || want.CRC32C != got.CRC32C {
		t.Errorf("got %d bytes, CRC %08x, want %d bytes, CRC %08x of a clean build; documents (-want +got):\n%s",
			got.Size, got.CRC32C, want.Size, want.CRC32C, diff)
	}
}

func TestConcurrentWritersShareOneIndex(t *testing.T) {
	skipWithoutExec(t)
	// Before the lock, every writer saved, sweeping the others' files, and
	// the manifest named a deleted data file in most rounds.
	for round := range 2 {
		t.Run(fmt.Sprintf("round %d", round+1), func(t *testing.T) {
			dir := t.TempDir()
			var saved, loaded []string
			for line := range runWriters(t, dir, 4, 1, false) {
				switch {
				case !strings.HasSuffix(line, "err=<nil>"):
					t.Errorf("writer failed: %s", line)
				case strings.Contains(line, "saved=true"):
					saved = append(saved, line)
				case strings.Contains(line, "loaded=true embedded=0"):
					loaded = append(loaded, line)
				default:
					t.Errorf("got %s, want a save or a load", line)
				}
			}
			// One writer builds; the others wait for it and load its work.
			if len(saved) != 1 || len(loaded) != 3 {
				t.Errorf("got saves %q and loads %q, want one save and three loads", saved, loaded)
			}
			assertCleanBuild(t, dir)
		})
	}
}

// TestReadersDuringConcurrentSwaps reads the index over and over, without
// a lock, while writers replace it (each save adds or removes a
// document): every read must get a whole manifest and data pair.
func TestReadersDuringConcurrentSwaps(t *testing.T) {
	skipWithoutExec(t)
	dir := t.TempDir()
	openCrashIndexMin(t, dir, crashCorpus(t, writerDocs, false), 0)
	want := manifest{Embedder: NewHashed().Fingerprint(), Chunking: crashChunking}
	reports := runWriters(t, dir, 3, 6, true)
	reads, saves := 0, 0
	for done := false; !done; {
		select {
		case line, ok := <-reports:
			if !ok {
				done = true
				continue
			}
			if !strings.HasSuffix(line, "err=<nil>") {
				t.Errorf("writer failed: %s", line)
			}
			if strings.Contains(line, "saved=true") {
				saves++
			}
		default:
			var logs bytes.Buffer
			var st Stats
			prev := loadPrevious(dir, want, slog.New(slog.NewTextHandler(&logs, nil)), &st)
			reads++
			if !st.Loaded || prev.stored == nil || logs.Len() > 0 {
				t.Fatalf("read %d: got %+v and logs %q, want a whole index", reads, st, logs.String())
			}
		}
	}
	t.Logf("%d reads during %d saves", reads, saves)
	assertCleanBuild(t, dir)
}

// TestReaderOfASwappedManifestReadsTheNewPair replays the race the
// concurrent test above can only hope to hit: a reader has read the
// manifest, then a writer swaps in a new index and deletes the data file
// that manifest named. The reader must read the new pair, not declare the
// index corrupt (and rebuild it).
func TestReaderOfASwappedManifestReadsTheNewPair(t *testing.T) {
	dir := t.TempDir()
	open(t, dir, testDocs(t, baseTexts), NewHashed())
	old, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	open(t, dir, testDocs(t, withText("b.txt", "Un tout autre texte sur le cassoulet.")), NewHashed())
	if _, err := os.Stat(filepath.Join(dir, old.Data)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v for the old data file, want it deleted by the swap", err)
	}
	now, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var st Stats
	want := manifest{Embedder: NewHashed().Fingerprint(), Chunking: corpus.ChunkOptions{MaxChars: 80}}
	prev := loadFrom(dir, old, nil, want, slog.New(slog.NewTextHandler(&logs, nil)), &st)
	if !st.Loaded || prev.data != now.Data || logs.Len() > 0 {
		t.Errorf("got %+v reading %q, logs %q; want the new pair %q loaded", st, prev.data, logs.String(), now.Data)
	}
	if diff := cmp.Diff(now.Docs, prev.docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
}

// holdLock takes dir's lock as another writer would, until the test ends
// or release is called.
func holdLock(t *testing.T, dir string) (release func()) {
	t.Helper()
	l, err := lockDir(context.Background(), dir, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(l.unlock) }
	t.Cleanup(release)
	return release
}

func TestWriterWaitsThenUsesTheOtherWritersIndex(t *testing.T) {
	dir := t.TempDir()
	docs := testDocs(t, baseTexts)
	release := holdLock(t, dir)
	waiting := make(chan string, 1)
	type result struct {
		st  Stats
		err error
	}
	done := make(chan result, 1)
	chunking := crashChunking
	go func() {
		_, st, err := Open(context.Background(), docs, Options{Dir: dir, Chunking: chunking, OnWait: func(h string) { waiting <- h }})
		done <- result{st, err}
	}()
	select {
	case holder := <-waiting:
		if holder != fmt.Sprintf("pid %d", os.Getpid()) {
			t.Errorf("got holder %q, want pid %d", holder, os.Getpid())
		}
	case r := <-done:
		t.Fatalf("got %+v, %v without a wait, want Open to wait for the lock", r.st, r.err)
	}
	// While the waiter waits, the holder saves the same corpus.
	ix, _, err := Open(context.Background(), docs, Options{Chunking: chunking})
	if err != nil {
		t.Fatal(err)
	}
	var srcs []source
	for i := range docs {
		srcs = append(srcs, source{doc: &docs[i]})
	}
	lay := resolve(srcs, previous{}, chunking, &Stats{})
	m := manifest{Version: manifestVersion, Embedder: NewHashed().Fingerprint(), Chunking: chunking, Corpus: corpus.Version, Docs: lay.manifestDocs()}
	s := &stored{dim: ix.dim, rows: ix.Len(), vecs: ix.vecs, lex: ix.lex, docs: lay.storedDocs()}
	if err := save(dir, m, s, 1); err != nil {
		t.Fatal(err)
	}
	release()
	r := <-done
	if r.err != nil || r.st.Saved || !r.st.Loaded || r.st.Embedded != 0 {
		t.Errorf("got %+v, %v; want the other writer's index loaded, nothing embedded or saved", r.st, r.err)
	}
}

func TestWriterGivesUpOnAHeldLock(t *testing.T) {
	dir := t.TempDir()
	docs := testDocs(t, baseTexts)
	holdLock(t, dir)
	waits := 0
	_, _, err := Open(context.Background(), docs, Options{Dir: dir, LockTimeout: time.Millisecond, OnWait: func(string) { waits++ }})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("got %v, want ErrBusy naming the directory and the holder", err)
	}
	if waits != 1 {
		t.Errorf("got %d wait notices, want 1", waits)
	}
	if _, err := readManifest(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got manifest error %v, want nothing saved", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, _, err = Open(ctx, docs, Options{Dir: dir, OnWait: func(string) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want the caller's cancellation to end the wait", err)
	}
}

// TestReaderNeedsNoLock checks that an index with nothing to update loads
// while a writer holds the lock, without waiting.
func TestReaderNeedsNoLock(t *testing.T) {
	dir := t.TempDir()
	docs := testDocs(t, baseTexts)
	if _, _, err := Open(context.Background(), docs, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	holdLock(t, dir)
	_, st, err := Open(context.Background(), docs, Options{Dir: dir, OnWait: func(string) { t.Error("a reader waited for the lock") }})
	if err != nil || !st.Loaded {
		t.Errorf("got %+v, %v, want a load", st, err)
	}
}
