package main

import (
	"bytes"
	"errors"
	"io"
	"math/big"
	"net"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"minitls/cipher/rsa"
	"minitls/cmd/minitls/internal/attack"
	"minitls/handshake"
	"minitls/record"
)

// attackTestFlags is a -seed run's flags.
func attackTestFlags(seed uint64) *attackFlags {
	return &attackFlags{seed: seed, seeded: true}
}

// TestAttackHelp: `minitls attack -h` lists every lesson of the issue, in
// 80 columns, and each lesson takes -h.
func TestAttackHelp(t *testing.T) {
	r := cliTestRun(t, nil, "attack", "-h")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "usage: minitls attack") {
		t.Fatalf("minitls attack -h: exit %d, %q", r.code, r.stderr)
	}
	for _, l := range []string{"rsa-reply", "bleichenbacher", "nonce-reuse", "truncation", "downgrade"} {
		if !strings.Contains(r.stderr, "  "+l+" ") {
			t.Errorf("minitls attack -h does not list %s:\n%s", l, r.stderr)
		}
		lr := cliTestRun(t, nil, "attack", l, "-h")
		if lr.code != 0 || !strings.HasPrefix(lr.stderr, "usage: minitls attack "+l) {
			t.Errorf("minitls attack %s -h: exit %d, %q", l, lr.code, lr.stderr)
		}
		for _, line := range strings.Split(lr.stderr, "\n") {
			if cliTestColumns(line) > 80 {
				t.Errorf("line wider than 80 columns: %q", line)
			}
		}
	}
	for _, line := range strings.Split(r.stderr, "\n") {
		if cliTestColumns(line) > 80 {
			t.Errorf("line wider than 80 columns: %q", line)
		}
	}
	if r := cliTestRun(t, nil, "attack", "nosuch"); r.code != 2 || !strings.Contains(r.stderr, "unknown lesson") {
		t.Errorf("minitls attack nosuch: exit %d, %q", r.code, r.stderr)
	}
}

// TestBleichenbacherLesson: with -seed 1 the attack on the weakened server
// recovers the recorded session's premaster in a known number of queries
// and opens the recorded request; the same attack against the real server
// gets only bad_record_mac and ends with something that is not the
// premaster. The short run asks the padding check directly; the full run
// goes through TLS connections.
func TestBleichenbacherLesson(t *testing.T) {
	for _, direct := range []bool{true, false} {
		if !direct && testing.Short() {
			continue
		}
		var out bytes.Buffer
		o, err := bleichLesson(newAttackPrinter(&out), io.Discard, attackTestFlags(1), 1024, direct)
		if err != nil {
			t.Fatalf("direct=%v: %v\n%s", direct, err, out.String())
		}
		if !bytes.Equal(o.recovered, o.premaster) || len(o.premaster) != 48 {
			t.Errorf("direct=%v: recovered %x, premaster %x", direct, o.recovered, o.premaster)
		}
		if string(o.request) != bleichRequest {
			t.Errorf("direct=%v: decrypted request %q", direct, o.request)
		}
		if o.queries != 3346 {
			t.Errorf("direct=%v: %d queries, want 3346 (seed 1's count)", direct, o.queries)
		}
		if o.leakyAnswers[record.HandshakeFailure] == 0 || o.leakyAnswers[record.BadRecordMAC] == 0 {
			t.Errorf("direct=%v: weakened server's answers %v: both kinds expected", direct, o.leakyAnswers)
		}
		if len(o.realAnswers) != 1 || o.realAnswers[record.BadRecordMAC] == 0 {
			t.Errorf("direct=%v: real server's answers %v, want bad_record_mac only", direct, o.realAnswers)
		}
		if bytes.Equal(o.realRecovered, o.premaster) {
			t.Errorf("direct=%v: the attack recovered the premaster from the real server", direct)
		}
	}
}

// bleichClass is a kind of ClientKeyExchange plaintext block, by how far it
// gets through the PKCS#1 v1.5 checks.
type bleichClass struct {
	name string
	make func(k int, r io.Reader) []byte
}

