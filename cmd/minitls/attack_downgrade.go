package main

// minitls attack downgrade: a man in the middle edits the ClientHello so
// that the peers agree on less than both support. The Finished messages,
// which authenticate the whole transcript, are what catch it (rfc5246#7.4.9).

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/record"
	"minitls/x509lite"
)

func init() {
	registerLesson(attackLesson{
		name:    "downgrade",
		summary: "a man in the middle strips the strong suites from the hello",
		order:   4,
		run:     downRun,
	})
}

// downStrong and downWeak are the suites offered, strongest first; the
// attacker removes downStrong.
const (
	downStrong = handshake.TLS_RSA_WITH_AES_256_GCM_SHA384
	downWeak   = handshake.TLS_RSA_WITH_AES_128_GCM_SHA256
)

// downOffered is what both clients offer and both servers prefer, in order.
var downOffered = []uint16{uint16(downStrong), uint16(downWeak)}

func downRun(args []string, stdout, stderr io.Writer) error {
	var f attackFlags
	set := newAttackFlagSet("downgrade", "[-seed N] [-trace]",
		"A client and a server that both prefer AES-256 connect through a man in the\n"+
			"middle who deletes AES-256 from the ClientHello. Endpoints that do not check\n"+
			"the peer's Finished settle on AES-128 without noticing; minitls's real client\n"+
			"and server refuse the handshake, and the lesson shows the alert.", stderr, &f, true)
	if err := parseAttackFlags(set, args, &f); err != nil {
		return err
	}
	_, err := downLesson(newAttackPrinter(stdout), &f)
	return err
}

// downOutcome is what the lesson observed, for the tests.
type downOutcome struct {
	weakSuite  handshake.CipherSuite // what the weakened pair agreed on
	weakReply  []byte
	realErr    error                   // the real client's handshake error
	realAlert  record.AlertDescription // the alert it received
	realServer error                   // the real server's handshake error

	realAlertNoEMS  record.AlertDescription // the same with extended_master_secret stripped too
	realServerNoEMS error

	sentinel      []byte                  // the last 8 bytes of the TLS 1.2 ServerHello.random
	sentinelErr   error                   // the real client's error
	sentinelAlert record.AlertDescription // the alert the server received
}

// downParams are the parts of a suite the weakened endpoints need.
func downParams(s handshake.CipherSuite) (prf func() hash.Hash, keyLen int) {
	if s == downStrong {
		return sha512.New384, 32
	}
	return sha256.New, 16
}

// downMITM relays a connection, passing the client's first record (the
// ClientHello) through edit. It reports the suites before and after.
func downMITM(client net.Conn, serverAddr string, edit func(*handshake.ClientHello), report func(before, after []handshake.CipherSuite)) {
	defer client.Close()
	server, err := net.Dial("tcp", serverAddr)
	if err != nil {
		return
	}
	defer server.Close()
	go func() {
		io.Copy(client, server)
		client.Close()
	}()
	r := bufio.NewReader(client)
	header := make([]byte, record.HeaderLen)
	if _, err := io.ReadFull(r, header); err != nil {
		return
	}
	body := make([]byte, int(header[3])<<8|int(header[4]))
	if _, err := io.ReadFull(r, body); err != nil {
		return
	}
	var ch handshake.ClientHello
	if ch.Unmarshal(body) == nil {
		before := slices.Clone(ch.CipherSuites)
		edit(&ch)
		ch.Raw = nil
		if edited, err := ch.Marshal(); err == nil {
			body = edited
			header[3], header[4] = byte(len(body)>>8), byte(len(body))
		}
		report(before, ch.CipherSuites)
	}
	server.Write(append(header, body...))
	io.Copy(server, r)
}

// downStripStrong is the man in the middle's edit: AES-256 is gone.
func downStripStrong(ch *handshake.ClientHello) {
	ch.CipherSuites = slices.DeleteFunc(ch.CipherSuites, func(s handshake.CipherSuite) bool { return s == downStrong })
}

// downStripExtension deletes one extension from the hello.
func downStripExtension(ch *handshake.ClientHello, t handshake.ExtensionType) {
	ch.Extensions = slices.DeleteFunc(ch.Extensions, func(e handshake.Extension) bool { return e.Type == t })
}

