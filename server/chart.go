package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/baotinh/baotinh/index"
)

// chart is a line chart of a query's share of articles per period, one line
// per series (all sites, then each site), drawn as SVG on the server.
type chart struct {
	Title, Desc           string
	W, H                  int
	Left, Top, Right, Bot int
	YTicks, XTicks        []tick
	Lines                 []line
}

type tick struct {
	X, Y  float64
	Label string
}

type line struct {
	Name, Color, Dash string
	Runs              []string // <polyline> points of each run of periods that have articles
	Dots              []dot
	Legend            tick    // where its legend entry's line starts
	LegendEnd         float64 // where the line ends
	LegendText        float64 // where the name starts
}

type dot struct {
	X, Y  float64
	Label string // for a tooltip: period, share, counts
}

// palette holds colours that keep 3:1 contrast on white and differ for
// colour-blind readers; dashes tell the lines apart in print.
var palette = []struct{ color, dash string }{
	{"#1f4e79", ""}, {"#b5452b", "6 3"}, {"#2e7d32", "2 3"}, {"#6a3d9a", "8 3 2 3"}, {"#8a6d00", "4 4"},
}

func newChart(query string, names []string, series [][]index.Period) *chart {
	c := &chart{W: 760, H: 320, Left: 56, Top: 20, Right: 16, Bot: 48,
		Title: "Tỷ lệ bài viết khớp “" + query + "” theo kỳ"}
	n := 0
	if len(series) > 0 {
		n = len(series[0])
	}
	peak := 0.0
	for _, s := range series {
		for _, p := range s {
			peak = math.Max(peak, p.Ratio)
		}
	}
	top := niceCeil(peak)
	plotW := float64(c.W - c.Left - c.Right)
	plotH := float64(c.H - c.Top - c.Bot)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(c.Left) + plotW/2
		}
		return float64(c.Left) + plotW*float64(i)/float64(n-1)
	}
	y := func(r float64) float64 { return float64(c.Top) + plotH*(1-r/top) }
	for i := 0; i <= 4; i++ {
		r := top * float64(i) / 4
		c.YTicks = append(c.YTicks, tick{float64(c.Left), y(r), strconv.FormatFloat(r*100, 'f', decimals(top), 64) + "%"})
	}
	step := max(1, (n+7)/8)
	for i := 0; i < n; i += step {
		c.XTicks = append(c.XTicks, tick{x(i), float64(c.H - c.Bot + 18), series[0][i].Period})
	}
	var desc []string
	for k, s := range series {
		pal := palette[k%len(palette)]
		l := line{Name: names[k], Color: pal.color, Dash: pal.dash}
		// A period without any article of the paper is a gap, not a 0%:
		// there is nothing to measure attention in.
		var run []string
		best := index.Period{}
		for i, p := range s {
			if p.Total == 0 {
				if len(run) > 0 {
					l.Runs = append(l.Runs, strings.Join(run, " "))
					run = nil
				}
				continue
			}
			px, py := x(i), y(p.Ratio)
			run = append(run, fmt.Sprintf("%.1f,%.1f", px, py))
			l.Dots = append(l.Dots, dot{px, py, fmt.Sprintf("%s, %s: %.1f%% (%d/%d bài)", names[k], p.Period, p.Ratio*100, p.Matching, p.Total)})
			if p.Ratio > best.Ratio {
				best = p
			}
		}
		if len(run) > 0 {
			l.Runs = append(l.Runs, strings.Join(run, " "))
		}
		l.Legend = tick{X: float64(c.Left + 8 + 160*k), Y: float64(c.H - 10)}
		l.LegendEnd, l.LegendText = l.Legend.X+28, l.Legend.X+34
		c.Lines = append(c.Lines, l)
		if best.Total > 0 {
			desc = append(desc, fmt.Sprintf("%s: cao nhất %.1f%% vào %s", names[k], best.Ratio*100, best.Period))
		}
	}
	c.Desc = strings.Join(desc, "; ")
	if c.Desc == "" {
		c.Desc = "Không có bài viết nào khớp."
	}
	return c
}

// niceCeil rounds a share up to a round top for the y axis.
func niceCeil(r float64) float64 {
	if r <= 0 {
		return 0.01
	}
	for _, t := range []float64{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1} {
		if r <= t {
			return t
		}
	}
	return 1
}

func decimals(top float64) int {
	switch {
	case top < 0.01:
		return 2
	case top < 0.1:
		return 1
	}
	return 0
}