// bleichClasses covers every way a block can fail, and success.
var bleichClasses = []bleichClass{
	{"valid, 48 bytes, 0303", func(k int, r io.Reader) []byte { return bleichBlock(k, r, 0x02, true, 48, 0x0303) }},
	{"valid, wrong version", func(k int, r io.Reader) []byte { return bleichBlock(k, r, 0x02, true, 48, 0x0301) }},
	{"valid, 47 bytes", func(k int, r io.Reader) []byte { return bleichBlock(k, r, 0x02, true, 47, 0x0303) }},
	{"00 02, no zero byte", func(k int, r io.Reader) []byte { return bleichBlock(k, r, 0x02, false, 48, 0x0303) }},
	{"00 01 header", func(k int, r io.Reader) []byte { return bleichBlock(k, r, 0x01, true, 48, 0x0303) }},
	{"random", func(k int, r io.Reader) []byte {
		b := make([]byte, k)
		io.ReadFull(r, b)
		b[0] = 0x17
		return b
	}},
}

// bleichBlock builds 00 typ PS 00 M with a non-zero PS, M of msgLen bytes
// starting with version; without the separator when !sep.
func bleichBlock(k int, r io.Reader, typ byte, sep bool, msgLen int, version uint16) []byte {
	b := make([]byte, k)
	io.ReadFull(r, b[2:])
	b[0], b[1] = 0, typ
	for i := 2; i < k; i++ {
		for b[i] == 0 {
			b[i] = 0x5a
		}
	}
	if sep {
		b[k-msgLen-1] = 0
		b[k-msgLen], b[k-msgLen+1] = byte(version>>8), byte(version)
	}
	return b
}

// bleichObservation is what an attacker sees of one answer.
type bleichObservation struct {
	alert  record.AlertDescription
	bucket int  // timing bucket: log2 of the answer time in 100 µs units
	closed bool // the server hung up after the alert
}

// bleichObserve sends n ciphertexts of each class to addr, interleaved
// class by class so that load on the machine hits every class alike, and
// returns each class's observations.
func bleichObserve(t *testing.T, addr string, pub *rsa.PublicKey, n int) map[string][]bleichObservation {
	t.Helper()
	r := handshake.NewDeterministicRand(99)
	obs := map[string][]bleichObservation{}
	e := big.NewInt(int64(pub.E)).Bytes()
	for i := 0; i < n; i++ {
		for _, c := range bleichClasses {
			ct, err := rsa.ModExp(c.make(pub.Size(), r), e, pub.N)
			if err != nil {
				t.Fatal(err)
			}
			ct = append(make([]byte, pub.Size()-len(ct)), ct...)
			ans, err := bleichProbe(addr, ct, r)
			if err != nil {
				t.Fatal(err)
			}
			bucket := 0
			for d := ans.elapsed / (100 * time.Microsecond); d > 1; d /= 2 {
				bucket++
			}
			obs[c.name] = append(obs[c.name], bleichObservation{ans.alert, bucket, ans.closed})
		}
	}
	return obs
}