// downWeakState is one weakened endpoint's view of the handshake.
type downWeakState struct {
	rc         *record.Conn
	transcript bytes.Buffer
	suite      handshake.CipherSuite
	ch         handshake.ClientHello
	sh         handshake.ServerHello
	master     []byte
}

func (s *downWeakState) hash() []byte {
	prf, _ := downParams(s.suite)
	h := prf()
	h.Write(s.transcript.Bytes())
	return h.Sum(nil)
}

// keys installs the pending protections for this side.
func (s *downWeakState) keys(pre []byte, client bool) error {
	prf, keyLen := downParams(s.suite)
	s.master = handshake.MasterSecret(prf, pre, s.ch.Random[:], s.sh.Random[:])
	kb := handshake.KeyExpansion(prf, s.master, s.ch.Random[:], s.sh.Random[:], keyLen, 4)
	mine, theirs := nonceKeys{kb.ServerKey, kb.ServerIV}, nonceKeys{kb.ClientKey, kb.ClientIV}
	if client {
		mine, theirs = theirs, mine
	}
	w, err := mine.protection()
	if err != nil {
		return err
	}
	r, err := theirs.protection()
	if err != nil {
		return err
	}
	s.rc.SetPendingWrite(w)
	s.rc.SetPendingRead(r)
	return nil
}

// sendFinished sends ChangeCipherSpec and our Finished over our transcript.
func (s *downWeakState) sendFinished(label string) error {
	prf, _ := downParams(s.suite)
	fin, err := (&handshake.Finished{VerifyData: handshake.VerifyData(prf, s.master, label, s.hash())}).Marshal()
	if err != nil {
		return err
	}
	s.transcript.Write(fin)
	if err := s.rc.WriteChangeCipherSpec(); err != nil {
		return err
	}
	return s.rc.WriteHandshake(fin)
}

// readFinished reads the peer's ChangeCipherSpec and Finished. THE
// WEAKNESS: it decrypts the Finished (the record layer insists) but does
// not compare verify_data with its own transcript, so it never learns that
// the peer saw different hello messages.
func (s *downWeakState) readFinished() error {
	if err := s.rc.ReadChangeCipherSpec(); err != nil {
		return err
	}
	raw, err := s.rc.ReadHandshakeOf(uint8(handshake.TypeFinished))
	if err != nil {
		return err
	}
	s.transcript.Write(raw)
	return nil // a correct endpoint compares VerifyData here (rfc5246#7.4.9)
}

// downWeakServer serves one connection: TLS 1.2 RSA key transport with no
// extensions, AES-256 preferred, its Finished check skipped.
func downWeakServer(conn net.Conn, srv *attackServer, random io.Reader) error {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	s := &downWeakState{rc: record.NewConn(conn)}
	raw, err := s.rc.ReadHandshakeOf(uint8(handshake.TypeClientHello))
	if err != nil {
		return err
	}
	if err := s.ch.Unmarshal(raw); err != nil {
		return err
	}
	s.transcript.Write(raw)
	for _, id := range downOffered { // the server's preference order
		if slices.Contains(s.ch.CipherSuites, handshake.CipherSuite(id)) {
			s.suite = handshake.CipherSuite(id)
			break
		}
	}
	if s.suite == 0 {
		return errors.New("no suite in common")
	}
	s.sh = handshake.ServerHello{Version: handshake.ProtocolVersion(record.VersionTLS12), CipherSuite: s.suite}
	io.ReadFull(random, s.sh.Random[:])
	var flight [][]byte
	for _, m := range []handshake.Message{&s.sh, &handshake.CertificateMessage{Certificates: [][]byte{srv.cert}}, &handshake.ServerHelloDone{}} {
		b, err := m.Marshal()
		if err != nil {
			return err
		}
		s.transcript.Write(b)
		flight = append(flight, b)
	}
	if err := s.rc.WriteHandshake(flight...); err != nil {
		return err
	}
	raw, err = s.rc.ReadHandshakeOf(uint8(handshake.TypeClientKeyExchange))
	if err != nil {
		return err
	}
	var cke handshake.ClientKeyExchange
	if err := cke.Unmarshal(raw); err != nil {
		return err
	}
	s.transcript.Write(raw)
	pre := make([]byte, 48)
	io.ReadFull(random, pre)
	_ = rsa.DecryptPKCS1v15SessionKey(random, srv.key, cke.EncryptedPreMasterSecret, pre)
	if err := s.keys(pre, false); err != nil {
		return err
	}
	if err := s.readFinished(); err != nil {
		return err
	}
	if err := s.sendFinished("server finished"); err != nil {
		return err
	}
	buf := make([]byte, 1024)
	n, err := s.rc.ReadApplicationData(buf)
	if err != nil {
		return err
	}
	_, err = s.rc.WriteApplicationData([]byte(fmt.Sprintf("you asked %q over %v", bytes.TrimSpace(buf[:n]), s.suite)))
	return err
}

