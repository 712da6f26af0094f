package main

// Recorded traffic, as the attack lessons and demo -leak use it: the bytes
// a passive eavesdropper keeps of a connection, cut back into records and
// handshake messages, and (once a lesson has the premaster secret) the
// session's keys derived and a TLS 1.2 AES-GCM record opened by hand.

import (
	"bytes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"net"
	"slices"
	"sync"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/handshake"
	"minitls/record"
)

// wireRecorder keeps every byte a connection writes and reads: what a
// passive eavesdropper on the path records.
type wireRecorder struct {
	net.Conn
	mu      sync.Mutex
	out, in bytes.Buffer
}

func (r *wireRecorder) Write(b []byte) (int, error) {
	n, err := r.Conn.Write(b)
	r.mu.Lock()
	r.out.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

func (r *wireRecorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	r.in.Write(b[:n])
	r.mu.Unlock()
	return n, err
}

// bytes returns copies of what was written (out) and read (in) so far.
func (r *wireRecorder) bytes() (out, in []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return bytes.Clone(r.out.Bytes()), bytes.Clone(r.in.Bytes())
}

// wireRec is one record cut out of a recorded stream.
type wireRec struct {
	typ      record.ContentType
	header   []byte
	fragment []byte
}

// wireRecords splits a recorded stream into whole records (rfc5246#6.2.1);
// a torn last record is left out.
func wireRecords(b []byte) []wireRec {
	var out []wireRec
	for len(b) >= record.HeaderLen {
		n := int(binary.BigEndian.Uint16(b[3:5]))
		if len(b) < record.HeaderLen+n {
			break
		}
		out = append(out, wireRec{typ: record.ContentType(b[0]), header: b[:record.HeaderLen], fragment: b[record.HeaderLen : record.HeaderLen+n]})
		b = b[record.HeaderLen+n:]
	}
	return out
}

// wireSplit returns the plaintext handshake messages of a stream (those
// before its ChangeCipherSpec, each with its 4-byte header, rfc5246#7.4)
// and the protected records after it.
func wireSplit(recs []wireRec) (msgs [][]byte, protected []wireRec) {
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

// wireNewAEAD returns minitls's AES-GCM under key.
func wireNewAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return gcm.New(block)
}

// wireOpen opens one TLS 1.2 AES-GCM record by hand (rfc5288#3,
// rfc5246#6.2.3.3): nonce = salt || nonce_explicit, additional data =
// seq_num || type || version || plaintext length.
func wireOpen(key, salt []byte, seq uint64, r wireRec) ([]byte, error) {
	aead, err := wireNewAEAD(key)
	if err != nil {
		return nil, err
	}
	if len(r.fragment) < record.ExplicitNonceLen+aead.Overhead() {
		return nil, errors.New("record too short")
	}
	nonce := append(bytes.Clone(salt), r.fragment[:record.ExplicitNonceLen]...)
	n := len(r.fragment) - record.ExplicitNonceLen - aead.Overhead()
	return aead.Open(nil, nonce, r.fragment[record.ExplicitNonceLen:], wireAD(seq, r.header, n))
}

// wireAD is a TLS 1.2 record's additional data: seq_num || type ||
// version || length of the plaintext.
func wireAD(seq uint64, header []byte, n int) []byte {
	ad := binary.BigEndian.AppendUint64(nil, seq)
	ad = append(ad, header[:3]...)
	return binary.BigEndian.AppendUint16(ad, uint16(n))
}

// wireSession is a recorded TLS 1.2 full handshake, parsed: the hellos,
// every handshake message each way, and the client's protected records.
type wireSession struct {
	ch           handshake.ClientHello
	sh           handshake.ServerHello
	cmsgs, smsgs [][]byte
	cprot        []wireRec
}

// wireParse cuts a recorded session (c2s from the client, s2c from the
// server) into its handshake.
func wireParse(c2s, s2c []byte) (*wireSession, error) {
	var s wireSession
	s.cmsgs, s.cprot = wireSplit(wireRecords(c2s))
	s.smsgs, _ = wireSplit(wireRecords(s2c))
	if len(s.cmsgs) < 2 || len(s.smsgs) < 3 {
		return nil, errors.New("the recording lacks the handshake")
	}
	if s.ch.Unmarshal(s.cmsgs[0]) != nil || s.sh.Unmarshal(s.smsgs[0]) != nil {
		return nil, errors.New("the recorded hellos do not parse")
	}
	return &s, nil
}

// openRequest is what an attacker does once a premaster secret is known:
// the master secret (with the session hash when the ServerHello accepted
// extended_master_secret), the key block, then the client's first
// application-data record opened with client_write_key. Returns the master
// secret and the request.
//
// spec: rfc5246#8.1, rfc7627#4, rfc5246#6.3
func (s *wireSession) openRequest(premaster []byte) (master, request []byte, err error) {
	prf, keyLen := sha256.New, 16
	if s.sh.CipherSuite == handshake.TLS_RSA_WITH_AES_256_GCM_SHA384 || s.sh.CipherSuite == handshake.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 {
		prf, keyLen = sha512.New384, 32
	}
	if slices.ContainsFunc(s.sh.Extensions, func(e handshake.Extension) bool { return e.Type == handshake.ExtExtendedMasterSecret }) {
		// The session hash covers every handshake message up to and
		// including the ClientKeyExchange, in order: all of them are in
		// the recording.
		h := prf()
		h.Write(s.cmsgs[0])
		for _, m := range s.smsgs {
			h.Write(m)
		}
		for _, m := range s.cmsgs[1:] {
			h.Write(m)
		}
		master = handshake.ExtendedMasterSecret(prf, premaster, h.Sum(nil))
	} else {
		master = handshake.MasterSecret(prf, premaster, s.ch.Random[:], s.sh.Random[:])
	}
	kb := handshake.KeyExpansion(prf, master, s.ch.Random[:], s.sh.Random[:], keyLen, 4)
	for seq, r := range s.cprot { // Finished is sequence 0, the request 1
		if r.typ == record.ApplicationData {
			request, err = wireOpen(kb.ClientKey, kb.ClientIV, uint64(seq), r)
			return master, request, err
		}
	}
	return master, nil, errors.New("no application data in the recording")
}