// TestBleichenbacherOracleReal: the real minitls server's answers to
// ClientKeyExchanges of every conformance class are identical in
// distribution: always bad_record_mac (the same alert, after the same
// messages), the connection always closed after it, and answer times whose
// medians agree. The same probe tells
// the weakened server's classes apart, so the test can see a leak.
func TestBleichenbacherOracleReal(t *testing.T) {
	n := 30
	if testing.Short() {
		n = 8
	}
	srv, err := newAttackServer(handshake.NewDeterministicRand(7), 1024)
	if err != nil {
		t.Fatal(err)
	}
	realLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer realLn.Close()
	go bleichServeReal(realLn, srv.config(nil, true))
	leakyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer leakyLn.Close()
	go (&bleichLeaky{srv: srv, rand: handshake.NewDeterministicRand(8)}).serve(leakyLn)

	real := bleichObserve(t, realLn.Addr().String(), &srv.key.PublicKey, n)
	var medians []time.Duration
	for _, c := range bleichClasses {
		alerts := map[record.AlertDescription]int{}
		var buckets []int
		closed := 0
		for _, o := range real[c.name] {
			alerts[o.alert]++
			buckets = append(buckets, o.bucket)
			if o.closed {
				closed++
			}
		}
		if len(alerts) != 1 || alerts[record.BadRecordMAC] != n {
			t.Errorf("real server, class %q: alerts %v, want bad_record_mac ×%d", c.name, alerts, n)
		}
		if closed != n {
			t.Errorf("real server, class %q: closed the connection after %d of %d answers, want all", c.name, closed, n)
		}
		sort.Ints(buckets)
		medians = append(medians, time.Duration(buckets[len(buckets)/2]))
	}
	// Timing: the median bucket (a factor of two wide) of every class is
	// within one bucket of every other's.
	if lo, hi := slices.Min(medians), slices.Max(medians); hi-lo > 1 {
		t.Errorf("real server: median timing buckets per class %v differ by more than one", medians)
	}

	leaky := bleichObserve(t, leakyLn.Addr().String(), &srv.key.PublicKey, 2)
	if leaky["00 01 header"][0].alert == leaky["valid, 48 bytes, 0303"][0].alert {
		t.Errorf("the probe cannot tell the weakened server's classes apart: %v", leaky)
	}
}

// TestNonceReuseLesson: the weakened sender's three records give up H
// (checked against E_K(0^128)), the forged record is accepted by the real
// receiver with the forged content; the real sender's nonces are 0, 1, 2,
// RecoverH finds nothing, and a forgery is bad_record_mac.
func TestNonceReuseLesson(t *testing.T) {
	var out bytes.Buffer
	o, err := nonceLesson(newAttackPrinter(&out), attackTestFlags(1))
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for i, n := range o.weakNonces {
		if !bytes.Equal(n, o.weakNonces[0]) {
			t.Errorf("weakened sender's nonce %d = %x, not repeated", i, n)
		}
	}
	if !bytes.Equal(o.recoveredH, o.h) || o.weakRecovered != 1 {
		t.Errorf("recovered H %x (%d candidates), real H %x", o.recoveredH, o.weakRecovered, o.h)
	}
	if string(o.accepted) != nonceForged {
		t.Errorf("the real receiver delivered %q, want the forgery %q", o.accepted, nonceForged)
	}
	for i, n := range o.realNonces {
		if want := []byte{0, 0, 0, 0, 0, 0, 0, byte(i)}; !bytes.Equal(n, want) {
			t.Errorf("real sender's nonce %d = %x, want %x", i, n, want)
		}
	}
	if !errors.Is(o.realErr, attack.ErrNoCommonKey) {
		t.Errorf("RecoverH on the real sender's records: %v, want ErrNoCommonKey", o.realErr)
	}
	if _, desc, _ := record.AlertFor(o.realForgeErr); desc != record.BadRecordMAC || o.realForgeErr == nil {
		t.Errorf("forgery against the real sender's stream: %v, want bad_record_mac", o.realForgeErr)
	}
}

// TestRealSenderNeverRepeatsNonce: minitls's record layer gives 2000
// records under one key 2000 distinct explicit nonces, each its sequence
// number.
func TestRealSenderNeverRepeatsNonce(t *testing.T) {
	msgs := make([]string, 2000)
	for i := range msgs {
		msgs[i] = "x"
	}
	k := nonceKeys{key: make([]byte, 16), salt: make([]byte, 4)}
	wire, err := nonceRealSender(k, msgs)
	if err != nil {
		t.Fatal(err)
	}
	_, nonces := nonceSealed(wire)
	if len(nonces) != len(msgs) {
		t.Fatalf("%d records, want %d", len(nonces), len(msgs))
	}
	seen := map[string]bool{}
	for i, n := range nonces {
		if seen[string(n)] {
			t.Fatalf("nonce %x repeated at record %d", n, i)
		}
		seen[string(n)] = true
		if new(big.Int).SetBytes(n).Int64() != int64(i) {
			t.Fatalf("record %d has nonce %x, not its sequence number", i, n)
		}
	}
}

