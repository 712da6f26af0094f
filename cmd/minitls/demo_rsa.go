package main

// The default story of `minitls demo`: TLS 1.2 with RSA key transport.
// The client encrypts a premaster secret to the server's RSA key; the
// lesson weighs that one RSA decryption against AES-GCM over the page.

import (
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"time"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
	"minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/internal/impl"
	"minitls/record"
)

func init() {
	demoRegister("rsa", demoSetup, demoConnect, demoHeader, demoTCP, demoHellos,
		demoRSAKeyExchange, demoKeys12, demoFinished12, demoLessonRSA)
}

// rsaTime is how long the server took from receiving the ClientKeyExchange
// to starting key derivation: the RSA private decryption.
func (t *demoTrace) rsaTime() time.Duration {
	cke := t.msg(false, false, handshake.TypeClientKeyExchange)
	done := t.phaseAt(false, handshake.PhaseKeyDerivation)
	if cke == nil || done.IsZero() {
		return 0
	}
	return done.Sub(cke.at)
}

// demoRSAKeyExchange is step 3 of the RSA story (the key derivation
// follows in demoKeys12).
func demoRSAKeyExchange(s *demoSession) error {
	s.heading("Step 3  Key exchange: RSA key transport, then key derivation")
	s.para(2, "(A demonstration: the secrets below never appear in real TLS.)")
	pre := s.key(true, "premaster secret")
	srvPre := s.key(false, "premaster secret")
	cke, _ := s.msgOf(true, true, handshake.TypeClientKeyExchange).(*handshake.ClientKeyExchange)
	if pre == nil || cke == nil {
		s.line(2, "(the trace is missing the key exchange)")
		return nil
	}
	s.line(2, fmt.Sprintf("The client makes a %d-byte premaster secret: %02x%02x (TLS 1.2), then random.", len(pre), pre[0], pre[1]))
	s.kvHex("premaster", pre, s.st.yellow)
	s.arrow(true, fmt.Sprintf("ClientKeyExchange: RSAES-PKCS1-v1_5 encrypts the %d bytes to the", len(pre)))
	s.line(4, fmt.Sprintf("server's RSA-%d public key: %d bytes of ciphertext on the wire", s.bits, len(cke.EncryptedPreMasterSecret)))
	s.kvHex("ciphertext", cke.EncryptedPreMasterSecret[:16], s.st.dim)
	s.line(demoLabelCol, s.st.dim(fmt.Sprintf("… %d more bytes", len(cke.EncryptedPreMasterSecret)-16)))
	s.line(2, fmt.Sprintf("The server decrypts it with its private key (took %s):", cliDuration(s.rsaTime())))
	s.kv("recovered", fmt.Sprintf("%d bytes, %s", len(srvPre), s.same(pre, srvPre)))
	return nil
}

// demoMedian times f seven times and returns the median.
func demoMedian(f func()) time.Duration {
	var times []time.Duration
	for i := 0; i < 7; i++ {
		start := time.Now()
		f()
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2]
}

// demoLessonRSA measures, on this machine and with this connection's own
// key and data, what the server paid for RSA against what AES-GCM costs.
func demoLessonRSA(s *demoSession) error {
	s.heading("The lesson, measured on this machine")
	live, median := s.rsaTime(), s.rsaTime()
	if cke, _ := s.msgOf(false, false, handshake.TypeClientKeyExchange).(*handshake.ClientKeyExchange); cke != nil {
		buf := make([]byte, 48)
		median = demoMedian(func() {
			_ = rsa.DecryptPKCS1v15SessionKey(rand.Reader, s.pki.leafKey, cke.EncryptedPreMasterSecret, buf)
		})
	}
	var resp []byte
	for _, r := range s.records(false, true, record.ApplicationData) {
		resp = append(resp, r.Plaintext...)
	}
	gcmTime, path, err := demoMeasureGCM(s.key(false, "server_write_key"), resp)
	if err != nil || len(resp) == 0 {
		s.line(2, "(could not measure AES-GCM: "+fmt.Sprint(err)+")")
		return nil
	}
	aesBits := 8 * len(s.key(false, "server_write_key"))
	s.kv(fmt.Sprintf("RSA-%d decrypt", s.bits), fmt.Sprintf("%s in this handshake; %s median of 7 repeats", cliDuration(live), cliDuration(median)))
	s.kv("RSA path", rsa.Implementation())
	mbps := float64(len(resp)) / gcmTime.Seconds() / 1e6
	s.kv(fmt.Sprintf("AES-%d-GCM", aesBits), fmt.Sprintf("%s to seal the %d-byte response (%.0f MB/s)", cliDuration(gcmTime), len(resp), mbps))
	s.kv("AES path", fmt.Sprintf("%s: %s", path, path.Describe()))
	// The median of the repeats is steadier than the one live decryption,
	// which also absorbs scheduling delays between the two goroutines.
	kib := median.Seconds() / gcmTime.Seconds() * float64(len(resp)) / 1024
	s.line(2, s.st.bold(fmt.Sprintf("One RSA-%d decryption costs as much as AES-GCM over %.0f KiB.", s.bits, kib)))
	s.para(2, "That is why TLS uses the expensive public-key step once per connection, to agree on a key, and protects all the data with a symmetric cipher. Timings vary from run to run (and the numbers computed from them).")
	return nil
}

// demoMeasureGCM times minitls's AES-GCM sealing data in record-sized
// pieces under key, repeating until the total is long enough to trust,
// and returns the time of one pass and the path it ran on (gcm.PathOf: the
// one the connection's records used, the fastest this CPU has).
func demoMeasureGCM(key, data []byte) (time.Duration, impl.Path, error) {
	if len(key) == 0 {
		return 0, 0, errors.New("no server_write_key in the trace")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return 0, 0, err
	}
	aead, err := gcm.New(block)
	if err != nil {
		return 0, 0, err
	}
	nonce := make([]byte, aead.NonceSize())
	out := make([]byte, 0, record.MaxPlaintext+aead.Overhead())
	pass := func() {
		for off := 0; off < len(data); off += record.MaxPlaintext {
			end := min(off+record.MaxPlaintext, len(data))
			out = aead.Seal(out[:0], nonce, data[off:end], nonce[:5])
		}
	}
	pass() // warm up
	start := time.Now()
	n := 0
	for n < 5 || time.Since(start) < 20*time.Millisecond {
		pass()
		n++
	}
	return time.Since(start) / time.Duration(n), gcm.PathOf(aead), nil
}
