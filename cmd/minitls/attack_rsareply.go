package main

// minitls attack rsa-reply: why TLS switches to symmetric keys. The story's
// first reason, "asymmetric encryption goes only one way", made concrete.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

func init() {
	registerLesson(attackLesson{
		name:    "rsa-reply",
		summary: "a reply 'encrypted' with the private key: anyone can read it",
		order:   0,
		run:     replyRun,
	})
}

// replyBody is the server's secret answer.
const replyBody = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" +
	"account 4711-0815, Alice Example\n" +
	"balance         1,234.56 EUR\n" +
	"last transfer   -250.00 EUR to Bob, rent\n" +
	"credit card     4929 1234 5678 9012, expires 09/29\n" +
	"security answer: the name of my first cat was Mittens\n" +
	"standing order  monthly, 850.00 EUR to Carol Landlord, IBAN DE02 1203 0000 0000 2020 51\n" +
	"login history   2026-01-01 11:58 from 203.0.113.7 (Berlin), 2026-01-01 08:12 from 198.51.100.23\n"

// replyRequest is the client's request. It travels encrypted to the
// server's public key, which works: only the server can read it.
const replyRequest = "GET /account HTTP/1.1\r\nHost: localhost\r\nCookie: session=7f3a9c01d2\r\n\r\n"

func replyRun(args []string, stdout, stderr io.Writer) error {
	var f attackFlags
	set := newAttackFlagSet("rsa-reply", "[-bits N] [-seed N] [-trace]",
		"A client encrypts its request to the server's RSA public key: fine, only the\n"+
			"server can decrypt it. But the server can only answer with its private key,\n"+
			"and what the private key 'encrypts' the public key, which the certificate\n"+
			"gave everyone, decrypts. An eavesdropper holding nothing but that public key\n"+
			"reads every reply byte. Then a real minitls connection: the eavesdropper\n"+
			"sees only AES-GCM records. Both byte streams side by side, and the cost.", stderr, &f, true)
	bits := set.Int("bits", 2048, "RSA key size of the server: 2048 or 3072")
	if err := parseAttackFlags(set, args, &f); err != nil {
		return err
	}
	if *bits != 2048 && *bits != 3072 {
		return &exitError{code: 2, err: fmt.Errorf("-bits %d: use 2048 or 3072", *bits)}
	}
	_, err := replyLesson(newAttackPrinter(stdout), &f, *bits)
	return err
}

// replyOutcome is what the lesson measured, for the tests.
type replyOutcome struct {
	weakRead []byte // what the eavesdropper decrypted from the weakened exchange
	realRead []byte // what it made of the real connection's records
	realGot  []byte // what the real client received
	rsaBlock time.Duration
	gcmReply time.Duration
}

// replyFrame writes b with a 2-byte length.
func replyFrame(w io.Writer, b []byte) error {
	_, err := w.Write(binary.BigEndian.AppendUint16(nil, uint16(len(b))))
	if err == nil {
		_, err = w.Write(b)
	}
	return err
}

