package main

// The annotated hex dump behind `demo -trace` and `get -trace`: every record
// that crossed the wire, each field's bytes on its own line with its name,
// its value and what it means (STYLE §10). The bytes and field spans come
// from the handshake package's Trace hook; this file only lays them out for
// an 80-column terminal.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"

	"minitls/handshake"
	"minitls/record"
)

// Layout of one field line:
//
//	0006  (32 bytes)  random — 32 fresh random bytes that make ...
//	      2b7ebe6c2639dc181ae42be423f1e13278e408c48cc41d71d9a8c823df46b62e
//
// Short fields (up to traceInlineBytes) show their hex in the second column;
// longer ones show it below, traceBytesPerLine bytes a line. A meaning is
// printed the first time it applies, not again for every cipher suite or
// every record header.
const (
	traceOffsetCol    = 8  // "  0006  "
	traceHexCol       = 12 // "00 00 63 01" fits
	traceInlineBytes  = 4
	traceBytesPerLine = 32
	traceMaxAppBytes  = 64 // application data and its ciphertext are cut here
)

// tracePrinter prints the records and handshake messages one endpoint saw.
// It is driven by handshake.Event values, live (get -trace) or replayed from
// copies (demo -trace); it is safe for concurrent use.
type tracePrinter struct {
	mu      sync.Mutex
	w       io.Writer
	st      cliStyle
	client  bool // whose events to print
	phases  bool // also print phase changes
	pending []handshake.Event
	told    map[string]bool // meanings already printed
	chacha  bool            // the ServerHello chose a ChaCha20-Poly1305 suite (RFC 7905 records)
}

func newTracePrinter(w io.Writer, st cliStyle, client, phases bool) *tracePrinter {
	return &tracePrinter{w: w, st: st, client: client, phases: phases, told: map[string]bool{}}
}

// traceCopyEvent deep-copies the parts of e the printer and the demo use:
// the handshake package's byte slices are only valid during the callback.
func traceCopyEvent(e handshake.Event) handshake.Event {
	c := e
	c.Bytes = bytes.Clone(e.Bytes)
	c.Fields = append([]handshake.Field(nil), e.Fields...)
	c.Secret = bytes.Clone(e.Secret)
	c.Record.Header = bytes.Clone(e.Record.Header)
	c.Record.Fragment = bytes.Clone(e.Record.Fragment)
	c.Record.Plaintext = bytes.Clone(e.Record.Plaintext)
	if e.Kind == handshake.EventMessage && c.Bytes != nil {
		// Re-parse from our copy so the message does not alias a buffer
		// the connection reuses.
		if m, err := handshake.ParseMessage(c.Bytes); err == nil {
			c.Message = m
		}
	}
	return c
}