// TestRSAReplyLesson: the eavesdropper reads the weakened server's whole
// reply with the public key alone; from the real connection's records the
// same operation gives nothing of it, while the real client got the body.
func TestRSAReplyLesson(t *testing.T) {
	var out bytes.Buffer
	o, err := replyLesson(newAttackPrinter(&out), attackTestFlags(1), 2048)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if string(o.weakRead) != replyBody {
		t.Errorf("eavesdropper read %q from the weakened exchange", o.weakRead)
	}
	body := replyBody[strings.Index(replyBody, "\r\n\r\n")+4:]
	if string(o.realGot) != body {
		t.Errorf("the real client received %q", o.realGot)
	}
	for _, l := range strings.Split(body, "\n") {
		if len(l) > 8 && bytes.Contains(o.realRead, []byte(l[:8])) {
			t.Errorf("the eavesdropper's output of the real connection contains %q", l[:8])
		}
	}
	if o.rsaBlock <= 0 || o.gcmReply <= 0 {
		t.Errorf("costs not measured: RSA %v, GCM %v", o.rsaBlock, o.gcmReply)
	}
}

// TestTruncationLesson: the weakened client accepts the cut response as
// complete; minitls's client returns the same prefix with
// record.ErrTruncated.
func TestTruncationLesson(t *testing.T) {
	var out bytes.Buffer
	o, err := truncLesson(newAttackPrinter(&out), attackTestFlags(1))
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	prefix := strings.Join(truncLines[:truncKeep], "")
	if o.weakErr != nil || string(o.weakBody) != prefix {
		t.Errorf("weakened client: %q, %v; want the cut prefix and no error", o.weakBody, o.weakErr)
	}
	if !errors.Is(o.realErr, record.ErrTruncated) || string(o.realBody) != prefix {
		t.Errorf("minitls client: %q, %v; want the prefix and ErrTruncated", o.realBody, o.realErr)
	}
}

// TestDowngradeLesson: the weakened pair settles on AES-128 although both
// prefer AES-256; minitls's real pair refuses: bad_record_mac with the
// extended master secret, decrypt_error at the Finished check without it;
// with supported_versions deleted, the TLS 1.3 client finds DOWNGRD 01 in
// the TLS 1.2 ServerHello.random and aborts with illegal_parameter.
func TestDowngradeLesson(t *testing.T) {
	var out bytes.Buffer
	o, err := downLesson(newAttackPrinter(&out), attackTestFlags(1))
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if o.weakSuite != downWeak || !bytes.Contains(o.weakReply, []byte("GET /")) {
		t.Errorf("weakened pair: suite %v, reply %q", o.weakSuite, o.weakReply)
	}
	if o.realAlert != record.BadRecordMAC || o.realServer == nil {
		t.Errorf("real pair: client got %v (%v), server %v; want bad_record_mac", o.realAlert, o.realErr, o.realServer)
	}
	if !bytes.Equal(o.sentinel, []byte("DOWNGRD\x01")) || o.sentinelAlert != record.IllegalParameter || o.sentinelErr == nil {
		t.Errorf("TLS 1.3 client pushed to 1.2: random ends %q, server got %v, client %v; want DOWNGRD 01 and illegal_parameter", o.sentinel, o.sentinelAlert, o.sentinelErr)
	}
	if o.realAlertNoEMS != record.DecryptError || !errors.Is(o.realServerNoEMS, handshake.ErrBadFinished) {
		t.Errorf("real pair without EMS: client got %v, server %v; want decrypt_error, ErrBadFinished", o.realAlertNoEMS, o.realServerNoEMS)
	}
}
