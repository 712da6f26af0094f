package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
)

// benchWriteSVG draws the report as a horizontal bar chart of the time one
// operation takes, minitls and stdlib side by side for each row, on a log
// scale: RSA and AES-GCM differ by orders of magnitude, which a linear axis
// would flatten into one visible bar. Time per operation (rather than
// throughput) puts every row, MB/s or op/s, on the same axis.
//
// Each measured figure is exactly one <rect> with data-op, data-impl and
// data-ns-per-op attributes (and a <title> tooltip); no other element
// carries data-* attributes, so a program can read the numbers back.
func benchWriteSVG(w io.Writer, rep *benchReport) {
	const (
		width    = 1020
		labelX   = 12  // left edge of the row labels
		plotX0   = 380 // left edge of the bars
		plotW    = 470
		top      = 110 // first row
		rowH     = 26
		barH     = 9
		groupGap = 12
	)
	colors := [2]string{"#e66101", "#5e3c99"}

	// Log-scale domain in whole decades of nanoseconds.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Results {
		for _, ns := range []float64{r.Minitls.NsPerOp, r.Stdlib.NsPerOp} {
			lo, hi = math.Min(lo, math.Log10(ns)), math.Max(hi, math.Log10(ns))
		}
	}
	if len(rep.Results) == 0 {
		lo, hi = 0, 1
	}
	lo, hi = math.Floor(lo), math.Ceil(hi)
	if hi <= lo {
		hi = lo + 1
	}
	xOf := func(ns float64) float64 { return plotX0 + (math.Log10(ns)-lo)/(hi-lo)*plotW }

	// Row positions, with a gap between groups.
	ys := make([]float64, len(rep.Results))
	y := float64(top)
	for i, r := range rep.Results {
		if i > 0 && r.Group != rep.Results[i-1].Group {
			y += groupGap
		}
		ys[i] = y
		y += rowH
	}
	plotBottom := y + 4
	height := int(plotBottom) + 56

	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\" font-size=\"12\">\n", width, height, width, height)
	fmt.Fprintf(&b, "<title>minitls bench: time per operation, minitls and Go's standard library</title>\n")
	fmt.Fprintf(&b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height)
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"26\" font-size=\"17\" font-weight=\"bold\">What does it cost? Time per operation, minitls and Go's standard library</text>\n", labelX)
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"46\" fill=\"#444\">%s</text>\n", labelX,
		esc(fmt.Sprintf("CPU: %s · Go %s %s/%s · %s run, median of %d rounds · log scale: each grid line is 10× · shorter is faster",
			rep.CPU, rep.GoVersion, rep.GOOS, rep.GOARCH, rep.Mode, rep.Rounds)))
	if benchHaveThreadCPU {
		fmt.Fprintf(&b, "<text x=\"%d\" y=\"%d\" fill=\"#444\">Bars: CPU time per operation; the loopback rows (handshakes, bulk transfer) are elapsed time for client and server together.</text>\n", labelX, 92)
	}
	// Legend.
	for i := range benchImplNames {
		x := labelX + i*300
		fmt.Fprintf(&b, "<rect x=\"%d\" y=\"60\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", x, colors[i])
		what := "minitls (this project)"
		if rep.AESPath != "" {
			what = fmt.Sprintf("minitls (this project; AES on its %s path)", rep.AESPath)
		}
		if i == 1 {
			what = "stdlib (crypto/aes, crypto/rsa, crypto/tls)"
		}
		fmt.Fprintf(&b, "<text x=\"%d\" y=\"72\">%s</text>\n", x+20, esc(what))
	}

	// Decade grid lines and tick labels.
	for d := lo; d <= hi; d++ {
		x := xOf(math.Pow(10, d))
		fmt.Fprintf(&b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n", x, top-6, x, plotBottom)
		fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">%s</text>\n", x, plotBottom+16, benchDecade(int(d)))
	}
	fmt.Fprintf(&b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888888\"/>\n", plotX0, plotBottom, plotX0+plotW, plotBottom)
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">time per operation (log scale)</text>\n", plotX0+plotW/2, plotBottom+36)
	fmt.Fprintf(&b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\" fill=\"#444\">operation</text>\n",
		labelX-2, (float64(top)+plotBottom)/2, labelX-2, (float64(top)+plotBottom)/2)

	// Bars. An indented row (a server's CPU time, a portable-path twin)
	// belongs to the row above it, as the table shows.
	for i, r := range rep.Results {
		y := ys[i]
		label := r.Operation
		if strings.HasPrefix(label, "  ") {
			label = "↳ " + strings.TrimSpace(label)
		}
		fmt.Fprintf(&b, "<text x=\"%d\" y=\"%.1f\" dominant-baseline=\"middle\">%s</text>\n", labelX+10, y+barH+1, esc(label))
		for k, f := range []benchFigure{r.Minitls, r.Stdlib} {
			by := y + float64(k)*(barH+2)
			w := math.Max(1, xOf(f.NsPerOp)-plotX0)
			tip := fmt.Sprintf("%s, %s: %s per operation (%s)", strings.TrimSpace(r.Operation), benchImplNames[k], benchDur(f.NsPerOp), benchFigureRate(r, f))
			fmt.Fprintf(&b, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" data-op=\"%s\" data-impl=\"%s\" data-ns-per-op=\"%g\"><title>%s</title></rect>\n",
				plotX0, by, w, barH, colors[k], esc(r.ID), benchImplNames[k], f.NsPerOp, esc(tip))
			fmt.Fprintf(&b, "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\" font-size=\"10\" fill=\"#333\">%s</text>\n", plotX0+w+4, by+barH/2+0.5, esc(benchDur(f.NsPerOp)))
		}
	}
	fmt.Fprintf(&b, "</svg>\n")
	io.WriteString(w, b.String())
}

// benchFigureRate is a figure in its row's throughput unit, for tooltips.
func benchFigureRate(r benchRow, f benchFigure) string {
	if r.Unit == benchUnitMBs {
		return benchNum(f.Value) + " MB/s"
	}
	return benchNum(f.Value) + " op/s"
}

// benchDecade names 10^d nanoseconds: "1 ns", "10 µs", "100 ms".
func benchDecade(d int) string {
	units := []string{"ns", "µs", "ms", "s"}
	u := min(max(d/3, 0), len(units)-1)
	return fmt.Sprintf("%g %s", math.Pow(10, float64(d-3*u)), units[u])
}