// replyFrames splits a recorded stream into its length-prefixed frames.
func replyFrames(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 2 {
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			break
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out
}

// replyWeakServer is the weakened endpoint: it speaks a naive protocol
// with asymmetric cryptography only. It sends its certificate, reads the
// request (encrypted to its public key with RSAES-PKCS1-v1_5, correct), and
// answers with THE WEAKNESS: each block of the reply "encrypted" with its
// private key, c = m^d mod n, the only operation its key allows it.
func replyWeakServer(conn net.Conn, srv *attackServer, random io.Reader, took *time.Duration) error {
	defer conn.Close()
	if err := replyFrame(conn, srv.cert); err != nil {
		return err
	}
	var n [2]byte
	if _, err := io.ReadFull(conn, n[:]); err != nil {
		return err
	}
	ct := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(conn, ct); err != nil {
		return err
	}
	if _, err := rsa.DecryptPKCS1v15(random, srv.key, ct); err != nil {
		return err
	}
	k := srv.key.Size()
	start := time.Now()
	var blocks [][]byte
	for rest := []byte(replyBody); len(rest) > 0; {
		m := rest[:min(len(rest), k-1)] // below n: one byte short of the modulus
		rest = rest[len(m):]
		c, err := rsa.ModExp(m, srv.key.D, srv.key.N)
		if err != nil {
			return err
		}
		blocks = append(blocks, c)
	}
	*took = time.Since(start) / time.Duration(len(blocks))
	for _, c := range blocks {
		if err := replyFrame(conn, c); err != nil {
			return err
		}
	}
	return nil
}

// replyWeakExchange runs the weakened exchange over loopback TCP and
// returns what an eavesdropper recorded each way, and the private-key time
// per block.
func replyWeakExchange(srv *attackServer, f *attackFlags) (c2s, s2c []byte, perBlock time.Duration, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, 0, err
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		done <- replyWeakServer(conn, srv, f.rand(1), &perBlock)
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, 0, err
	}
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	rec := &wireRecorder{Conn: raw}
	defer rec.Close()
	r := bufio.NewReader(rec)
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, nil, 0, err
	}
	certDER := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(r, certDER); err != nil {
		return nil, nil, 0, err
	}
	cert, err := x509lite.ParseCertificate(certDER)
	if err != nil || cert.PublicKey == nil {
		return nil, nil, 0, fmt.Errorf("the weakened server's certificate: %v", err)
	}
	ct, err := rsa.EncryptPKCS1v15(f.rand(2), cert.PublicKey, []byte(replyRequest))
	if err != nil {
		return nil, nil, 0, err
	}
	if err := replyFrame(rec, ct); err != nil {
		return nil, nil, 0, err
	}
	if _, err := io.ReadAll(r); err != nil {
		return nil, nil, 0, err
	}
	if err := <-done; err != nil {
		return nil, nil, 0, fmt.Errorf("the weakened server: %w", err)
	}
	c2s, s2c = rec.bytes()
	return c2s, s2c, perBlock, nil
}

// replyEavesdropWeak is the eavesdropper on the weakened exchange: it takes
// the public key from the certificate it saw and raises every reply block
// to e. The request frame it cannot open.
func replyEavesdropWeak(s2c []byte) ([]byte, error) {
	frames := replyFrames(s2c)
	if len(frames) < 2 {
		return nil, errors.New("the recording lacks the reply")
	}
	cert, err := x509lite.ParseCertificate(frames[0])
	if err != nil || cert.PublicKey == nil {
		return nil, fmt.Errorf("the recorded certificate: %v", err)
	}
	e := binary.BigEndian.AppendUint32(nil, uint32(cert.PublicKey.E))
	var out []byte
	for _, c := range frames[1:] {
		m, err := rsa.ModExp(c, e, cert.PublicKey.N)
		if err != nil {
			return nil, err
		}
		out = append(out, bytes.TrimLeft(m, "\x00")...)
	}
	return out, nil
}

// replyRealExchange runs the same request over a real minitls connection
// (ECDHE_RSA, the default suites) and returns the recorded bytes and what
// the client received.
func replyRealExchange(srv *attackServer, f *attackFlags) (c2s, s2c, got []byte, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, nil, err
	}
	defer ln.Close()
	cfg := srv.config(f.rand(3), false)
	// TLS 1.2, the story's version (1.3 would encrypt the certificate too):
	// listing only TLS 1.2 suites keeps TLS 1.3 off on both sides.
	cfg.CipherSuites = []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		io.WriteString(w, replyBody[strings.Index(replyBody, "\r\n\r\n")+4:])
	}), ErrorLog: log.New(io.Discard, "", 0)}
	go hs.Serve(handshake.NewListener(ln, cfg))
	defer hs.Close()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, nil, err
	}
	raw.SetDeadline(time.Now().Add(30 * time.Second))
	rec := &wireRecorder{Conn: raw}
	conn := handshake.Client(rec, &handshake.Config{ServerName: "localhost", InsecureSkipVerify: true,
		Rand: f.rand(4), Time: func() time.Time { return attackEpoch }, CipherSuites: cfg.CipherSuites})
	defer conn.Close()
	if _, err := io.WriteString(conn, replyRequest[:len(replyRequest)-2]+"Connection: close\r\n\r\n"); err != nil {
		return nil, nil, nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, nil, nil, err
	}
	got, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, nil, err
	}
	c2s, s2c = rec.bytes()
	return c2s, s2c, got, nil
}

