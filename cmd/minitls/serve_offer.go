package main

// The words of serve's page: what was agreed (the summary table), why this
// version, and what the visitor's client offered (versions, cipher suites,
// groups and key shares, signature algorithms), each list grouped and each
// value annotated, with GREASE explained when the client sent some.

import (
	"encoding/binary"
	"fmt"
	"html"
	"strings"

	"minitls/handshake"
)

// serveRow writes one "label: value" row; value is plain text.
func serveRow(b *strings.Builder, label, value string) {
	fmt.Fprintf(b, "<tr><th>%s</th><td>%s</td></tr>\n", html.EscapeString(label), html.EscapeString(value))
}

// serveSummaryTable is what the two sides agreed.
func serveSummaryTable(b *strings.Builder, d *servePageData) {
	suite := handshake.CipherSuite(d.st.CipherSuite)
	b.WriteString("<table>\n")
	serveRow(b, "protocol", serveVersionName(d.version()))
	serveRow(b, "cipher suite", suite.String())
	serveRow(b, "key exchange", serveKeyExchange(d))
	if d.kx.sigScheme != 0 {
		serveRow(b, "server signature", serveSigScheme(d))
	}
	serveRow(b, "session", serveSession(d))
	serveRow(b, "what it cost the server", serveServerCost(d)) // serve_cost.go
	serveRow(b, "record protection", serveRecordProtection(d, suite))
	if d.version() != serveTLS13 {
		serveRow(b, "extended master secret", serveYesNo(d.st.ExtendedMasterSecret)+" (RFC 7627: the master secret is bound to the whole handshake, defeating the triple-handshake attack)")
	}
	serveRow(b, "SNI (server name you asked for)", serveOr(d.st.ServerName, "none sent (clients do not send IP addresses)"))
	serveRow(b, "ALPN (application protocol)", serveOr(d.st.NegotiatedProtocol, "none negotiated"))
	serveRow(b, "your address", d.remote)
	if strings.HasPrefix(suite.String(), "TLS_RSA_WITH_") && !d.st.DidResume {
		serveRow(b, "server time in RSA decryption", cliDuration(d.rsaTime)+" (from your ClientKeyExchange to the start of key derivation)")
	}
	b.WriteString("</table>\n")
}

// serveKeyExchange names the key exchange exactly: the group, or RSA key
// transport with the key size, or none when a TLS 1.2 session resumed.
func serveKeyExchange(d *servePageData) string {
	suite := handshake.CipherSuite(d.st.CipherSuite).String()
	switch {
	case d.version() == serveTLS13 && d.kx.psk && d.kx.group != 0:
		return "PSK with (EC)DHE (psk_dhe_ke): your ticket's secret mixed with a fresh " + serveGroupName(d.kx.group) + " exchange, so this resumption is forward secret too"
	case d.version() == serveTLS13 && d.kx.psk:
		return "PSK only (psk_ke): your ticket's secret, no new key exchange"
	case d.version() == serveTLS13:
		return serveGroupName(d.kx.group) + ": " + serveGroupNote(d.kx.group) + " Both shares were ephemeral, sent in key_share; the keys die with the connection (forward secrecy)."
	case d.st.DidResume:
		return "none this time: an earlier session's master secret was reused (see session)"
	case strings.HasPrefix(suite, "TLS_ECDHE_"):
		return "ECDHE over " + serveGroupName(d.kx.group) + ": " + serveGroupNote(d.kx.group) + " Ephemeral keys, so a later leak of the server's key does not decrypt this session (forward secrecy)."
	case strings.HasPrefix(suite, "TLS_RSA_WITH_"):
		return fmt.Sprintf("RSA key transport: your client encrypted a 48-byte premaster secret to this server's RSA-%d key; only the server's private key can decrypt it, and anyone who obtains that key later can decrypt this session too (no forward secrecy; TLS 1.3 removed it)", d.keyBits)
	}
	return suite
}

// serveSigScheme says what the server signed and with which scheme.
func serveSigScheme(d *servePageData) string {
	what := "the ServerKeyExchange (both randoms and its ephemeral public key)"
	if d.version() == serveTLS13 {
		what = "the CertificateVerify (a hash of every handshake message so far)"
	}
	kind := ""
	switch s := d.kx.sigScheme.String(); {
	case strings.HasPrefix(s, "rsa_pss_"):
		kind = ": RSASSA-PSS, randomized padding with a proof of security (RFC 8017)"
	case strings.HasPrefix(s, "rsa_pkcs1_"):
		kind = ": RSASSA-PKCS1-v1_5, the older deterministic padding (not allowed in TLS 1.3 handshake signatures)"
	}
	return d.kx.sigScheme.String() + " over " + what + kind
}