// downWeakClient runs one exchange as the weakened client: offers both
// suites, strongest first, skips the server's Finished check.
func downWeakClient(conn net.Conn, random io.Reader) (handshake.CipherSuite, []byte, error) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	s := &downWeakState{rc: record.NewConn(conn)}
	s.ch = handshake.ClientHello{Version: handshake.ProtocolVersion(record.VersionTLS12), CompressionMethods: []uint8{0}}
	for _, id := range downOffered {
		s.ch.CipherSuites = append(s.ch.CipherSuites, handshake.CipherSuite(id))
	}
	io.ReadFull(random, s.ch.Random[:])
	raw, err := s.ch.Marshal()
	if err != nil {
		return 0, nil, err
	}
	s.transcript.Write(raw)
	if err := s.rc.WriteHandshake(raw); err != nil {
		return 0, nil, err
	}
	var pub *rsa.PublicKey
	for _, t := range []handshake.HandshakeType{handshake.TypeServerHello, handshake.TypeCertificate, handshake.TypeServerHelloDone} {
		raw, err := s.rc.ReadHandshakeOf(uint8(t))
		if err != nil {
			return 0, nil, err
		}
		s.transcript.Write(raw)
		switch t {
		case handshake.TypeServerHello:
			if err := s.sh.Unmarshal(raw); err != nil {
				return 0, nil, err
			}
			s.suite = s.sh.CipherSuite
		case handshake.TypeCertificate:
			var cm handshake.CertificateMessage
			if err := cm.Unmarshal(raw); err != nil || len(cm.Certificates) == 0 {
				return 0, nil, fmt.Errorf("certificate: %v", err)
			}
			cert, err := x509lite.ParseCertificate(cm.Certificates[0])
			if err != nil {
				return 0, nil, err
			}
			pub = cert.PublicKey
		}
	}
	pre := make([]byte, 48)
	io.ReadFull(random, pre[2:])
	pre[0], pre[1] = 3, 3
	ct, err := rsa.EncryptPKCS1v15(random, pub, pre)
	if err != nil {
		return 0, nil, err
	}
	cke, _ := (&handshake.ClientKeyExchange{EncryptedPreMasterSecret: ct}).Marshal()
	s.transcript.Write(cke)
	if err := s.rc.WriteHandshake(cke); err != nil {
		return 0, nil, err
	}
	if err := s.keys(pre, true); err != nil {
		return 0, nil, err
	}
	if err := s.sendFinished("client finished"); err != nil {
		return 0, nil, err
	}
	if err := s.readFinished(); err != nil {
		return 0, nil, err
	}
	if _, err := s.rc.WriteApplicationData([]byte("GET /\n")); err != nil {
		return 0, nil, err
	}
	buf := make([]byte, 1024)
	n, err := s.rc.ReadApplicationData(buf)
	return s.suite, buf[:n], err
}

// downVia starts a man in the middle in front of serverAddr and returns
// its address; the hellos it saw go to report.
func downVia(serverAddr string, edit func(*handshake.ClientHello), report func(before, after []handshake.CipherSuite)) (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go downMITM(c, serverAddr, edit, report)
		}
	}()
	return ln, nil
}

