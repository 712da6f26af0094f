package main

// The visitor's handshake as a message-sequence diagram in inline SVG: the
// client's lifeline on the left, the server's on the right, one arrow per
// message in the order the server saw them, labelled with the message's
// name and size, the server's time since the ClientHello beside it, and
// encrypted messages drawn in green with a padlock. The viewBox scales the
// drawing to the screen's width, so a phone shows it whole.

import (
	"fmt"
	"html"
	"strings"
)

// Geometry of the diagram, in viewBox units (about CSS pixels on a phone).
const (
	mscWidth   = 360
	mscClientX = 44  // the client's lifeline
	mscServerX = 296 // the server's lifeline
	mscTop     = 46  // first arrow
	mscRow     = 40  // between arrows
	mscLegend  = 40  // room for the legend below the last arrow
)

// Colours: in clear, encrypted. The e2e test looks for them in Chromium's
// screenshot, so keep them in step with cliTestMscColours.
const (
	mscClearColour     = "#1f5fbf"
	mscEncryptedColour = "#0a7d32"
)

// serveDiagram draws flow; with no messages it says so instead.
func serveDiagram(flow []serveFlowMsg) string {
	if len(flow) == 0 {
		return "<p class=note>(this connection's handshake was not recorded)</p>\n"
	}
	height := mscTop + mscRow*len(flow) + mscLegend
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="msc" role="img" aria-label="message sequence of your handshake" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif">`+"\n", mscWidth, height)
	b.WriteString(`<defs><marker id="ah-clear" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="` + mscClearColour + `"/></marker>` +
		`<marker id="ah-enc" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="` + mscEncryptedColour + `"/></marker></defs>` + "\n")
	lifeEnd := mscTop + mscRow*(len(flow)-1) + 12
	for _, l := range []struct {
		x    int
		name string
	}{{mscClientX, "your client"}, {mscServerX, "minitls server"}} {
		fmt.Fprintf(&b, `<text x="%d" y="18" text-anchor="middle" font-size="13" font-weight="600">%s</text>`, l.x, l.name)
		fmt.Fprintf(&b, `<line x1="%d" y1="26" x2="%d" y2="%d" stroke="#999" stroke-width="1.5"/>`+"\n", l.x, l.x, lifeEnd)
	}
	start := flow[0].at
	for i, m := range flow {
		mscArrow(&b, m, mscTop+mscRow*i, m.at.Sub(start).Seconds()*1000)
	}
	mscLegendRow(&b, height-14)
	b.WriteString("</svg>\n")
	return b.String()
}

// mscArrow draws one message at height y; ms is the server's time since
// the ClientHello.
func mscArrow(b *strings.Builder, m serveFlowMsg, y int, ms float64) {
	from, to, colour, marker, state := mscServerX, mscClientX, mscClearColour, "ah-clear", "in clear"
	if m.fromClient {
		from, to = mscClientX, mscServerX
	}
	if m.encrypted {
		colour, marker, state = mscEncryptedColour, "ah-enc", "encrypted"
	}
	dash := ""
	if m.name == "ChangeCipherSpec" {
		dash = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(b, `<g><title>%s: %d bytes, %s, at +%.1f ms</title>`, html.EscapeString(m.name), m.size, state, ms)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2.5"%s marker-end="url(#%s)"/>`,
		from, y, to, y, colour, dash, marker)
	label := fmt.Sprintf("%s · %d B", m.name, m.size)
	mid := (mscClientX + mscServerX) / 2
	if m.encrypted {
		mscPadlock(b, mid-mscLabelWidth(label)/2-12, y-16, colour)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="%s">%s</text>`,
		mid, y-6, colour, html.EscapeString(label))
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="10.5" fill="#555">+%.1f ms</text></g>`+"\n", mscServerX+6, y+4, ms)
}

// mscLabelWidth estimates a 12-unit label's width (for the padlock's place).
func mscLabelWidth(s string) int { return len([]rune(s)) * 13 / 2 }

// mscPadlock draws a small padlock with its top-left corner at x, y.
func mscPadlock(b *strings.Builder, x, y int, colour string) {
	fmt.Fprintf(b, `<path d="M%d,%d v-3 a3.5,3.5 0 0 1 7,0 v3" fill="none" stroke="%s" stroke-width="1.6"/>`, x+1, y+5, colour)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="9" height="7" rx="1.2" fill="%s"/>`, x, y+5, colour)
}

// mscLegendRow explains the two colours.
func mscLegendRow(b *strings.Builder, y int) {
	fmt.Fprintf(b, `<line x1="20" y1="%d" x2="48" y2="%d" stroke="%s" stroke-width="2.5"/><text x="54" y="%d" font-size="11.5">in clear</text>`,
		y, y, mscClearColour, y+4)
	fmt.Fprintf(b, `<line x1="130" y1="%d" x2="158" y2="%d" stroke="%s" stroke-width="2.5"/>`, y, y, mscEncryptedColour)
	mscPadlock(b, 163, y-8, mscEncryptedColour)
	fmt.Fprintf(b, `<text x="178" y="%d" font-size="11.5">encrypted</text>`+"\n", y+4)
}
