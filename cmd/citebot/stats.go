package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/citebot/citebot/report"
)

// statsOut is citebot stats --json: the figures, and the chart's file
// when one was written.
type statsOut struct {
	report.Stats
	Chart string `json:"chart,omitempty"`
}

func runStats(ctx context.Context, e *env, args []string) error {
	fs := e.storeFlags("")
	days := daysFlag(fs)
	pngPath := fs.String("png", "", "also draw the questions per day, by outcome, in this PNG file")
	if err := e.parseNoArgs(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := statsOf(ctx, s, *days, "")
	if err != nil {
		return err
	}
	if *pngPath != "" {
		if err := writeChart(*pngPath, st); err != nil {
			return err
		}
	}
	if e.jsonOut {
		return writeJSON(e.stdout, statsOut{Stats: st, Chart: *pngPath})
	}
	if _, err := fmt.Fprint(e.stdout, report.Text(st)); err != nil {
		return err
	}
	if *pngPath != "" {
		_, err = fmt.Fprintf(e.stdout, "Chart: %s\n", *pngPath)
	}
	return err
}

// writeChart draws st into path through a temporary file, so that a
// failed run leaves no half-written image.
func writeChart(path string, st report.Stats) error {
	png, err := report.Chart(st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".citebot-chart-*.png")
	if err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(png); err != nil {
		tmp.Close()
		return fmt.Errorf("write chart: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	return nil
}
