package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/citebot/citebot/sources"
)

type feedOut struct {
	URL      string    `json:"url"`
	Title    string    `json:"title,omitempty"`
	Kind     string    `json:"kind"`
	Items    int       `json:"items"`
	AddedAt  time.Time `json:"added_at"`
	SyncedAt time.Time `json:"synced_at,omitzero"`
	Status   string    `json:"status,omitempty"`
}

func feedJSON(f sources.FeedInfo, status string) feedOut {
	return feedOut{URL: f.URL, Title: f.Title, Kind: f.Kind, Items: len(f.Items), AddedAt: f.AddedAt, SyncedAt: f.SyncedAt, Status: status}
}

// runFeed dispatches citebot feed add|list|remove.
func runFeed(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, "Usage: citebot feed add URL | feed list | feed remove URL")
		if len(args) == 0 {
			return usagef("feed needs add, list or remove")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	e.name = "feed " + sub
	fs, delay := e.sourceFlags("URL")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case sub == "list" && len(rest) == 0:
		return listFeeds(ctx, e)
	case (sub == "add" || sub == "remove") && len(rest) == 1:
	case sub == "add" || sub == "remove" || sub == "list":
		return usagef("usage: citebot feed add URL | feed list | feed remove URL")
	default:
		return usagef("unknown feed command %q (add, list, remove)", sub)
	}
	reg, err := e.registry(*delay)
	if err != nil {
		return err
	}
	if sub == "remove" {
		f, err := reg.RemoveFeed(ctx, rest[0])
		if err != nil {
			return err
		}
		return printFeed(e, feedJSON(f, "removed"), "No longer following %s; its %d articles stay (citebot remove ID drops one).\n")
	}
	res, err := reg.AddFeed(ctx, rest[0])
	if err != nil {
		return err
	}
	if res.Status == sources.StatusUnchanged {
		return printFeed(e, feedJSON(res.FeedInfo, "unchanged"), "Already following %s (%d articles).\n")
	}
	return printFeed(e, feedJSON(res.FeedInfo, "added"), "Following %s: %d articles. Run 'citebot sync' to fetch them.\n")
}

func printFeed(e *env, f feedOut, format string) error {
	if e.jsonOut {
		return writeJSON(e.stdout, f)
	}
	_, err := fmt.Fprintf(e.stdout, format, f.URL, f.Items)
	return err
}

func listFeeds(ctx context.Context, e *env) error {
	reg, err := e.registry(-1)
	if err != nil {
		return err
	}
	list, err := reg.Feeds(ctx)
	if err != nil {
		return err
	}
	if e.jsonOut {
		out := make([]feedOut, 0, len(list))
		for _, f := range list {
			out = append(out, feedJSON(f, ""))
		}
		return writeJSON(e.stdout, out)
	}
	if len(list) == 0 {
		_, err := fmt.Fprintln(e.stdout, "No feed followed. Add one with 'citebot feed add URL'.")
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "URL\tKIND\tITEMS\tSYNCED\tTITLE")
	for _, f := range list {
		synced := "never"
		if !f.SyncedAt.IsZero() {
			synced = f.SyncedAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", f.URL, f.Kind, len(f.Items), synced, shorten(f.Title, 40))
	}
	return tw.Flush()
}