// event prints one event if it belongs to the endpoint this printer follows.
func (p *tracePrinter) event(e handshake.Event) {
	if e.IsClient != p.client {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e.Kind {
	case handshake.EventMessage:
		if sh, ok := e.Message.(*handshake.ServerHello); ok {
			p.chacha = sh.CipherSuite == handshake.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 ||
				sh.CipherSuite == handshake.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
		}
		if e.Sent {
			// The message event comes before the record that carries it;
			// print it under that record.
			p.pending = append(p.pending, traceCopyEvent(e))
			return
		}
		p.message(e)
	case handshake.EventRecord:
		p.record(e.Record)
		if e.Record.Sent && e.Record.Type == record.Handshake {
			for _, m := range p.pending {
				p.message(m)
			}
			p.pending = p.pending[:0]
		}
	case handshake.EventAlert:
		fmt.Fprintf(p.w, "%s %s\n", p.st.red("! sending alert"),
			cliFit(fmt.Sprintf("%v: %v", e.Alert, e.Err), cliWidth-16))
	case handshake.EventPhase:
		if p.phases {
			fmt.Fprintln(p.w, p.st.dim("· phase: "+e.Phase.String()))
		}
	}
}

func (p *tracePrinter) who(sent bool) string {
	me, peer := "server", "client"
	if p.client {
		me, peer = peer, me
	}
	if sent {
		return "→ " + me + " sends"
	}
	return "← " + me + " receives"
}

// record prints one record: its header, and for protected records the
// explicit nonce, ciphertext and tag, then the content in clear.
func (p *tracePrinter) record(r record.RecordEvent) {
	prot := "plaintext"
	if r.Protected {
		prot = "AES-GCM protected"
		if p.chacha {
			prot = "ChaCha20-Poly1305 protected"
		}
	}
	title := fmt.Sprintf("%s record #%d: %v, %d+%d bytes, %s", p.who(r.Sent), r.Seq,
		r.Type, len(r.Header), len(r.Fragment), prot)
	fmt.Fprintln(p.w, p.st.cyan(cliFit(title, cliWidth)))
	h := r.Header
	if len(h) != record.HeaderLen {
		return
	}
	p.field(0, h[0:1], "content_type", fmt.Sprintf("%v (%d)", record.ContentType(h[0]), h[0]),
		"what the fragment carries")
	v := binary.BigEndian.Uint16(h[1:3])
	vNote := "record version"
	if v == record.VersionTLS10 {
		vNote = "TLS 1.0 on the first hello's record, so old servers accept it (RFC 5246 E.1)"
	}
	p.field(1, h[1:3], "version", handshake.ProtocolVersion(v).String(), vNote)
	p.field(3, h[3:5], "length", fmt.Sprint(binary.BigEndian.Uint16(h[3:5])), "bytes of fragment that follow")
	frag := r.Fragment
	content := r.Plaintext
	if r.Protected && p.chacha && len(frag) >= 16 {
		// RFC 7905: no nonce on the wire; nonce = write_IV XOR seq_num.
		n := len(frag) - 16
		p.fieldCut(5, frag[:n], "encrypted content", fmt.Sprintf("%d bytes", n),
			"ChaCha20 ciphertext, as long as the plaintext; nonce = 12-byte write_IV XOR seq_num, not sent (RFC 7905)")
		p.field(5+n, frag[n:], "tag", "",
			"Poly1305 tag over seq_num, type, version, length and the content")
		fmt.Fprintln(p.w, p.st.dim("  decrypted content:"))
		p.content(r.Type, content, 0)
		return
	}
	if r.Protected && len(frag) >= record.ExplicitNonceLen+16 {
		n := len(frag) - record.ExplicitNonceLen - 16
		p.field(5, frag[:record.ExplicitNonceLen], "nonce_explicit",
			fmt.Sprint(binary.BigEndian.Uint64(frag[:record.ExplicitNonceLen])),
			"the sequence number; GCM nonce = 4-byte write_IV salt || these 8 bytes")
		p.fieldCut(5+record.ExplicitNonceLen, frag[record.ExplicitNonceLen:record.ExplicitNonceLen+n],
			"encrypted content", fmt.Sprintf("%d bytes", n),
			"AES-GCM ciphertext, as long as the plaintext")
		p.field(5+record.ExplicitNonceLen+n, frag[record.ExplicitNonceLen+n:], "tag", "",
			"GCM tag over the content and seq_num, type, version, length")
		fmt.Fprintln(p.w, p.st.dim("  decrypted content:"))
		p.content(r.Type, content, 0)
		return
	}
	p.content(r.Type, content, 5)
}

// content explains a record's plaintext. Handshake messages are explained
// by their own message events, so only their presence is noted here.
func (p *tracePrinter) content(t record.ContentType, b []byte, off int) {
	switch t {
	case record.ChangeCipherSpec:
		p.field(off, b, "change_cipher_spec", "", "from the next record on, this side encrypts with the new keys")
	case record.Alert:
		if len(b) == 2 {
			d := record.AlertDescription(b[1])
			p.field(off, b[:1], "level", record.AlertLevel(b[0]).String(), "fatal ends the connection")
			p.field(off+1, b[1:], "description", d.String(), d.Meaning())
		} else {
			p.fieldCut(off, b, "alert", "", "malformed alert")
		}
	case record.ApplicationData:
		p.fieldCut(off, b, "application_data", traceQuote(b), "the HTTP bytes, as the application wrote them")
	case record.Handshake:
		fmt.Fprintln(p.w, p.st.dim(fmt.Sprintf("  %04x  handshake message bytes (%d), explained below", off, len(b))))
	}
}

// message prints a handshake message field by field.
func (p *tracePrinter) message(e handshake.Event) {
	name := "?"
	if len(e.Bytes) > 0 {
		name = handshake.HandshakeType(e.Bytes[0]).String()
	}
	fmt.Fprintln(p.w, p.st.bold(fmt.Sprintf("  handshake message %s, %d bytes", name, len(e.Bytes))))
	for _, f := range e.Fields {
		if f.Offset < 0 || f.Length < 0 || f.Offset+f.Length > len(e.Bytes) {
			continue
		}
		b := e.Bytes[f.Offset : f.Offset+f.Length]
		p.field(f.Offset, b, f.Name, traceValue(f.Value, b), traceMeaning(name, f.Name))
	}
}

// traceValue drops a field value that only repeats the hex shown beside it,
// but shows printable bytes (host names, ALPN names) as text.
func traceValue(v string, b []byte) string {
	if v == hex.EncodeToString(b) {
		if len(b) > 0 && tracePrintable(b) {
			return traceQuote(b)
		}
		return ""
	}
	return v
}

func tracePrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// traceQuote shows the start of b as a Go-quoted string.
func traceQuote(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q…", b[:40])
	}
	return fmt.Sprintf("%q", b)
}

