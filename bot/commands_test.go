package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update rewrites the golden files: go test ./bot -run Golden -update.
// Review the diff by eye before keeping it: the files are what Discord
// registers and what /help shows.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestCommandsGolden pins the slash commands as Discord receives them, so
// a change to one command shows in review as a change to what members see.
func TestCommandsGolden(t *testing.T) {
	got, err := json.MarshalIndent(commands().defs(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "commands.golden.json", string(got)+"\n")
}

// TestHelpGolden pins /help as composed from the commands' usage lines.
func TestHelpGolden(t *testing.T) {
	for _, l := range []string{"en", "fr"} {
		t.Run(l, func(t *testing.T) {
			checkGolden(t, "help_"+l+".golden", say(l, "help", commands().usage(l), 4)+"\n")
		})
	}
}

// TestCommandNamesAreUnique checks the registry finds every command.
func TestCommandNamesAreUnique(t *testing.T) {
	s := commands()
	if len(s.byName) != len(s.list) {
		t.Errorf("got %d names for %d commands, want one each", len(s.byName), len(s.list))
	}
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}
