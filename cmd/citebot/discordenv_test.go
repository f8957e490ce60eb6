package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/citebot/citebot/retrieval"
)

// discordKeeper is what `citebot discord` builds before it connects: its
// environment read from vars, the index opened in the data directory they
// name, and a keeper serving it (without the sources registry: see
// withRegistry).
func discordKeeper(t *testing.T, vars map[string]string, stderr io.Writer) (*env, *indexKeeper) {
	t.Helper()
	if stderr == nil {
		stderr = &bytes.Buffer{}
	}
	e := &env{stdout: &bytes.Buffer{}, stderr: stderr, getenv: func(k string) string { return vars[k] }, name: "discord"}
	if _, err := e.parse(e.flags(""), nil); err != nil {
		t.Fatal(err)
	}
	ix, _, err := e.openIndex(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e, &indexKeeper{e: e, live: retrieval.NewLive(ix)}
}

// withRegistry gives k the sources registry of its data directory, with
// hostDelay between two fetches from one host (as e.registry).
func withRegistry(t *testing.T, k *indexKeeper, hostDelay time.Duration) *indexKeeper {
	t.Helper()
	reg, err := k.e.registry(hostDelay)
	if err != nil {
		t.Fatal(err)
	}
	k.reg = reg
	return k
}