// downLesson runs the lesson, printing to p.
func downLesson(p *attackPrinter, f *attackFlags) (*downOutcome, error) {
	out := &downOutcome{}
	p.title("minitls attack downgrade: editing the ClientHello")
	p.para(0, "The hellos travel in clear and unauthenticated: a man in the middle can change which versions and suites the client offers, and the server will pick from what is left. In 2015 FREAK and Logjam did exactly that to push connections down to 512-bit export cryptography. TLS's answer is the Finished message: a MAC, under the new master secret, of every handshake message each side sent and received.")
	srv, err := newAttackServer(f.rand(0), 2048)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var hellos [][2][]handshake.CipherSuite
	report := func(before, after []handshake.CipherSuite) {
		mu.Lock()
		hellos = append(hellos, [2][]handshake.CipherSuite{before, after})
		mu.Unlock()
	}

	p.heading("Step 1  Weakened endpoints, through the man in the middle")
	p.para(2, "The weakness, and only it: client and server each decrypt the peer's Finished but do not compare its verify_data with their own transcript. Both prefer AES-256; the man in the middle deletes it from the ClientHello.")
	weakLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer weakLn.Close()
	srvErr := make(chan error, 1)
	go func() {
		c, err := weakLn.Accept()
		if err != nil {
			srvErr <- err
			return
		}
		srvErr <- downWeakServer(c, srv, f.rand(1))
	}()
	mitm, err := downVia(weakLn.Addr().String(), downStripStrong, report)
	if err != nil {
		return nil, err
	}
	defer mitm.Close()
	conn, err := net.Dial("tcp", mitm.Addr().String())
	if err != nil {
		return nil, err
	}
	out.weakSuite, out.weakReply, err = downWeakClient(conn, f.rand(2))
	if err != nil {
		return nil, fmt.Errorf("the weakened exchange: %w", err)
	}
	if err := <-srvErr; err != nil {
		return nil, fmt.Errorf("the weakened server: %w", err)
	}
	mu.Lock()
	if len(hellos) > 0 {
		p.kv("client offered", fmt.Sprint(hellos[0][0]))
		p.kv("server received", fmt.Sprint(hellos[0][1]))
	}
	mu.Unlock()
	p.check(out.weakSuite == downWeak, "agreed on", fmt.Sprintf("%v: the handshake completed and data flowed, neither side noticed:", out.weakSuite))
	p.line(attackLabelCol, p.st.yellow(fmt.Sprintf("%q", out.weakReply)))

	p.heading("Step 2  minitls's real client and server, same man in the middle")
	if err := downReal(p, f, srv, false, report, out); err != nil {
		return nil, err
	}
	p.para(2, "minitls negotiates the extended master secret (RFC 7627): the master secret is computed from a hash of the handshake messages, ClientHello included, so the edited hello gives the server a different master secret and different keys. The client's Finished does not even decrypt at the server: bad_record_mac. Without that extension the keys would agree, and the Finished comparison (rfc5246#7.4.9) fails instead: the next step.")

	p.heading("Step 3  The man in the middle also deletes extended_master_secret")
	p.para(2, "Now both sides compute the master secret from the randoms alone, the keys agree, and the Finished record decrypts; what stops the handshake is the Finished check itself: the server's transcript holds the edited ClientHello, the client's the original, and verify_data differs.")
	var second downOutcome
	if err := downReal(p, f, srv, true, report, &second); err != nil {
		return nil, err
	}
	out.realAlertNoEMS = second.realAlert
	out.realServerNoEMS = second.realServer

	p.heading("Step 4  TLS 1.3: the man in the middle deletes supported_versions")
	p.para(2, "Both sides now speak TLS 1.3 and TLS 1.2 (minitls's defaults). Without supported_versions the ClientHello looks like a TLS 1.2 client's, and the server answers in TLS 1.2; but a server that speaks TLS 1.3 writes 44 4F 57 4E 47 52 44 01 (\"DOWNGRD\" 01) into the last 8 bytes of its ServerHello.random (rfc8446#4.1.3). The random is covered by the ServerKeyExchange signature, so the attacker cannot remove it, and the client checks it as soon as the ServerHello arrives, before any key exchange.")
	if err := downSentinel(p, f, srv, out); err != nil {
		return nil, err
	}
	p.para(2, "A client that ignored the sentinel would still be caught at Finished here (step 2); the sentinel matters when the attacker can also break the older version's key exchange in real time and forge Finished, as Logjam did with 512-bit Diffie-Hellman: the signature over the randoms still gives it away.")

	p.heading("The lesson")
	p.para(2, "Negotiation in the clear is only safe if it is authenticated afterwards: the Finished messages (and, since RFC 7627, the master secret itself) cover every byte of the hellos. Finished can only be as strong as the weakest key exchange both sides accept, which is why TLS 1.3 adds the sentinel in the signed ServerHello.random, and why TLS_FALLBACK_SCSV (RFC 7507) guarded the clients that retried with a lower version.")
	return out, nil
}