func (p *tracePrinter) field(off int, b []byte, name, value, meaning string) {
	p.fieldN(off, b, name, value, meaning, -1)
}

// fieldCut is field for bulk data: at most traceMaxAppBytes of hex.
func (p *tracePrinter) fieldCut(off int, b []byte, name, value, meaning string) {
	p.fieldN(off, b, name, value, meaning, traceMaxAppBytes)
}

// fieldN prints one field: offset, hex, "name = value — meaning" wrapped in
// the third column, then the hex of a long field below, cut at max bytes
// when max >= 0.
func (p *tracePrinter) fieldN(off int, b []byte, name, value, meaning string, max int) {
	hexCol := ""
	if len(b) <= traceInlineBytes {
		hexCol = cliSpacedHex(b)
	} else {
		hexCol = fmt.Sprintf("(%d bytes)", len(b))
	}
	text := name
	if value != "" {
		text += " = " + value
	}
	if meaning != "" && !p.told[meaning] {
		p.told[meaning] = true
		text += " — " + meaning
	}
	textCol := traceOffsetCol + traceHexCol
	lines := cliWrapWords(text, cliWidth-textCol)
	if len(lines) == 0 {
		lines = []string{""}
	}
	fmt.Fprintf(p.w, "  %04x  %-*s%s\n", off, traceHexCol, hexCol, lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", textCol), l)
	}
	if len(b) <= traceInlineBytes {
		return
	}
	shown := b
	if max >= 0 && len(shown) > max {
		shown = shown[:max]
	}
	for _, l := range cliHexLines(shown, traceBytesPerLine) {
		fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", traceOffsetCol), p.st.dim(l))
	}
	if len(shown) < len(b) {
		fmt.Fprintf(p.w, "%s%s\n", strings.Repeat(" ", traceOffsetCol),
			p.st.dim(fmt.Sprintf("… %d more bytes", len(b)-len(shown))))
	}
}

