package main

// The one printer every demo story writes through: headings, wrapped
// paragraphs, "label  value" lines, hex in the value column, named checks
// with their verdict mark, and (under -trace) the annotated hex dump of a
// connection's records.

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

const demoLabelCol = 24 // where values start in "      label   value" lines

// demoPrinter lays a story out for an 80-column terminal.
type demoPrinter struct {
	w     io.Writer
	st    cliStyle
	trace *tracePrinter // nil without -trace
}

func newDemoPrinter(w io.Writer, trace bool) *demoPrinter {
	p := &demoPrinter{w: w, st: cliStyle{on: colorEnabled(w)}}
	if trace {
		p.trace = newTracePrinter(w, p.st, true, false)
	}
	return p
}

func (p *demoPrinter) blank() { fmt.Fprintln(p.w) }

func (p *demoPrinter) heading(title string) {
	p.blank()
	fmt.Fprintln(p.w, p.st.bold(title))
}

// line prints an indented line.
func (p *demoPrinter) line(indent int, text string) {
	fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", indent), text)
}

// para prints text wrapped to the terminal width at the given indent.
func (p *demoPrinter) para(indent int, text string) {
	for _, l := range cliWrapWords(text, cliWidth-indent) {
		p.line(indent, l)
	}
}

// kv prints "      label          value", wrapping value in its column.
func (p *demoPrinter) kv(label, value string) {
	lines := cliWrapWords(value, cliWidth-demoLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(p.w, "      %-*s%s\n", demoLabelCol-6, label, lines[0])
	for _, l := range lines[1:] {
		p.line(demoLabelCol, l)
	}
}

// kvHex prints a byte string in the value column, 16 bytes a line.
func (p *demoPrinter) kvHex(label string, b []byte, paint func(string) string) {
	for i, l := range cliHexLines(b, 16) {
		if i == 0 {
			fmt.Fprintf(p.w, "      %-*s%s\n", demoLabelCol-6, label, paint(l))
		} else {
			p.line(demoLabelCol, paint(l))
		}
	}
}

// kvHexMark is kvHex with a verdict mark after the last line.
func (p *demoPrinter) kvHexMark(label string, b []byte, ok bool) {
	lines := cliHexLines(b, 16) // a 32-byte key takes two
	for i, l := range lines {
		text := p.st.yellow(l)
		if i == len(lines)-1 {
			text += " " + p.st.mark(ok)
		}
		if i == 0 {
			fmt.Fprintf(p.w, "      %-*s%s\n", demoLabelCol-6, label, text)
		} else {
			p.line(demoLabelCol, text)
		}
	}
}

// check prints one named check with its verdict.
func (p *demoPrinter) check(ok bool, name, detail string) {
	lines := cliWrapWords(detail, cliWidth-demoLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(p.w, "    %s %-*s%s\n", p.st.mark(ok), demoLabelCol-6, name, lines[0])
	for _, l := range lines[1:] {
		p.line(demoLabelCol, l)
	}
}

// arrow prints a message line, → for the client's, ← for the server's,
// wrapped under its text.
func (p *demoPrinter) arrow(fromClient bool, text string) {
	a := "←"
	if fromClient {
		a = "→"
	}
	if len([]rune(text))+4 <= cliWidth {
		p.line(2, p.st.cyan(a)+" "+text)
		return
	}
	for i, l := range cliWrapWords(text, cliWidth-4) {
		if i == 0 {
			p.line(2, p.st.cyan(a)+" "+l)
		} else {
			p.line(4, l)
		}
	}
}

// boldPara is para in bold.
func (p *demoPrinter) boldPara(indent int, text string) {
	for _, l := range cliWrapWords(text, cliWidth-indent) {
		p.line(indent, p.st.bold(l))
	}
}

// demoBytes says "1 byte" or "N bytes".
func demoBytes(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// same says whether the two sides computed the same value.
func (p *demoPrinter) same(a, b []byte) string {
	if len(a) > 0 && bytes.Equal(a, b) {
		return p.st.mark(true) + " the same on both sides"
	}
	return p.st.mark(false) + " DIFFERENT on the two sides"
}

// sameAs is same() worded for a comparison between two connections.
func (p *demoPrinter) sameAs(a, b []byte) string {
	if len(a) > 0 && bytes.Equal(a, b) {
		return p.st.mark(true) + " the same"
	}
	return p.st.mark(false) + " DIFFERENT"
}

// row prints one row of a three-column comparison table.
func (p *demoPrinter) row(a, b, c string) {
	fmt.Fprintf(p.w, "  %-26s%-24s%s\n", a, b, c)
}

func demoCut(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