// serveSession says whether the visitor's connection resumed an earlier
// session and what that saved.
func serveSession(d *servePageData) string {
	switch {
	case d.st.DidResume && d.version() == serveTLS13:
		return "resumed (RFC 8446 §2.2): your client presented a ticket from an earlier connection (pre_shared_key), so the server sent no certificate and made no signature"
	case d.st.DidResume:
		return "resumed (RFC 5246 §7.3, RFC 5077): an abbreviated handshake reused an earlier session's master secret, so the server did no RSA or ECDHE work this time"
	case d.version() == serveTLS13:
		return "new: a full handshake; the server sends a ticket (NewSessionTicket) after it, for your client's next connection"
	}
	return "new: a full handshake; your client may resume it on its next connection"
}

// serveRecordProtection describes the AEAD and its nonce, by version.
func serveRecordProtection(d *servePageData, suite handshake.CipherSuite) string {
	aead := "AES-128-GCM"
	switch name := suite.String(); {
	case strings.Contains(name, "AES_256_GCM"):
		aead = "AES-256-GCM"
	case strings.Contains(name, "CHACHA20"):
		aead = "ChaCha20-Poly1305"
	}
	if d.version() == serveTLS13 {
		return aead + ": each record's nonce is write_iv XOR its sequence number (nothing of it on the wire), the real content type travels inside the encryption, and every header says application_data"
	}
	return aead + ": every record carries an 8-byte explicit nonce and a 16-byte tag"
}

// serveVersionWhy explains how the version came about.
func serveVersionWhy(d *servePageData) string {
	var offered []string
	offers13 := false
	if d.hello != nil {
		if vs, ok := d.hello.SupportedVersions(); ok {
			for _, v := range vs {
				if !serveIsGREASE(uint16(v)) {
					offers13 = offers13 || v == serveTLS13
					offered = append(offered, serveVersionName(v))
				}
			}
		}
	}
	list := strings.Join(offered, ", ")
	switch {
	case d.version() == serveTLS13:
		return "Your client listed " + list + " in its supported_versions extension, and minitls picks the newest version both sides speak (RFC 8446 §4.2.1). TLS 1.3 takes one round trip instead of two, encrypts everything after the ServerHello (the certificate too), and keeps only ephemeral key exchanges and AEAD ciphers."
	case offers13:
		return "Your client offered " + list + ", but this server settled on TLS 1.2 (it was started with a TLS 1.2 -suite, or without TLS 1.3), so they met there. A server that can speak TLS 1.3 and settles for 1.2 says so in the last 8 bytes of its ServerHello.random (\"DOWNGRD\" and 01, RFC 8446 §4.1.3), so a client that expected 1.3 can tell an attacker's downgrade from a real 1.2 server."
	}
	return "Your client did not offer TLS 1.3 (its ClientHello has no supported_versions extension listing it), so TLS 1.2 it is: its legacy_version field says " + serveVersionName(handshake.VersionTLS12) + "."
}

// serveU16List reads a vector of 16-bit values with an lenBytes-byte
// length prefix; anything malformed gives nil (the handshake already
// refused such a ClientHello, or ignored the extension).
func serveU16List(data []byte, lenBytes int) []uint16 {
	if len(data) < lenBytes {
		return nil
	}
	n := int(data[0])
	if lenBytes == 2 {
		n = int(binary.BigEndian.Uint16(data))
	}
	data = data[lenBytes:]
	if n != len(data) || n%2 != 0 {
		return nil
	}
	out := make([]uint16, 0, n/2)
	for i := 0; i < n; i += 2 {
		out = append(out, binary.BigEndian.Uint16(data[i:]))
	}
	return out
}

// serveExtension returns a ClientHello extension's body.
func serveExtension(ch *handshake.ClientHello, t handshake.ExtensionType) ([]byte, bool) {
	for _, e := range ch.Extensions {
		if e.Type == t {
			return e.Data, true
		}
	}
	return nil, false
}

// serveKeyShares lists the groups of the client's key_share entries.
//
//	struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
//	struct { KeyShareEntry client_shares<0..2^16-1>; } KeyShareClientHello;
//
// spec: rfc8446#4.2.8
func serveKeyShares(ch *handshake.ClientHello) map[uint16]int {
	data, ok := serveExtension(ch, handshake.ExtKeyShare)
	if !ok || len(data) < 2 || int(binary.BigEndian.Uint16(data)) != len(data)-2 {
		return nil
	}
	out := map[uint16]int{}
	for data = data[2:]; len(data) >= 4; {
		g, n := binary.BigEndian.Uint16(data), int(binary.BigEndian.Uint16(data[2:]))
		if len(data) < 4+n {
			return out
		}
		out[g] = n
		data = data[4+n:]
	}
	return out
}
