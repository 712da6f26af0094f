package handshake

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/curve25519"

	"minitls/record"
)

// traceStep is one "{client}/{server} action:" paragraph of the TLS 1.3
// example traces, with its values by name ("secret", "expanded", "key
// expanded", "ClientHello", ...).
type traceStep struct {
	who, title string
	values     map[string][]byte
}

var (
	traceStepRE  = regexp.MustCompile(`^   \{(client|server)\}  (.*)$`)
	traceValueRE = regexp.MustCompile(`^      ([A-Za-z ]+?) \((\d+) octets\):  (.*)$`)
	traceHexRE   = regexp.MustCompile(`^ {9}([0-9a-f ]+)$`)
)

// readTraceSection parses one section ("3.  Simple 1-RTT Handshake") of
// ../shared/testdata/tls13-traces/draft-ietf-tls-tls13-vectors-latest.txt
// into its steps, skipping the page breaks.
func readTraceSection(t *testing.T, heading string) []traceStep {
	t.Helper()
	path := filepath.Join(sharedTestdata(t), "tls13-traces", "draft-ietf-tls-tls13-vectors-latest.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []traceStep
	in := false
	var name string
	var want int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, heading) {
			in = true
			continue
		}
		if !in {
			continue
		}
		if regexp.MustCompile(`^\d+\.  `).MatchString(line) {
			break // next section
		}
		if m := traceStepRE.FindStringSubmatch(line); m != nil {
			steps = append(steps, traceStep{who: m[1], title: strings.TrimSuffix(m[2], ":"), values: map[string][]byte{}})
			name = ""
			continue
		}
		if len(steps) == 0 {
			continue
		}
		cur := steps[len(steps)-1].values
		if m := traceValueRE.FindStringSubmatch(line); m != nil {
			name = m[1]
			want = atoi(m[2])
			cur[name] = appendHex(t, nil, m[3])
			continue
		}
		if m := traceHexRE.FindStringSubmatch(line); m != nil && name != "" && len(cur[name]) < want {
			cur[name] = appendHex(t, cur[name], m[1])
		}
	}
	if len(steps) == 0 {
		t.Fatalf("no steps under %q in %s", heading, path)
	}
	return steps
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func appendHex(t *testing.T, b []byte, s string) []byte {
	t.Helper()
	if strings.Contains(s, "(") { // "0 (all zero octets)", "(empty)"
		return b
	}
	d, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return append(b, d...)
}

// value returns the named value of the first step by who whose title
// starts with title.
func traceValue(t *testing.T, steps []traceStep, who, title, name string) []byte {
	t.Helper()
	for _, s := range steps {
		if s.who == who && strings.HasPrefix(s.title, title) {
			if v, ok := s.values[name]; ok {
				return v
			}
		}
	}
	t.Fatalf("trace has no %q in step {%s} %q", name, who, title)
	return nil
}

