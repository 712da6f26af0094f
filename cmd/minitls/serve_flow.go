package main

// What serve's per-connection Trace hook keeps for the page: every
// handshake message (and ChangeCipherSpec) in the order it crossed the
// wire, with its size, when the server saw it, and whether a record
// protection sealed it; the visitor's ClientHello; and the key exchange
// the server ran. Never a secret: serve's hook does not opt in to them.

import (
	"bytes"
	"encoding/binary"
	"time"

	"minitls/handshake"
	"minitls/record"
)

// serveFlowMsg is one message of the visitor's handshake, as the server
// saw it.
type serveFlowMsg struct {
	name       string
	fromClient bool
	size       int // bytes on the wire, message header included
	at         time.Time
	encrypted  bool // inside a protected record
}

// serveKX is the key exchange the server ran, read from its own messages:
// the ECDHE ServerKeyExchange (TLS 1.2), or the ServerHello's key_share
// and the CertificateVerify (TLS 1.3).
type serveKX struct {
	group     handshake.CurveID
	sigScheme handshake.SignatureScheme
	version   handshake.ProtocolVersion // from the ServerHello's supported_versions, else its version
	psk       bool                      // the ServerHello accepted a pre_shared_key (TLS 1.3 resumption)
}

// flowEvent records a message or a ChangeCipherSpec record. The caller
// holds in.mu. It serves either end: serve's trace is the server's, demo
// -compare replays the client's.
//
// The server's own message events come before the record that carries
// them, the client's after: a sent message is marked encrypted when its
// record is written; a received one takes the state of the last record
// read.
func (in *serveConnInfo) flowEvent(e handshake.Event, now time.Time) {
	if e.Phase == handshake.PhaseEstablished {
		// TLS 1.3's NewSessionTicket and KeyUpdate come after the
		// handshake, at a moment that races with the page: leave them out.
		return
	}
	switch e.Kind {
	case handshake.EventRecord:
		r := e.Record
		if r.Type == record.ChangeCipherSpec || (r.Protected && r.InnerType == record.ChangeCipherSpec) {
			in.flow = append(in.flow, serveFlowMsg{name: "ChangeCipherSpec", fromClient: r.Sent == e.IsClient,
				size: len(r.Plaintext), at: now, encrypted: r.Protected})
		}
		if r.Sent {
			for _, i := range in.unsent {
				in.flow[i].encrypted = r.Protected
			}
			in.unsent = in.unsent[:0]
		} else {
			in.readProtected = r.Protected
		}
	case handshake.EventMessage:
		if len(e.Bytes) == 0 {
			return
		}
		t := handshake.HandshakeType(e.Bytes[0])
		m := serveFlowMsg{name: serveMessageName(t, e.Bytes), fromClient: e.Sent == e.IsClient, size: len(e.Bytes), at: now,
			encrypted: !e.Sent && in.readProtected}
		switch {
		case e.Sent:
			in.unsent = append(in.unsent, len(in.flow))
			if !e.IsClient {
				in.noteServerMessage(t, e)
			}
		case t == handshake.TypeClientHello && in.hello == nil:
			if ch, ok := e.Message.(*handshake.ClientHello); ok {
				in.hello = serveCloneHello(ch, e.Bytes)
			}
		}
		in.flow = append(in.flow, m)
	}
}

// noteServerMessage reads the key exchange out of the server's messages.
func (in *serveConnInfo) noteServerMessage(t handshake.HandshakeType, e handshake.Event) {
	body := e.Bytes[4:]
	switch t {
	case handshake.TypeServerKeyExchange:
		if ske, ok := e.Message.(*handshake.ServerKeyExchange); ok {
			in.kx.group, in.kx.sigScheme = ske.NamedCurve, ske.SignatureAlgorithm
		}
	case handshake.TypeCertificateVerify:
		// struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; }
		// spec: rfc8446#4.4.3
		if len(body) >= 2 {
			in.kx.sigScheme = handshake.SignatureScheme(binary.BigEndian.Uint16(body))
		}
	case handshake.TypeServerHello:
		if sh, ok := e.Message.(*handshake.ServerHello); ok {
			in.kx.version = sh.Version
			in.noteServerHello(sh.Extensions)
		}
	}
}

// noteServerHello reads supported_versions, key_share (its group comes
// first, in a HelloRetryRequest it is all there is) and pre_shared_key.
//
// spec: rfc8446#4.2.1, rfc8446#4.2.8, rfc8446#4.2.11
func (in *serveConnInfo) noteServerHello(exts []handshake.Extension) {
	for _, x := range exts {
		switch {
		case x.Type == handshake.ExtSupportedVersions && len(x.Data) == 2:
			in.kx.version = handshake.ProtocolVersion(binary.BigEndian.Uint16(x.Data))
		case x.Type == handshake.ExtKeyShare && len(x.Data) >= 2:
			in.kx.group = handshake.CurveID(binary.BigEndian.Uint16(x.Data))
		case x.Type == handshake.ExtPreSharedKey:
			in.kx.psk = true
		}
	}
}

// serveCloneHello keeps the visitor's ClientHello beyond the trace call
// (whose byte slices the connection reuses).
func serveCloneHello(ch *handshake.ClientHello, raw []byte) *handshake.ClientHello {
	var c handshake.ClientHello
	if c.Unmarshal(bytes.Clone(raw)) == nil {
		return &c
	}
	return nil
}

// serveMessageName is the RFC's name of a handshake message; a
// HelloRetryRequest is a ServerHello with a special random (rfc8446#4.1.3).
func serveMessageName(t handshake.HandshakeType, raw []byte) string {
	if t == handshake.TypeServerHello && len(raw) >= 38 && bytes.Equal(raw[6:38], serveHRRRandom[:]) {
		return "HelloRetryRequest"
	}
	switch t {
	case handshake.TypeCertificate:
		return "Certificate"
	case handshake.TypeCertificateVerify:
		return "CertificateVerify"
	case 8:
		return "EncryptedExtensions"
	case 24:
		return "KeyUpdate"
	}
	return demoMessageName(t)
}

// serveHRRRandom is SHA-256("HelloRetryRequest"), the random of a
// HelloRetryRequest.
//
// spec: rfc8446#4.1.3
var serveHRRRandom = [32]byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}
