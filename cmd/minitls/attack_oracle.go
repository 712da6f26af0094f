package main

// The two halves of the Bleichenbacher lesson's conversation: the weakened
// server (bleichLeaky), which exists only here, and the attacker's probe,
// which asks any server, weakened or real, one question per connection.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"slices"
	"sync"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/record"
)

// bleichLeaky is the weakened server of the Bleichenbacher lesson. It
// speaks TLS 1.2 RSA key transport with the real key and certificate, and
// differs from a correct server in exactly one way (conformant): it tells
// a ClientKeyExchange whose decryption does not start 00 02 apart, with
// handshake_failure, at once. It answers probes only: nobody who does not
// know the premaster secret gets past its Finished check, and it has no
// application behind it.
type bleichLeaky struct {
	srv  *attackServer
	rand io.Reader
	mu   sync.Mutex // guards rand
}

// serve answers every connection on ln until ln is closed.
func (l *bleichLeaky) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go l.handle(conn)
	}
}

func (l *bleichLeaky) handle(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	rc := record.NewConn(conn)
	rc.SendAlertFor(l.handshake(rc)) // it always ends in an alert
}

// conformant is THE WEAKNESS: the padding check whose verdict the server
// lets show. It decrypts with textbook RSA (m = c^d mod n) and looks at the
// first two bytes of the block.
func (l *bleichLeaky) conformant(c []byte) bool {
	k := l.srv.key.Size()
	if len(c) != k {
		return false
	}
	m, err := rsa.ModExp(c, l.srv.key.D, l.srv.key.N)
	if err != nil {
		return false
	}
	em := make([]byte, k)
	copy(em[k-len(m):], m)
	return em[0] == 0 && em[1] == 2
}

// answer is the alert the weakened server sends for a ClientKeyExchange
// carrying c, followed by a Finished under a wrong key: what the attacker
// sees, computed without a connection.
func (l *bleichLeaky) answer(c []byte) record.AlertDescription {
	if l.conformant(c) {
		return record.BadRecordMAC
	}
	return record.HandshakeFailure
}

func (l *bleichLeaky) random(n int) []byte {
	b := make([]byte, n)
	l.mu.Lock()
	defer l.mu.Unlock()
	io.ReadFull(l.rand, b)
	return b
}

// handshake runs the server side up to the client's Finished and returns
// the error that ends it: there is always one.
//
// spec: rfc5246#7.3
func (l *bleichLeaky) handshake(rc *record.Conn) error {
	raw, err := rc.ReadHandshakeOf(uint8(handshake.TypeClientHello))
	if err != nil {
		return err
	}
	var ch handshake.ClientHello
	if err := ch.Unmarshal(raw); err != nil {
		return record.NewError(record.DecodeError, "ClientHello", err)
	}
	if !slices.Contains(ch.CipherSuites, bleichSuite) {
		return record.NewError(record.HandshakeFailure, "ClientHello", fmt.Errorf("the client does not offer %v", bleichSuite))
	}
	sh := &handshake.ServerHello{Version: handshake.ProtocolVersion(record.VersionTLS12), CipherSuite: bleichSuite}
	copy(sh.Random[:], l.random(32))
	transcript := sha256.New()
	transcript.Write(raw)
	var flight [][]byte
	for _, m := range []handshake.Message{sh, &handshake.CertificateMessage{Certificates: [][]byte{l.srv.cert}}, &handshake.ServerHelloDone{}} {
		b, err := m.Marshal()
		if err != nil {
			return record.NewError(record.InternalError, "server flight", err)
		}
		transcript.Write(b)
		flight = append(flight, b)
	}
	if err := rc.WriteHandshake(flight...); err != nil {
		return err
	}
	raw, err = rc.ReadHandshakeOf(uint8(handshake.TypeClientKeyExchange))
	if err != nil {
		return err
	}
	var cke handshake.ClientKeyExchange
	if err := cke.Unmarshal(raw); err != nil {
		return record.NewError(record.DecodeError, "ClientKeyExchange", err)
	}
	transcript.Write(raw)
	if !l.conformant(cke.EncryptedPreMasterSecret) {
		// Here a correct server would carry on with a random premaster.
		return record.NewError(record.HandshakeFailure, "ClientKeyExchange", errors.New("the decrypted block does not start 00 02"))
	}
	pre, err := rsa.DecryptPKCS1v15(nil, l.srv.key, cke.EncryptedPreMasterSecret)
	if err != nil || len(pre) != 48 {
		pre = l.random(48) // the rest of the countermeasure, done right
	}
	return l.readFinished(rc, &ch, sh, pre, transcript.Sum(nil))
}

