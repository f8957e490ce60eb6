package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Chart size: 960×432 pixels at the renderer's 96 dots per inch, wide
// enough for 90 days of bars, and within Discord's inline image preview.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 4.5 * vg.Inch
)

// outcomeSeries are the stacked layers of the chart, bottom up.
var outcomeSeries = []struct {
	label string
	color color.Color
	value func(Day) int
}{
	{"answered", color.RGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}, func(d Day) int { return d.Answered }},
	{"declined before the model", color.RGBA{R: 0xf0, G: 0xa2, B: 0x02, A: 0xff}, func(d Day) int { return d.DeclinedGate }},
	{"declined by the model", color.RGBA{R: 0xd9, G: 0x5f, B: 0x0e, A: 0xff}, func(d Day) int { return d.DeclinedModel }},
	{"failed", color.RGBA{R: 0xb2, G: 0x22, B: 0x22, A: 0xff}, func(d Day) int { return d.Failed }},
}

// Chart draws the questions per day, stacked by outcome, as a PNG.
func Chart(st Stats) ([]byte, error) {
	if len(st.Days) == 0 {
		return nil, fmt.Errorf("chart: no days")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Questions per day, %s to %s (%d)", st.Days[0].Date, st.Days[len(st.Days)-1].Date, st.Questions)
	p.Y.Label.Text = "questions"
	p.Y.Min = 0
	p.Y.Tick.Marker = plot.TickerFunc(wholeTicks)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())

	// Bars fill three quarters of each day's slot of the plotting area.
	width := (chartWidth - vg.Inch) / vg.Length(len(st.Days)) * 3 / 4
	var below *plotter.BarChart
	for _, s := range outcomeSeries {
		values := make(plotter.Values, len(st.Days))
		for i, d := range st.Days {
			values[i] = float64(s.value(d))
		}
		bars, err := plotter.NewBarChart(values, width)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		bars.Color = s.color
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(s.label, bars)
	}
	p.NominalX(dayLabels(st.Days)...)
	if top := maxDay(st.Days); top > 0 {
		p.Y.Max = float64(top) * 1.25 // room for the legend
	} else {
		p.Y.Max = 1
	}

	w, err := p.WriterTo(chartWidth, chartHeight, "png")
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

// dayLabels names the days under the bars (month-day), every few days
// when there are too many to read.
func dayLabels(days []Day) []string {
	every := max(1, (len(days)+14)/15)
	out := make([]string, len(days))
	for i, d := range days {
		if (len(days)-1-i)%every == 0 { // always label the last day
			out[i] = d.Date[5:]
		}
	}
	return out
}

// wholeTicks labels only the whole numbers among the default ticks:
// questions come whole.
func wholeTicks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			if t.Value == math.Trunc(t.Value) {
				ticks[i].Label = strconv.FormatFloat(t.Value, 'f', 0, 64)
			} else {
				ticks[i].Label = ""
			}
		}
	}
	return ticks
}

func maxDay(days []Day) int {
	top := 0
	for _, d := range days {
		top = max(top, d.Total())
	}
	return top
}
