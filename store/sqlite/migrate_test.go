package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citebot/citebot/store"
)

// fixtures are the schema versions there is a testdata/v<N>.sql of: every
// version but the latest needs one, and the latest has one too, frozen
// when it was released.
func fixtures(t *testing.T) []int {
	t.Helper()
	var out []int
	for v := 1; v <= len(migrations); v++ {
		if _, err := os.Stat(fixturePath(v)); err != nil {
			t.Fatalf("schema version %d has no fixture: %v", v, err)
		}
		out = append(out, v)
	}
	return out
}

func fixturePath(v int) string { return filepath.Join("testdata", fmt.Sprintf("v%d.sql", v)) }

// fromFixture writes a database file from testdata/v<v>.sql, as a citebot
// of that version left it.
func fromFixture(t *testing.T, v int) string {
	t.Helper()
	text, err := os.ReadFile(fixturePath(v))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), FileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(text)); err != nil {
		t.Fatalf("load %s: %v", fixturePath(v), err)
	}
	return path
}

func TestOpenFromEveryEarlierVersion(t *testing.T) {
	for _, v := range fixtures(t) {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			s, err := Open(fromFixture(t, v))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			checkFixtureRecords(t, s)
			// And the upgraded file takes new records.
			s.Log(store.Question{Question: "nouvelle", Outcome: store.Answered})
			flush(t, s)
			if qs, err := s.Questions(context.Background(), store.Filter{}); err != nil || len(qs) != 2 {
				t.Errorf("after a new question: got %d questions, %v, want 2", len(qs), err)
			}
		})
	}
}

// checkFixtureRecords checks that the records every fixture holds are read back.
func checkFixtureRecords(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	qs, err := s.Questions(ctx, store.Filter{})
	if err != nil || len(qs) != 1 || qs[0].Outcome != store.Answered || qs[0].Stages["total"].Seconds() != 1.25 {
		t.Errorf("Questions: got %+v, %v, want the fixture's answered question of 1.25 s", qs, err)
	}
	if vs, err := s.Votes(ctx, store.Filter{}); err != nil || len(vs) != 1 || vs[0].Vote != "down" {
		t.Errorf("Votes: got %+v, %v, want the fixture's 👎", vs, err)
	}
	if owned, turns, err := s.Thread(ctx, "t1", 10); err != nil || !owned || len(turns) != 1 {
		t.Errorf("Thread(t1): got %v, %+v, %v, want the fixture's thread", owned, turns, err)
	}
	if a, ok, err := s.Answer(ctx, "m1"); err != nil || !ok || len(a.Passages) != 1 || a.Passages[0].Sum != 42 {
		t.Errorf("Answer(m1): got %+v, %v, %v, want the fixture's answer", a, ok, err)
	}
	if set, err := s.Settings(ctx, "g1"); err != nil || set.ReplyStyle != "inplace" || set.RatePerMinute != 5 {
		t.Errorf("Settings(g1): got %+v, %v, want the fixture's", set, err)
	}
	if kbs, err := s.KBs(ctx); err != nil || len(kbs) != 1 || kbs[0].Name != "jeux" {
		t.Errorf("KBs: got %+v, %v, want the fixture's", kbs, err)
	}
}

// schemaOf lists the tables and indexes of the database at path as SQL
// with its spacing normalised.
func schemaOf(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	list, err := collect(rows, func(r *sql.Rows) (s string, err error) { return s, r.Scan(&s) })
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range list {
		list[i] = strings.Join(strings.Fields(s), " ")
	}
	return list
}

// A released migration must not change: the latest fixture and a new
// file migrated by the code must have the same schema.
func TestNewFileMatchesLatestFixture(t *testing.T) {
	s := openTest(t)
	s.Close()
	want := schemaOf(t, fromFixture(t, len(migrations)))
	if diff := cmp.Diff(want, schemaOf(t, s.Path())); diff != "" {
		t.Errorf("schema of a new file (-fixture +new):\n%s", diff)
	}
}

// The migration machinery on a step this build does not have yet: an
// extra version applied over the latest fixture keeps the records.
func TestMigrateAddsAVersion(t *testing.T) {
	path := fromFixture(t, len(migrations))
	steps := append(append([]string(nil), migrations...), `ALTER TABLE questions ADD COLUMN extra TEXT NOT NULL DEFAULT ''`)
	s, err := Open(path, func(o *options) { o.steps = steps })
	if err != nil {
		t.Fatalf("Open with an extra step: %v", err)
	}
	checkFixtureRecords(t, s)
	s.Close()
	// That file is now from a newer citebot than this one.
	_, err = Open(path)
	if !errors.Is(err, ErrNewer) {
		t.Errorf("Open of a newer file: got %v, want %v", err, ErrNewer)
	}
}

// Two programs opening a new file at once: the second finds the schema
// made, not half made.
func TestConcurrentOpenOfANewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(path)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
}
