package main

// TLS 1.2's second half, shared by its stories: the PRF from premaster to
// master secret to key block (the end of step 3), and step 4: the
// ChangeCipherSpec, the Finished messages, and the HTTP request in its
// AES-GCM record.

import (
	"bytes"
	"fmt"
	"strings"

	"minitls/handshake"
	"minitls/record"
)

// demoKeys12 tells the key derivation from the premaster secret, the same
// for both key exchanges.
func demoKeys12(s *demoSession) error {
	s.blank()
	if s.state.ExtendedMasterSecret {
		s.line(2, `master secret = PRF(premaster, "extended master secret", session hash)`)
		s.kvHex("session hash", s.key(true, "session hash"), s.st.dim)
		s.line(demoLabelCol, "(hash of every handshake message so far)")
	} else {
		s.line(2, `master secret = PRF(premaster, "master secret", client random + server random)`)
	}
	ms := s.key(true, "master secret")
	s.kvHex("master secret", ms, s.st.yellow)
	s.kv("", s.same(ms, s.key(false, "master secret")))
	s.line(2, `key block = PRF(master secret, "key expansion", server random + client random)`)
	for _, label := range []string{"client_write_key", "server_write_key", "client_write_IV", "server_write_IV"} {
		k := s.key(true, label)
		s.kvHexMark(label, k, len(k) > 0 && bytes.Equal(k, s.key(false, label)))
	}
	if s.isECDHE() {
		s.para(2, "Both sides derived the same keys, yet the premaster secret never crossed the wire: only the two endpoints, each with its own ephemeral private key, could compute it. (GCM suites need no MAC keys; the IVs are the 4-byte implicit part of each nonce.)")
	} else {
		s.para(2, "Both sides derived the same keys, yet the premaster secret crossed the wire only encrypted: only the holder of the server's private key can compute them. (GCM suites need no MAC keys; the IVs are the 4-byte implicit part of each nonce.)")
	}
	if s.opts.keylog != "" {
		s.para(2, fmt.Sprintf("Key log: %s holds \"CLIENT_RANDOM <client random> <master secret>\", which lets Wireshark decrypt a capture of this connection.", s.opts.keylog))
	}
	s.traceStep(3)
	return nil
}

// demoFinished12 is step 4.
func demoFinished12(s *demoSession) error {
	s.heading("Step 4  ChangeCipherSpec, Finished, then HTTP inside AES-GCM records")
	cf, _ := s.msgOf(true, true, handshake.TypeFinished).(*handshake.Finished)
	sf, _ := s.msgOf(true, false, handshake.TypeFinished).(*handshake.Finished)
	s.arrow(true, "ChangeCipherSpec: from its next record on, the client encrypts")
	if cf != nil {
		s.arrow(true, fmt.Sprintf("Finished, encrypted: verify_data %x", cf.VerifyData))
	}
	s.arrow(false, "ChangeCipherSpec: the server encrypts from here on")
	if sf != nil {
		s.arrow(false, fmt.Sprintf("Finished, encrypted: verify_data %x %s", sf.VerifyData, s.st.mark(s.state.HandshakeComplete)))
	}
	s.para(4, "Each verify_data is PRF(master secret, \"client finished\" or \"server finished\", hash of the handshake): it proves that both saw the same messages and hold the same keys. A man in the middle who changed a single byte is caught here.")
	s.httpExchange()
	if reqRecs := s.records(true, true, record.ApplicationData); len(reqRecs) > 0 {
		s.requestRecord12(reqRecs[0])
	}
	s.traceStep(4)
	return nil
}

// httpExchange prints the request and response lines with their records.
func (s *demoSession) httpExchange() {
	reqRecs := s.appRecords(true)
	respRecs := s.appRecords(false)
	respBytes := 0
	for _, r := range respRecs {
		respBytes += len(r.Plaintext)
	}
	first := strings.SplitN(string(s.request), "\r\n", 2)[0]
	recs := "records"
	if len(reqRecs) == 1 {
		recs = "record"
	}
	s.arrow(true, fmt.Sprintf("%s  (%d bytes in %d %s)", first, len(s.request), len(reqRecs), recs))
	s.arrow(false, fmt.Sprintf("%s  (%d bytes: headers and a %d-byte body, in %d records)",
		s.respLine, respBytes, len(s.body), len(respRecs)))
}

// appRecords returns the records of application data the client sent or
// received: under TLS 1.3 by their inner type, the outer one being
// application_data for every protected record.
func (t *demoTrace) appRecords(sent bool) []record.RecordEvent {
	var out []record.RecordEvent
	for _, r := range t.records(true, sent, record.ApplicationData) {
		if r.InnerType == record.ApplicationData || r.InnerType == 0 {
			out = append(out, r)
		}
	}
	return out
}

// requestRecord12 takes the request's TLS 1.2 GCM record apart.
func (s *demoSession) requestRecord12(r record.RecordEvent) {
	f := r.Fragment
	if len(r.Header) != record.HeaderLen || len(f) < record.ExplicitNonceLen+16 {
		return
	}
	n := len(f) - record.ExplicitNonceLen - 16
	s.blank()
	s.line(2, "The request's record, exactly as it crossed the wire:")
	s.kv("header", fmt.Sprintf("%s  %v, %v, %d bytes", cliSpacedHex(r.Header),
		record.ContentType(r.Header[0]), handshake.ProtocolVersion(uint16(r.Header[1])<<8|uint16(r.Header[2])),
		len(f)))
	s.kv("nonce_explicit", fmt.Sprintf("%x  (record sequence number %d)", f[:record.ExplicitNonceLen], r.Seq))
	s.kvHex("ciphertext", f[record.ExplicitNonceLen:record.ExplicitNonceLen+n], s.st.dim)
	s.kvHex("tag", f[record.ExplicitNonceLen+n:], s.st.dim)
	s.kv("decrypts to", fmt.Sprintf("%q", demoCut(r.Plaintext, 44)))
	iv := s.key(true, "client_write_IV")
	s.para(4, fmt.Sprintf("GCM nonce = client_write_IV %x || nonce_explicit. The tag also covers seq_num, type, version and length, so a record cannot be replayed, reordered or cut.", iv))
}