// traceMeanings explains the fields the handshake package names, keyed by
// "message/field" first and then by field name alone.
var traceMeanings = map[string]string{
	"msg_type":                              "which handshake message this is",
	"length":                                "bytes of the message body that follow",
	"client_version":                        "the highest TLS version the client speaks",
	"server_version":                        "the version the server chose",
	"random":                                "32 fresh random bytes that make this session's keys unique",
	"session_id length":                     "0: no session; 32: a session to resume or to remember",
	"session_id":                            "names a session so a later handshake can resume it",
	"cipher_suites length":                  "2 bytes per suite offered",
	"client_hello/cipher_suite":             "a suite the client accepts, in its order of preference",
	"server_hello/cipher_suite":             "the server's choice from the client's list",
	"compression_methods length":            "number of compression methods",
	"compression_methods":                   "0 = null: TLS compression leaks secrets (CRIME)",
	"compression_method":                    "null: no compression",
	"extensions length":                     "bytes of all the extensions that follow",
	"extension_type":                        "which extension follows",
	"extension_data length":                 "bytes of this extension's data",
	"server_name_list length":               "bytes of the SNI list",
	"name_type":                             "0 = host_name",
	"host_name length":                      "bytes of the host name",
	"host_name":                             "SNI: the site the client wants, sent in clear",
	"supported_signature_algorithms length": "2 bytes per signature algorithm",
	"signature_scheme":                      "a signature the client can verify",
	"renegotiated_connection length":        "0 on a first handshake (RFC 5746)",
	"renegotiated_connection":               "empty: this is not a renegotiation",
	"protocol_name_list length":             "bytes of the ALPN list",
	"protocol_name length":                  "bytes of the protocol name",
	"protocol_name":                         "ALPN: the application protocol inside TLS",
	"certificate_list length":               "bytes of the whole chain",
	"ASN.1Cert length":                      "bytes of the next certificate",
	"ASN.1Cert":                             "an X.509 certificate in DER; the first is the server's own",
	"pre_master_secret length":              "bytes of the RSA ciphertext (the modulus size)",
	"pre_master_secret":                     "the 48-byte premaster secret, RSA-encrypted to the server's key",
	"verify_data":                           "PRF(master secret, label, hash of every handshake message)",
	"named_curve_list length":               "2 bytes per group the client can do ECDHE with",
	"named_curve":                           "an elliptic-curve group for ECDHE key agreement",
	"ec_point_format_list length":           "number of point formats",
	"ec_point_format_list":                  "0 = uncompressed, the only format TLS 1.2 still uses",
	"curve_type":                            "3 = named_curve: the group is named, not spelled out",
	"namedcurve":                            "the group the server chose for this key agreement",
	"point length":                          "bytes of the ephemeral public key",
	"server_key_exchange/point":             "the server's ephemeral public key, made for this handshake only",
	"client_key_exchange/point":             "the client's ephemeral public key, made for this handshake only",
	"ecdh_Yc length":                        "bytes of the client's ephemeral public key",
	"ecdh_Yc":                               "the client's ephemeral public key, made for this handshake only",
	"signature_algorithm":                   "hash and signature the server used, from the client's list",
	"signature length":                      "bytes of the RSA signature (the modulus size)",
	"signature":                             "RSA signature over both randoms and the params: proves the key is the server's",
	"certificate_verify/algorithm":          "the scheme the signer used, one the peer offered",
	"certificate_verify/signature length":   "bytes of the signature (RSA: the modulus size; ECDSA: DER r and s)",
	"certificate_verify/signature":          "over the transcript so far (TLS 1.3: after 64 spaces and a context string): proves the sender holds its certificate's key",
	"ticket_lifetime_hint":                  "seconds the client may keep the ticket",
	"ticket length":                         "bytes of the ticket",
	"ticket":                                "the session, sealed with AES-GCM under the server's ticket key",
}

func traceMeaning(msg, field string) string {
	if m, ok := traceMeanings[msg+"/"+field]; ok {
		return m
	}
	return traceMeanings[field]
}