// readFinished derives the keys and checks the client's Finished.
func (l *bleichLeaky) readFinished(rc *record.Conn, ch *handshake.ClientHello, sh *handshake.ServerHello, pre, transcriptHash []byte) error {
	master := handshake.MasterSecret(sha256.New, pre, ch.Random[:], sh.Random[:])
	kb := handshake.KeyExpansion(sha256.New, master, ch.Random[:], sh.Random[:], 16, 4)
	aead, err := wireNewAEAD(kb.ClientKey)
	if err != nil {
		return record.NewError(record.InternalError, "keys", err)
	}
	prot, err := record.NewProtection(aead, kb.ClientIV)
	if err != nil {
		return record.NewError(record.InternalError, "keys", err)
	}
	rc.SetPendingRead(prot)
	if err := rc.ReadChangeCipherSpec(); err != nil {
		return err
	}
	raw, err := rc.ReadHandshakeOf(uint8(handshake.TypeFinished))
	if err != nil {
		return err // bad_record_mac for anyone without the premaster
	}
	want := handshake.VerifyData(sha256.New, master, "client finished", transcriptHash)
	var fin handshake.Finished
	if fin.Unmarshal(raw) != nil || !bytes.Equal(fin.VerifyData, want) {
		return record.NewError(record.DecryptError, "Finished", errors.New("verify_data does not match"))
	}
	return record.NewError(record.InternalError, "Finished", errors.New("this weakened server answers probes only"))
}

// --- the attacker's side ---------------------------------------------

// bleichAnswer is everything an attacker observes of one answer.
type bleichAnswer struct {
	alert   record.AlertDescription // the alert that ended the connection; 255: none came
	elapsed time.Duration           // from sending the ClientKeyExchange to the answer
	closed  bool                    // the server closed the connection after it
}

// bleichProbe is one question to a server: a full handshake up to the
// client's Finished with the chosen ciphertext as ClientKeyExchange.
func bleichProbe(addr string, c []byte, random io.Reader) (bleichAnswer, error) {
	var ans bleichAnswer
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return ans, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	rc := record.NewConn(conn)
	ch := &handshake.ClientHello{Version: handshake.ProtocolVersion(record.VersionTLS12),
		CipherSuites: []handshake.CipherSuite{bleichSuite}, CompressionMethods: []uint8{0}}
	io.ReadFull(random, ch.Random[:])
	raw, err := ch.Marshal()
	if err != nil {
		return ans, err
	}
	if err := rc.WriteHandshake(raw); err != nil {
		return ans, err
	}
	for _, t := range []handshake.HandshakeType{handshake.TypeServerHello, handshake.TypeCertificate, handshake.TypeServerHelloDone} {
		if _, err := rc.ReadHandshakeOf(uint8(t)); err != nil {
			return ans, fmt.Errorf("the server's flight: %w", err)
		}
	}
	// The Finished goes out under a random key: what a client whose
	// premaster the server did not decrypt would look like.
	key := make([]byte, 20)
	io.ReadFull(random, key)
	aead, err := wireNewAEAD(key[:16])
	if err != nil {
		return ans, err
	}
	prot, err := record.NewProtection(aead, key[16:])
	if err != nil {
		return ans, err
	}
	rc.SetPendingWrite(prot)
	cke, _ := (&handshake.ClientKeyExchange{EncryptedPreMasterSecret: c}).Marshal()
	fin, _ := (&handshake.Finished{VerifyData: make([]byte, 12)}).Marshal()
	start := time.Now()
	rc.WriteHandshake(cke)
	rc.WriteChangeCipherSpec()
	rc.WriteHandshake(fin)
	_, err = rc.ReadHandshake()
	ans.elapsed = time.Since(start)
	ans.alert = 255
	var alert *record.AlertReceivedError
	if errors.As(err, &alert) {
		ans.alert = alert.Description
	}
	// Does the server hang up, or leave the connection open?
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	ans.closed = errors.Is(err, io.EOF)
	return ans, nil
}

// bleichTLSOracle returns an oracle that asks the server at addr over TLS
// (yes = the weakened server's "carry on" answer, bad_record_mac), and a
// function returning the tally of answers so far.
func bleichTLSOracle(addr string, random io.Reader) (func([]byte) (bool, error), func() map[record.AlertDescription]int) {
	tally := map[record.AlertDescription]int{}
	ask := func(c []byte) (bool, error) {
		ans, err := bleichProbe(addr, c, random)
		if err != nil {
			return false, fmt.Errorf("asking the server: %w", err)
		}
		tally[ans.alert]++
		return ans.alert == record.BadRecordMAC, nil
	}
	return ask, func() map[record.AlertDescription]int { return maps.Clone(tally) }
}

// bleichDirectOracle asks the weakened server's check as a function.
func bleichDirectOracle(l *bleichLeaky) (func([]byte) (bool, error), func() map[record.AlertDescription]int) {
	tally := map[record.AlertDescription]int{}
	ask := func(c []byte) (bool, error) {
		a := l.answer(c)
		tally[a]++
		return a == record.BadRecordMAC, nil
	}
	return ask, func() map[record.AlertDescription]int { return maps.Clone(tally) }
}