// replyEavesdropReal tries the same trick on the real connection's
// server records: the certificate is there (TLS 1.2 sends it in clear), so
// it raises each application-data record to e. The result is noise.
func replyEavesdropReal(s2c []byte) ([]byte, []wireRec, error) {
	recs := wireRecords(s2c)
	msgs, prot := wireSplit(recs)
	var pub *rsa.PublicKey
	for _, m := range msgs {
		if handshake.HandshakeType(m[0]) == handshake.TypeCertificate {
			var cm handshake.CertificateMessage
			if cm.Unmarshal(m) == nil && len(cm.Certificates) > 0 {
				if cert, err := x509lite.ParseCertificate(cm.Certificates[0]); err == nil {
					pub = cert.PublicKey
				}
			}
		}
	}
	if pub == nil {
		return nil, nil, errors.New("no RSA certificate in the recording")
	}
	e := binary.BigEndian.AppendUint32(nil, uint32(pub.E))
	var out []byte
	var app []wireRec
	for _, r := range prot {
		if r.typ != record.ApplicationData {
			continue
		}
		app = append(app, r)
		for b := r.fragment; len(b) > 0; {
			chunk := b[:min(len(b), pub.Size()-1)]
			b = b[len(chunk):]
			m, err := rsa.ModExp(chunk, e, pub.N)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, m...)
		}
	}
	return out, app, nil
}