// TestKeySchedule13Trace runs minitls's key schedule on the simple 1-RTT
// handshake of the TLS 1.3 example traces (section 3, the structure of
// RFC 8448 §3): from the two X25519 private keys and the messages as
// printed, every secret, key, IV and Finished printed there must come out
// byte for byte. Every expected value is read from the trace file, next to
// the step that prints it.
//
// spec: rfc8448#3, rfc8446#7.1, rfc8446#7.3, rfc8446#4.4.4
func TestKeySchedule13Trace(t *testing.T) {
	steps := readTraceSection(t, "3.  Simple 1-RTT Handshake")
	v := func(who, title, name string) []byte { return traceValue(t, steps, who, title, name) }
	s := suite13ByID(TLS_AES_128_GCM_SHA256)
	check := func(what string, got, want []byte) {
		t.Helper()
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", what, got, want)
		}
	}

	// (EC)DHE: the client's private key and the server's public key.
	shared, err := curve25519.X25519(v("client", "create an ephemeral x25519 key pair", "private key"),
		v("server", "create an ephemeral x25519 key pair", "public key"))
	if err != nil {
		t.Fatal(err)
	}
	check(`IKM of {server} extract secret "handshake"`, shared, v("server", `extract secret "handshake"`, "IKM"))

	ch := v("client", "construct a ClientHello", "ClientHello")
	sh := v("server", "construct a ServerHello", "ServerHello")
	ee := v("server", "construct a EncryptedExtensions", "EncryptedExtensions")
	cert := v("server", "construct a Certificate handshake", "Certificate")
	cv := v("server", "construct a CertificateVerify", "CertificateVerify")
	sfin := v("server", "construct a Finished", "Finished")
	cfin := v("client", "construct a Finished", "Finished")
	transcript := func(msgs ...[]byte) []byte {
		h := sha256.New()
		for _, m := range msgs {
			h.Write(m)
		}
		return h.Sum(nil)
	}

	ks := newKeySchedule13(s, nil)
	check(`{server} extract secret "early"`, ks.secret, v("server", `extract secret "early"`, "secret"))
	ks.next(shared)
	check(`{server} extract secret "handshake"`, ks.secret, v("server", `extract secret "handshake"`, "secret"))
	thSH := transcript(ch, sh)
	chts := ks.derive(labelClientHSTraffic, thSH)
	shts := ks.derive(labelServerHSTraffic, thSH)
	check(`{server} derive secret "tls13 c hs traffic"`, chts, v("server", `derive secret "tls13 c hs traffic"`, "expanded"))
	check(`{server} derive secret "tls13 s hs traffic"`, shts, v("server", `derive secret "tls13 s hs traffic"`, "expanded"))

	key, iv := trafficKeys13(s, shts)
	check("{server} handshake write key", key, v("server", "derive write traffic keys for handshake data", "key expanded"))
	check("{server} handshake write iv", iv, v("server", "derive write traffic keys for handshake data", "iv expanded"))
	key, iv = trafficKeys13(s, chts)
	check("{server} handshake read key", key, v("server", "derive read traffic keys for handshake data", "key expanded"))
	check("{server} handshake read iv", iv, v("server", "derive read traffic keys for handshake data", "iv expanded"))

	sfinVD := finishedVerifyData13(s, shts, transcript(ch, sh, ee, cert, cv))
	check(`{server} calculate finished`, sfinVD, v("server", `calculate finished "tls13 finished"`, "finished"))
	check("server Finished message", append([]byte{20, 0, 0, 32}, sfinVD...), sfin)

	ks.next(nil)
	check(`{server} extract secret "master"`, ks.secret, v("server", `extract secret "master"`, "secret"))
	thSF := transcript(ch, sh, ee, cert, cv, sfin)
	cats := ks.derive(labelClientAPTraffic, thSF)
	sats := ks.derive(labelServerAPTraffic, thSF)
	check(`{server} derive secret "tls13 c ap traffic"`, cats, v("server", `derive secret "tls13 c ap traffic"`, "expanded"))
	check(`{server} derive secret "tls13 s ap traffic"`, sats, v("server", `derive secret "tls13 s ap traffic"`, "expanded"))
	check(`{server} derive secret "tls13 exp master"`, ks.derive(labelExporterMaster, thSF), v("server", `derive secret "tls13 exp master"`, "expanded"))
	key, iv = trafficKeys13(s, sats)
	check("{server} application write key", key, v("server", "derive write traffic keys for application data", "key expanded"))
	check("{server} application write iv", iv, v("server", "derive write traffic keys for application data", "iv expanded"))

	cfinVD := finishedVerifyData13(s, chts, thSF)
	check(`{client} calculate finished`, cfinVD, v("client", `calculate finished "tls13 finished"`, "finished"))
	check("client Finished message", append([]byte{20, 0, 0, 32}, cfinVD...), cfin)
	key, iv = trafficKeys13(s, cats)
	check("{client} application write key", key, v("client", "derive write traffic keys for application data", "key expanded"))
	check("{client} application write iv", iv, v("client", "derive write traffic keys for application data", "iv expanded"))

	res := ks.derive(labelResumptionMaster, transcript(ch, sh, ee, cert, cv, sfin, cfin))
	check(`{client} derive secret "tls13 res master"`, res, v("client", `derive secret "tls13 res master"`, "expanded"))
	check(`{server} generate resumption secret`, resumptionPSK(s, res, v("server", `generate resumption secret "tls13 resumption"`, "hash")),
		v("server", `generate resumption secret "tls13 resumption"`, "expanded"))
}

// TestRecord13Trace opens the server's protected handshake record of the
// trace with the handshake keys derived above and gets back the payload the
// trace prints: TLSInnerPlaintext, the nonce and the header as additional
// data (rfc8446#5.2, rfc8446#5.3), checked against an independent source.
//
// spec: rfc8448#3, rfc8446#5.2, rfc8446#5.3
func TestRecord13Trace(t *testing.T) {
	steps := readTraceSection(t, "3.  Simple 1-RTT Handshake")
	v := func(who, title, name string) []byte { return traceValue(t, steps, who, title, name) }
	// The server's second record: EncryptedExtensions to Finished, under
	// the server handshake traffic keys.
	var rec, payload []byte
	for _, st := range steps {
		if st.who == "server" && st.title == "send handshake record" && st.values["payload"][0] == byte(TypeEncryptedExtensions) {
			rec, payload = st.values["complete record"], st.values["payload"]
			break
		}
	}
	if rec == nil {
		t.Fatal("no encrypted server handshake record in the trace")
	}
	aead, err := (&suite{}).newAEAD(v("server", "derive write traffic keys for handshake data", "key expanded"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := record.NewProtection13(aead, v("server", "derive write traffic keys for handshake data", "iv expanded"))
	if err != nil {
		t.Fatal(err)
	}
	c := record.NewConn(struct {
		io.Reader
		io.Writer
	}{bytes.NewReader(rec), io.Discard})
	if err := c.SetReadKeys13(p); err != nil {
		t.Fatal(err)
	}
	c.SetPostHandshake()
	var got []byte
	for len(got) < len(payload) {
		msg, err := c.ReadHandshake()
		if err != nil {
			t.Fatalf("after %d bytes: %v", len(got), err)
		}
		got = append(got, msg...)
	}
	if !bytes.Equal(got, payload) {
		t.Fatalf("decrypted handshake messages differ from the trace's payload")
	}
	// And sealing the payload again gives the record of the trace.
	aead2, _ := (&suite{}).newAEAD(v("server", "derive write traffic keys for handshake data", "key expanded"))
	p2, _ := record.NewProtection13(aead2, v("server", "derive write traffic keys for handshake data", "iv expanded"))
	var out bytes.Buffer
	w := record.NewConn(struct {
		io.Reader
		io.Writer
	}{bytes.NewReader(nil), &out})
	if err := w.SetWriteKeys13(p2); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteHandshake(splitMessages(payload)...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), rec) {
		t.Fatalf("sealed record differs from the trace's:\n got %x\nwant %x", out.Bytes(), rec)
	}
}

// splitMessages cuts a run of handshake messages at their headers.
func splitMessages(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 4 {
		n := 4 + (int(b[1])<<16 | int(b[2])<<8 | int(b[3]))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}
