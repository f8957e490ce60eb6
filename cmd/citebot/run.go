package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// usageError marks errors caused by how citebot was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// command is one subcommand: its name, its one-line help and what it does.
type command struct {
	name, args, help string
	run              func(ctx context.Context, env *env, args []string) error
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"ask", "QUESTION...", "answer a question with citations (streams with an LLM)", runAsk},
		{"chat", "", "a conversation: follow-up questions understood in context", runChat},
		{"search", "QUERY...", "top passages with their fused, vector and BM25 scores", runSearch},
		{"summary", "[DOC_ID]", "summary of one document, or of the whole corpus", runSummary},
		{"sources", "", "the indexed documents", runSources},
		{"index", "", "build or refresh the persisted index", runIndex},
		{"add", "URL|FILE...", "add articles from the web or local files (.html, .md, .txt, .pdf)", runAdd},
		{"feed", "add|list|remove", "follow RSS/Atom feeds and sitemaps", runFeed},
		{"sync", "", "fetch what is new or changed in followed feeds and added pages", runSync},
		{"remove", "DOC_ID", "remove an added document for good", runRemove},
		{"eval", "FILE.jsonl", "run an evaluation set and print its metrics", runEval},
		{"gaps", "", "declined and downvoted questions, grouped (-days N)", runGaps},
		{"stats", "", "usage figures, and a chart (-days N, -png FILE)", runStats},
		{"export", "--user ID", "what is stored about one user, as JSON", runExport},
		{"forget", "--user ID", "delete what is stored about one user", runForget},
		{"kb", "create|list", "knowledge bases: one corpus and index each", runKB},
		{"discord", "", "run the Discord bot (DISCORD_TOKEN)", runDiscord},
		{"worker", "", "with CITEBOT_NATS_URL: answer the questions a gateway queued", runWorker},
		{"bench", "", "measure indexing, load, query speed and memory at scale", runBench},
	}
}

// lookup finds the command called name.
func lookup(name string) (command, bool) {
	cmds := commands()
	i := slices.IndexFunc(cmds, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return cmds[i], true
}

// run executes citebot with args (without the program name). getenv reads
// configuration, so tests pass their own environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return runWithInput(ctx, args, os.Stdin, stdout, stderr, getenv)
}

// runWithInput is run with the input that chat reads from.
func runWithInput(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("missing command")
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		printUsage(stdout)
		return nil
	}
	cmd, ok := lookup(name)
	if !ok {
		printUsage(stderr)
		return usagef("unknown command %q", name)
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, name: name}
	err := cmd.run(ctx, e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h printed the command's usage
	}
	return err
}

func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: citebot COMMAND [flags] [ARGS]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %-15s %s\n", c.name, c.args, c.help)
	}
	b.WriteString("\nRun 'citebot COMMAND -h' for the flags of a command.\n")
	io.WriteString(w, b.String())
}

// exitCode maps run's error to the exit status of the CLI contract
// (docs/ARCHITECTURE.md) and prints it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "citebot: %v\n", err)
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}
