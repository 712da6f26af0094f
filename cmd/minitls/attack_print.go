package main

// The lessons' printer. The byte-level helpers they share with demo -leak
// (splitting a recorded stream, opening an AES-GCM record by hand) are in
// recorded.go.

import (
	"fmt"
	"io"
	"strings"
)

// attackLabelCol is where values start in "      label   value" lines.
const attackLabelCol = 24

// attackPrinter writes a lesson in the demo's style: bold headings,
// wrapped paragraphs, label/value lines and ✓/✗ checks.
type attackPrinter struct {
	w  io.Writer
	st cliStyle
}

func newAttackPrinter(w io.Writer) *attackPrinter {
	return &attackPrinter{w: w, st: cliStyle{on: colorEnabled(w)}}
}

func (p *attackPrinter) title(t string) { fmt.Fprintln(p.w, p.st.bold(t)) }

func (p *attackPrinter) heading(t string) {
	fmt.Fprintln(p.w)
	fmt.Fprintln(p.w, p.st.bold(t))
}

func (p *attackPrinter) line(indent int, text string) {
	fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", indent), text)
}

func (p *attackPrinter) para(indent int, text string) {
	for _, l := range cliWrapWords(text, cliWidth-indent) {
		p.line(indent, l)
	}
}

// kv prints a label and a value wrapped in the value column.
func (p *attackPrinter) kv(label, value string) {
	lines := cliWrapWords(value, cliWidth-attackLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(p.w, "      %-*s%s\n", attackLabelCol-6, label, lines[0])
	for _, l := range lines[1:] {
		p.line(attackLabelCol, l)
	}
}

// kvHex prints b in the value column, 16 bytes a line, at most maxLines
// lines (0: all).
func (p *attackPrinter) kvHex(label string, b []byte, maxLines int, paint func(string) string) {
	lines := cliHexLines(b, 16)
	if maxLines > 0 && len(lines) > maxLines {
		rest := len(b) - 16*maxLines
		lines = append(lines[:maxLines], fmt.Sprintf("… %d more bytes", rest))
	}
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(p.w, "      %-*s%s\n", attackLabelCol-6, label, paint(l))
		} else {
			p.line(attackLabelCol, paint(l))
		}
	}
}

// check prints one verdict with its explanation.
func (p *attackPrinter) check(ok bool, name, detail string) {
	lines := cliWrapWords(detail, cliWidth-attackLabelCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(p.w, "    %s %-*s%s\n", p.st.mark(ok), attackLabelCol-6, name, lines[0])
	for _, l := range lines[1:] {
		p.line(attackLabelCol, l)
	}
}

// plain returns s unchanged (a paint function for kvHex).
func plain(s string) string { return s }