// downReal runs minitls's real client and server through the man in the
// middle and prints what each reports.
func downReal(p *attackPrinter, f *attackFlags, srv *attackServer, stripEMS bool, report func(before, after []handshake.CipherSuite), out *downOutcome) error {
	realLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer realLn.Close()
	cfg := srv.config(f.rand(3), false)
	cfg.CipherSuites = downOffered
	realSrvErr := make(chan error, 1)
	go func() {
		c, err := realLn.Accept()
		if err != nil {
			realSrvErr <- err
			return
		}
		sc := handshake.Server(c, cfg)
		sc.SetDeadline(time.Now().Add(10 * time.Second))
		realSrvErr <- sc.Handshake()
		sc.Close()
	}()
	edit := downStripStrong
	if stripEMS {
		edit = func(ch *handshake.ClientHello) {
			downStripStrong(ch)
			downStripExtension(ch, handshake.ExtExtendedMasterSecret)
		}
	}
	mitm2, err := downVia(realLn.Addr().String(), edit, report)
	if err != nil {
		return err
	}
	defer mitm2.Close()
	raw, err := net.Dial("tcp", mitm2.Addr().String())
	if err != nil {
		return err
	}
	var trace []string
	cc := handshake.Client(raw, &handshake.Config{ServerName: "localhost", InsecureSkipVerify: true,
		CipherSuites: downOffered, Rand: f.rand(4), Time: func() time.Time { return attackEpoch },
		Trace: func(e handshake.Event) {
			if e.Kind == handshake.EventAlert {
				trace = append(trace, fmt.Sprintf("alert %v %s", e.Alert, map[bool]string{true: "sent", false: "received"}[e.Sent]))
			}
		}})
	cc.SetDeadline(time.Now().Add(10 * time.Second))
	out.realErr = cc.Handshake()
	cc.Close()
	out.realServer = <-realSrvErr
	var alert *record.AlertReceivedError
	if errors.As(out.realErr, &alert) {
		out.realAlert = alert.Description
	}
	p.check(false, "server", fmt.Sprintf("%v", out.realServer))
	p.check(false, "client", fmt.Sprintf("%v", out.realErr))
	if f.trace {
		for _, t := range trace {
			p.kv("client trace", t)
		}
	}
	return nil
}

// downSentinel runs minitls's real client and server, both with TLS 1.3
// and 1.2, through a man in the middle that deletes supported_versions.
func downSentinel(p *attackPrinter, f *attackFlags, srv *attackServer, out *downOutcome) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	cfg := srv.config(f.rand(5), false)
	srvErr := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			srvErr <- err
			return
		}
		sc := handshake.Server(c, cfg)
		sc.SetDeadline(time.Now().Add(10 * time.Second))
		srvErr <- sc.Handshake()
		sc.Close()
	}()
	mitm, err := downVia(ln.Addr().String(), func(ch *handshake.ClientHello) {
		downStripExtension(ch, handshake.ExtSupportedVersions)
	}, func(before, after []handshake.CipherSuite) {})
	if err != nil {
		return err
	}
	defer mitm.Close()
	raw, err := net.Dial("tcp", mitm.Addr().String())
	if err != nil {
		return err
	}
	var mu sync.Mutex
	cc := handshake.Client(raw, &handshake.Config{ServerName: "localhost", InsecureSkipVerify: true,
		Rand: f.rand(6), Time: func() time.Time { return attackEpoch },
		Trace: func(e handshake.Event) {
			if sh, ok := e.Message.(*handshake.ServerHello); ok && e.Kind == handshake.EventMessage {
				mu.Lock()
				out.sentinel = bytes.Clone(sh.Random[24:])
				mu.Unlock()
			}
		}})
	cc.SetDeadline(time.Now().Add(10 * time.Second))
	out.sentinelErr = cc.Handshake()
	cc.Close()
	serverErr := <-srvErr
	var alert *record.AlertReceivedError
	if errors.As(serverErr, &alert) {
		out.sentinelAlert = alert.Description
	}
	mu.Lock()
	defer mu.Unlock()
	p.kv("ServerHello", fmt.Sprintf("TLS 1.2, random ends %s (%q)", cliSpacedHex(out.sentinel), out.sentinel))
	p.check(false, "client", fmt.Sprint(out.sentinelErr))
	p.check(false, "server", fmt.Sprint(serverErr))
	return nil
}