// replyLesson runs the lesson, printing to p.
func replyLesson(p *attackPrinter, f *attackFlags, bits int) (*replyOutcome, error) {
	out := &replyOutcome{}
	p.title("minitls attack rsa-reply: asymmetric encryption goes only one way")
	p.para(0, "Why does TLS use RSA only to agree on a key, then switch to AES? Try doing without: a client encrypts its request to the server's public key, and the server must answer. Its private key can only do the private-key operation, m^d mod n, and whatever that produces, the public key undoes, and the certificate gave the public key to everyone.")
	srv, err := newAttackServer(f.rand(0), bits)
	if err != nil {
		return nil, err
	}

	p.heading("Step 1  The weakened exchange, recorded by an eavesdropper")
	p.para(2, "The weakness, and only it: the server answers with its reply cut into blocks one byte shorter than n, each 'encrypted' with its private key. The request goes the right way (RSAES-PKCS1-v1_5 to the public key); the eavesdropper cannot read it.")
	wc2s, ws2c, perBlock, err := replyWeakExchange(srv, f)
	if err != nil {
		return nil, err
	}
	out.rsaBlock = perBlock
	if out.weakRead, err = replyEavesdropWeak(ws2c); err != nil {
		return nil, err
	}
	p.kv("client → server", fmt.Sprintf("%d bytes: the request, RSA-encrypted to the server's key", len(wc2s)))
	p.kv("server → client", fmt.Sprintf("%d bytes: certificate, then the reply: %d RSA blocks of %d bytes", len(ws2c), len(replyFrames(ws2c))-1, srv.key.Size()))

	p.heading("Step 2  The same request over a real minitls connection")
	rc2s, rs2c, got, err := replyRealExchange(srv, f)
	if err != nil {
		return nil, fmt.Errorf("the real minitls connection: %w", err)
	}
	out.realGot = got
	noise, app, err := replyEavesdropReal(rs2c)
	if err != nil {
		return nil, err
	}
	out.realRead = noise
	p.kv("client → server", fmt.Sprintf("%d bytes: handshake, then the request in an AES-GCM record", len(rc2s)))
	p.kv("server → client", fmt.Sprintf("%d bytes: handshake (certificate in clear), then the reply: %d AES-GCM record(s)", len(rs2c), len(app)))

	p.heading("Side by side: what the eavesdropper has, and what it reads")
	weakFrames := replyFrames(ws2c)
	replyColumns(p, "weakened server", "minitls server")
	replyColumns(p, "reply on the wire:", "reply on the wire:")
	wl, rl := cliHexLines(weakFrames[1], 16), cliHexLines(app[0].fragment, 16)
	for i := 0; i < 4; i++ {
		replyColumns(p, replyAt(wl, i), replyAt(rl, i))
	}
	replyColumns(p, "…", "…")
	replyColumns(p, "public key applied (c^e mod n):", "public key applied (c^e mod n):")
	weakText := replyPrintable(out.weakRead)
	realText := replyPrintable(noise)
	for i := 0; i < 14; i++ {
		replyColumns(p, p.st.yellow(replyAt(weakText, i)), replyAt(realText, i))
	}
	p.check(bytes.Equal(out.weakRead, []byte(replyBody)), "weakened", fmt.Sprintf("the eavesdropper read all %d reply bytes, with the certificate's public key alone", len(replyBody)))
	p.check(!bytes.Contains(noise, []byte("balance")), "minitls", "the records are AES-GCM under keys from the handshake; the public key opens nothing, and without the session keys they are noise")
	if f.trace {
		p.heading("-trace: the weakened server's reply blocks")
		for i, fr := range weakFrames[1:] {
			p.kvHex(fmt.Sprintf("block %d", i), fr, 0, plain)
		}
	}

	p.heading("The second reason: cost, measured in this run")
	out.gcmReply = replyMeasureGCM([]byte(replyBody))
	rsaRate := float64(srv.key.Size()-1) / out.rsaBlock.Seconds() / 1e6
	gcmRate := float64(len(replyBody)) / out.gcmReply.Seconds() / 1e6
	p.kv(fmt.Sprintf("RSA-%d private", bits), fmt.Sprintf("%s per %d-byte block (%.2f MB/s)", cliDuration(out.rsaBlock), srv.key.Size()-1, rsaRate))
	p.kv("AES-128-GCM", fmt.Sprintf("%s for the whole %d-byte reply (%.0f MB/s)", cliDuration(out.gcmReply), len(replyBody), gcmRate))
	p.line(2, p.st.bold(fmt.Sprintf("The private-key operation is about %.0f× slower per byte.", gcmRate/rsaRate)))

	p.heading("The lesson")
	p.para(2, "Public-key encryption protects messages TO the key's owner only; the owner's answer needs something else. TLS uses the asymmetric step once, to agree on a fresh secret (RSA key transport or ECDHE), then derives symmetric keys for each direction and protects the bulk data with AES-GCM: secret both ways, and thousands of times cheaper.")
	return out, nil
}

// replyColumns prints two 36-column cells side by side.
func replyColumns(p *attackPrinter, left, right string) {
	pad := 37 - attackColumns(left)
	if pad < 1 {
		pad = 1
	}
	p.line(4, left+strings.Repeat(" ", pad)+right)
}

// replyAt returns lines[i] or "".
func replyAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

// replyPrintable cuts b into 34-character lines, newlines shown as ⏎ and
// other bytes outside printable ASCII as ·.
func replyPrintable(b []byte) []string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == '\n':
			sb.WriteString("⏎")
		case c == '\r':
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			sb.WriteString("·")
		}
	}
	r := []rune(sb.String())
	var out []string
	for len(r) > 0 {
		n := min(len(r), 34)
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return out
}

// attackColumns counts the terminal columns of s, ignoring ANSI colour.
func attackColumns(s string) int {
	n, esc := 0, false
	for _, r := range s {
		switch {
		case r == '\x1b':
			esc = true
		case esc:
			if r == 'm' {
				esc = false
			}
		default:
			n++
		}
	}
	return n
}

// replyMeasureGCM returns the median time minitls's AES-128-GCM takes to
// seal data, over 7 runs.
func replyMeasureGCM(data []byte) time.Duration {
	aead, err := wireNewAEAD(make([]byte, 16))
	if err != nil {
		return 0
	}
	nonce := make([]byte, 12)
	var times []time.Duration
	buf := make([]byte, 0, len(data)+16)
	for i := 0; i < 7; i++ {
		start := time.Now()
		aead.Seal(buf[:0], nonce, data, nil)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2]
}
