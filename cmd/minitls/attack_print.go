package main

// The lessons' printer and the byte-level helpers they share: splitting a
// recorded stream into records, opening an AES-GCM record by hand.

import (
	"bytes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/record"
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

// attackRec is one record cut out of a recorded stream.
type attackRec struct {
	typ      record.ContentType
	header   []byte
	fragment []byte
}

// attackRecords splits a recorded stream into whole records.
func attackRecords(b []byte) []attackRec {
	var out []attackRec
	for len(b) >= record.HeaderLen {
		n := int(binary.BigEndian.Uint16(b[3:5]))
		if len(b) < record.HeaderLen+n {
			break
		}
		out = append(out, attackRec{typ: record.ContentType(b[0]), header: b[:record.HeaderLen], fragment: b[record.HeaderLen : record.HeaderLen+n]})
		b = b[record.HeaderLen+n:]
	}
	return out
}

// attackSplit returns the plaintext handshake messages of a stream (those
// before its ChangeCipherSpec) and the protected records after it.
func attackSplit(recs []attackRec) (msgs [][]byte, protected []attackRec) {
	var hs []byte
	for i, r := range recs {
		if r.typ == record.ChangeCipherSpec {
			protected = recs[i+1:]
			break
		}
		if r.typ == record.Handshake {
			hs = append(hs, r.fragment...)
		}
	}
	for len(hs) >= 4 {
		n := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
		if len(hs) < 4+n {
			break
		}
		msgs = append(msgs, hs[:4+n])
		hs = hs[4+n:]
	}
	return msgs, protected
}

// attackNewAEAD returns minitls's AES-GCM under key.
func attackNewAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return gcm.New(block)
}

// attackOpen opens one TLS 1.2 AES-GCM record by hand (rfc5288#3,
// rfc5246#6.2.3.3): nonce = salt || nonce_explicit, additional data =
// seq_num || type || version || plaintext length.
func attackOpen(key, salt []byte, seq uint64, r attackRec) ([]byte, error) {
	aead, err := attackNewAEAD(key)
	if err != nil {
		return nil, err
	}
	if len(r.fragment) < record.ExplicitNonceLen+aead.Overhead() {
		return nil, errors.New("record too short")
	}
	nonce := append(bytes.Clone(salt), r.fragment[:record.ExplicitNonceLen]...)
	n := len(r.fragment) - record.ExplicitNonceLen - aead.Overhead()
	return aead.Open(nil, nonce, r.fragment[record.ExplicitNonceLen:], attackAD(seq, r.header, n))
}

// attackAD is a TLS 1.2 record's additional data: seq_num || type ||
// version || length of the plaintext.
func attackAD(seq uint64, header []byte, n int) []byte {
	ad := binary.BigEndian.AppendUint64(nil, seq)
	ad = append(ad, header[:3]...)
	return binary.BigEndian.AppendUint16(ad, uint16(n))
}
