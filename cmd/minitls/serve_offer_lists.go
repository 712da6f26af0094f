package main

// What the visitor's client offered, list by list, grouped and annotated.

import (
	"fmt"
	"html"
	"strings"

	"minitls/handshake"
)

// serveItem is one offered value: its name, notes, and tags.
type serveItem struct {
	name   string
	note   string
	chosen bool
	grease bool
	weak   bool // obsolete or without forward secrecy
}

// serveGroup is a heading and the values under it.
type serveGroup struct {
	title string
	items []serveItem
}

// serveIsGREASE reports whether v is a GREASE value 0x?a?a.
//
// spec: rfc8701#2
func serveIsGREASE(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

// serveOffered writes every list of the ClientHello.
func serveOffered(b *strings.Builder, d *servePageData) {
	ch := d.hello
	grease := false
	for _, list := range [][]serveGroup{serveVersionsOffered(ch, d), serveSuitesOffered(ch, d), serveGroupsOffered(ch, d), serveSigAlgsOffered(ch, d)} {
		for _, g := range list {
			if len(g.items) == 0 {
				continue
			}
			fmt.Fprintf(b, "<h3>%s</h3>\n<ul class=offer>\n", html.EscapeString(g.title))
			for _, it := range g.items {
				grease = grease || it.grease
				serveItemHTML(b, it)
			}
			b.WriteString("</ul>\n")
		}
	}
	if sni, alpn := ch.ServerName(), ch.ALPNProtocols(); sni != "" || len(alpn) > 0 {
		fmt.Fprintf(b, "<p>Server name (SNI, in clear): <code>%s</code>. Application protocols (ALPN): <code>%s</code>.</p>\n",
			html.EscapeString(serveOr(sni, "none")), html.EscapeString(serveOr(strings.Join(alpn, ", "), "none")))
	}
	if grease {
		b.WriteString("<div class=box><p><b>GREASE</b> (RFC 8701): the values like <code>0x?a?a</code> mean nothing. Your client sprinkles random reserved values into its lists of suites, groups, versions and extensions so that a server which chokes on a value it does not know is found now, and fixed, rather than the day a real new value ships. A server must skip them; minitls does. The name: Generate Random Extensions And Sustain Extensibility, keeping the protocol's joints from rusting shut.</p></div>\n")
	}
}

func serveItemHTML(b *strings.Builder, it serveItem) {
	fmt.Fprintf(b, "<li><code>%s</code>", html.EscapeString(it.name))
	if it.chosen {
		b.WriteString(`<span class="tag chosen">chosen</span>`)
	}
	if it.grease {
		b.WriteString(`<span class="tag grease">GREASE</span>`)
	}
	if it.weak {
		b.WriteString(`<span class="tag weak">legacy</span>`)
	}
	if it.note != "" {
		fmt.Fprintf(b, " <span class=note>%s</span>", html.EscapeString(it.note))
	}
	b.WriteString("</li>\n")
}

// serveVersionsOffered lists supported_versions (or the legacy field).
func serveVersionsOffered(ch *handshake.ClientHello, d *servePageData) []serveGroup {
	g := serveGroup{title: "Versions (supported_versions, newest first)"}
	vs, ok := ch.SupportedVersions()
	if !ok {
		g.title = "Version (legacy_version: no supported_versions extension)"
		vs = []handshake.ProtocolVersion{ch.Version}
	}
	for _, v := range vs {
		it := serveItem{name: serveVersionName(v), chosen: v == d.version(), grease: serveIsGREASE(uint16(v))}
		if it.grease {
			it.name = fmt.Sprintf("0x%04x", uint16(v))
		}
		g.items = append(g.items, it)
	}
	return []serveGroup{g}
}

// serveSuitesOffered groups the cipher suites by what they mean.
func serveSuitesOffered(ch *handshake.ClientHello, d *servePageData) []serveGroup {
	gs := []serveGroup{
		{title: "TLS 1.3 cipher suites (an AEAD and a hash; the key exchange is negotiated apart)"},
		{title: "TLS 1.2 suites with ECDHE: forward secret"},
		{title: "TLS 1.2 suites with RSA key transport: no forward secrecy (removed in TLS 1.3)"},
		{title: "Other suites and signals"},
	}
	for _, s := range ch.CipherSuites {
		name := s.String()
		it := serveItem{name: name, chosen: uint16(s) == d.st.CipherSuite, grease: serveIsGREASE(uint16(s))}
		i := 3
		switch {
		case uint16(s)>>8 == 0x13:
			i = 0
		case strings.HasPrefix(name, "TLS_ECDHE_"):
			i = 1
		case strings.HasPrefix(name, "TLS_RSA_WITH_"):
			i, it.weak = 2, true
		}
		if strings.Contains(name, "_CBC_") {
			it.weak, it.note = true, "CBC, MAC-then-encrypt (padding oracles, Lucky13): gone from TLS 1.3"
		}
		if strings.HasSuffix(name, "_SCSV") {
			it.note = "not a suite: a signal"
		}
		gs[i].items = append(gs[i].items, it)
	}
	return gs
}

// serveGroupsOffered lists supported_groups, marking those with a key share.
func serveGroupsOffered(ch *handshake.ClientHello, d *servePageData) []serveGroup {
	data, _ := serveExtension(ch, handshake.ExtSupportedGroups)
	shares := serveKeyShares(ch)
	g := serveGroup{title: "Key exchange groups (supported_groups; a key share already sent for those marked)"}
	for _, v := range serveU16List(data, 2) {
		id := handshake.CurveID(v)
		it := serveItem{name: serveGroupName(id), note: serveGroupNote(id), chosen: id == d.kx.group, grease: serveIsGREASE(v)}
		if n, ok := shares[v]; ok {
			it.note = fmt.Sprintf("key share sent (%d bytes). ", n) + it.note
		}
		if it.grease {
			it.note = ""
		}
		g.items = append(g.items, it)
	}
	return []serveGroup{g}
}

// serveSigAlgsOffered groups signature_algorithms by family.
func serveSigAlgsOffered(ch *handshake.ClientHello, d *servePageData) []serveGroup {
	gs := []serveGroup{
		{title: "Signatures: RSASSA-PSS (what TLS 1.3 requires of RSA keys)"},
		{title: "Signatures: ECDSA and EdDSA"},
		{title: "Signatures: RSASSA-PKCS1-v1_5 (TLS 1.2 handshakes and certificates only)"},
		{title: "Signatures: other"},
	}
	schemes, _ := ch.SignatureSchemes()
	for _, s := range schemes {
		name := s.String()
		it := serveItem{name: name, chosen: s == d.kx.sigScheme, grease: serveIsGREASE(uint16(s))}
		i := 3
		switch {
		case strings.HasPrefix(name, "rsa_pss_"):
			i = 0
		case strings.HasPrefix(name, "ecdsa_") || strings.HasPrefix(name, "ed"):
			i = 1
		case strings.HasPrefix(name, "rsa_pkcs1_"):
			i = 2
		}
		if strings.HasSuffix(name, "sha1") {
			it.weak, it.note = true, "SHA-1: collisions are practical; accepted only for old certificates"
		}
		gs[i].items = append(gs[i].items, it)
	}
	return gs
}

// serveGroupName names a group as the page (and the issue) writes it.
func serveGroupName(id handshake.CurveID) string {
	switch id {
	case 0x001d:
		return "X25519"
	case 0x0017:
		return "P-256"
	case 0x0018:
		return "P-384"
	case 0x0019:
		return "P-521"
	case 0x11ec:
		return "X25519MLKEM768"
	case 0x6399:
		return "X25519Kyber768Draft00"
	}
	return id.String()
}

// serveGroupNote says what a group is.
func serveGroupNote(id handshake.CurveID) string {
	switch id {
	case 0x001d:
		return "Diffie–Hellman on Curve25519 (RFC 7748): fast, 32-byte shares, no invalid-point pitfalls."
	case 0x0017:
		return "ECDH on the NIST curve secp256r1: 65-byte shares."
	case 0x0018, 0x0019:
		return "ECDH on a larger NIST curve."
	case 0x11ec:
		return "hybrid post-quantum: X25519 plus ML-KEM-768 (FIPS 203) in one share (1216 bytes from the client, 1120 back); the secret is safe if either holds, including against a future quantum computer recording today's traffic."
	case 0x6399:
		return "the pre-standard draft of the hybrid post-quantum group."
	}
	if uint16(id)>>8 == 0x01 {
		return "finite-field Diffie–Hellman (RFC 7919)."
	}
	return ""
}
