package main

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"runtime"
	"slices"
	"strings"
	"time"

	xchacha "golang.org/x/crypto/chacha20poly1305"

	maes "minitls/cipher/aes"
	mchacha "minitls/cipher/chacha20poly1305"
	mecdsa "minitls/cipher/ecdsa"
	mgcm "minitls/cipher/gcm"
	mrsa "minitls/cipher/rsa"
	"minitls/handshake"
	"minitls/internal/impl"
	"minitls/record"
	"minitls/x509lite"
)

// benchOp runs one implementation of an operation n times. It returns the
// CPU time the TLS server side spent on those n operations for the
// loopback cases (see benchServer), and 0 for the others.
type benchOp func(n int) (serverCPU time.Duration, err error)

// benchCase is one operation: what the table calls it, and how to build
// its two implementations (index 0 minitls, 1 stdlib). A loopback case
// runs a client and a server; a serverCPU case (also loopback) reports the
// server CPU time its operations return instead of their elapsed time, a
// clientCPU case the CPU time of the client's (locked) thread.
type benchCase struct {
	id, group, operation, unit string
	bytes                      int64
	loopback, serverCPU        bool
	tls                        *benchTLSInfo // what a loopback case negotiates
	// clientCPU (a loopback case) runs the client on this goroutine locked
	// to its thread and reports that thread's CPU time: the client's.
	clientCPU bool
	// path, when set, is the AES/GCM path minitls's ciphers are made for
	// in prepare (impl.Force): the symmetric rows run once on the fastest
	// path and once more on the portable one.
	path *impl.Path
	// chacha, when set, is the cipher/chacha20poly1305 implementation
	// minitls's figure runs on (its own paths, not impl's).
	chacha  string
	prepare func() (ops [2]benchOp, cleanup func(), err error)
}

var benchImplNames = [2]string{"minitls", "stdlib"}

// benchMeasure runs every case and returns the report without lessons.
func benchMeasure(s benchSettings, p *benchProgress) (*benchReport, error) {
	start := time.Now()
	rep := &benchReport{
		Schema: benchSchema, CPU: benchCPUName(), AESPath: impl.Current().String(), AESPathDescription: impl.Current().Describe(), RSAPath: mrsa.Implementation(), GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Mode: s.mode,
		RoundTargetMS: float64(s.roundTarget) / float64(time.Millisecond), Rounds: s.rounds, BulkBytes: s.bulkBytes,
		ServerCPUMethod: benchServerCPUMethod, Started: start.UTC().Truncate(time.Second),
	}
	p.note(fmt.Sprintf("minitls bench: %s run on %s, Go %s; loading keys and certificates", s.mode, rep.CPU, rep.GoVersion))
	fx, err := newBenchFixture()
	if err != nil {
		return nil, fmt.Errorf("setting up keys and certificates: %w", err)
	}
	cases := benchCases(fx, s)
	for i, c := range cases {
		p.step(i+1, len(cases), c.operation, "")
		row, err := benchMeasureCase(s, c, func(detail string) { p.step(i+1, len(cases), c.operation, detail) })
		if err != nil {
			return nil, fmt.Errorf("measuring %s: %w", strings.TrimSpace(c.operation), err)
		}
		rep.Results = append(rep.Results, row)
	}
	rep.ElapsedS = time.Since(start).Seconds()
	return rep, nil
}

// benchMeasureCase calibrates both implementations, then measures
// s.rounds rounds of each, alternating which goes first, and reports the
// median round: a median ignores the odd round a busy machine spoils, and
// alternating spreads a slow phase of the machine over both columns.
//
// Which clock: an in-process operation is timed by the CPU clock of the
// thread that runs it (the measuring goroutine is locked to its OS thread,
// see benchThreadCPU). On an idle machine that equals the elapsed time that
// go test -bench reports; on a busy one the elapsed time also counts every
// moment another process had the CPU, and swings several-fold from round to
// round, while the CPU time stays put. (The garbage collector's background
// work runs on other threads and is not counted; the operations allocate
// little or nothing.) The elapsed time is kept in the JSON as
// wall_ns_per_op. Loopback cases are timed by the elapsed time, or by the
// server's CPU time for the server-CPU rows; they are not locked, since a
// locked client thread would slow the connection (see bench_net.go), except
// the client-CPU rows, which lock the client's thread to count its CPU time.
func benchMeasureCase(s benchSettings, c benchCase, detail func(string)) (benchRow, error) {
	prepare := c.prepare
	if c.path != nil {
		prepare = func() ([2]benchOp, func(), error) {
			defer impl.Force(*c.path)()
			return c.prepare()
		}
	}
	ops, cleanup, err := prepare()
	if err != nil {
		return benchRow{}, err
	}
	defer cleanup()
	if !c.loopback || c.clientCPU {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	runtime.GC()
	var n [2]int
	for i := range ops {
		detail(benchImplNames[i] + " warm-up")
		if n[i], err = benchCalibrate(ops[i], s.roundTarget); err != nil {
			return benchRow{}, fmt.Errorf("%s: %w", benchImplNames[i], err)
		}
	}
	var wall, server, thread [2][]float64
	for r := range s.rounds {
		for k := range 2 {
			i := k ^ (r & 1) // minitls first in even rounds, stdlib first in odd ones
			detail(fmt.Sprintf("%s round %d/%d", benchImplNames[i], r+1, s.rounds))
			c0 := benchThreadCPU()
			t0 := time.Now()
			serverCPU, err := ops[i](n[i])
			d := time.Since(t0)
			c1 := benchThreadCPU()
			if err != nil {
				return benchRow{}, fmt.Errorf("%s: %w", benchImplNames[i], err)
			}
			wall[i] = append(wall[i], float64(d)/float64(n[i]))
			server[i] = append(server[i], float64(serverCPU)/float64(n[i]))
			thread[i] = append(thread[i], float64(c1-c0)/float64(n[i]))
		}
	}
	primary, clock := thread, benchClockThread
	switch {
	case c.serverCPU:
		primary, clock = server, benchClockServer
	case c.clientCPU:
		primary, clock = thread, benchClockClient
	case c.loopback:
		primary, clock = wall, benchClockWall
	}
	row := benchRow{ID: c.id, Group: c.group, Operation: c.operation, Unit: c.unit, BytesPerOp: c.bytes, Clock: clock, TLS: c.tls}
	if c.path != nil {
		row.Path = c.path.String()
	}
	if c.chacha != "" {
		row.Path = c.chacha
	}
	for i, f := range []*benchFigure{&row.Minitls, &row.Stdlib} {
		// A time too short for the clock to see (possible only for CPU
		// times in the test's tiny runs) counts as 1 ns, so every figure
		// stays finite.
		f.NsPerOp = max(benchMedian(primary[i]), 1)
		f.Value = benchValue(c.unit, c.bytes, f.NsPerOp)
		f.OpsPerRound = n[i]
		f.Rounds = primary[i]
		if !c.loopback {
			f.WallNsPerOp = benchMedian(wall[i])
			f.WallRounds = wall[i]
		}
	}
	row.Ratio = row.Minitls.Value / row.Stdlib.Value
	return row, nil
}

func benchMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchCalibrate finds how many operations fill one round of target. Its
// runs, at least a quarter of a round of work, are also the warm-up (caches,
// branch predictors, the CPU's clock, lazily built tables).
func benchCalibrate(op benchOp, target time.Duration) (int, error) {
	goal := target / 4
	for n := 1; ; {
		t0 := time.Now()
		if _, err := op(n); err != nil {
			return 0, err
		}
		d := time.Since(t0)
		if d >= goal || n >= 1<<30 {
			return max(1, int(float64(target)*float64(n)/float64(max(d, 1)))), nil
		}
		next := n * 100
		if d > 0 {
			next = int(float64(n)*float64(goal)/float64(d)*1.2) + 1
		}
		n = min(max(next, n+1), n*100)
	}
}

// benchFixture holds the keys and certificates, in both libraries' types.
// The keys are the fixed ones of bench_keys.go, so no run waits for key
// generation.
type benchFixture struct {
	key2048, key3072 *mrsa.PrivateKey
	std2048, std3072 *rsa.PrivateKey
	// The handshake server's chain: a leaf for bench.minitls.test with the
	// 2048-bit key, issued by a CA with the 3072-bit key.
	leafDER, caDER []byte
	roots          *x509lite.CertPool
	stdRoots       *x509.CertPool
	// The ECDHE_ECDSA rows' leaf: a P-256 key for the same name under the
	// same CA (bench_ecdsa.go).
	ecdsaLeafDER []byte
	ecdsaKey     *mecdsa.PrivateKey
	stdECDSAKey  *ecdsa.PrivateKey
}

const benchServerName = "bench.minitls.test"

func newBenchFixture() (*benchFixture, error) {
	fx := &benchFixture{}
	var err error
	if fx.key2048, fx.std2048, err = benchLoadKey(benchKey2048PEM); err != nil {
		return nil, err
	}
	if fx.key3072, fx.std3072, err = benchLoadKey(benchKey3072PEM); err != nil {
		return nil, err
	}
	now := time.Now()
	caT := &x509lite.Certificate{
		SerialNumber: []byte{1}, Subject: x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, "minitls bench CA")),
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour),
		BasicConstraintsValid: true, IsCA: true, MaxPathLen: -1, KeyUsage: x509lite.KeyUsageCertSign,
	}
	if fx.caDER, err = x509lite.CreateCertificate(rand.Reader, caT, caT, &fx.key3072.PublicKey, fx.key3072); err != nil {
		return nil, err
	}
	ca, err := x509lite.ParseCertificate(fx.caDER)
	if err != nil {
		return nil, err
	}
	leafT := &x509lite.Certificate{
		SerialNumber: []byte{2}, Subject: x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, benchServerName)),
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour),
		KeyUsage:    x509lite.KeyUsageDigitalSignature | x509lite.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}, DNSNames: []string{benchServerName},
	}
	if fx.leafDER, err = x509lite.CreateCertificate(rand.Reader, leafT, ca, &fx.key2048.PublicKey, fx.key3072); err != nil {
		return nil, err
	}
	if err := benchIssueECDSALeaf(fx, ca, now); err != nil {
		return nil, err
	}
	fx.roots = x509lite.NewCertPool()
	fx.roots.AddCert(ca)
	stdCA, err := x509.ParseCertificate(fx.caDER)
	if err != nil {
		return nil, fmt.Errorf("crypto/x509 cannot read the bench CA: %w", err)
	}
	fx.stdRoots = x509.NewCertPool()
	fx.stdRoots.AddCert(stdCA)
	return fx, nil
}

// benchLoadKey decodes one embedded key into minitls's and crypto/rsa's
// types, and checks the two agree (a signature by one verifies with the
// other), so both columns time the same key.
func benchLoadKey(pemText string) (*mrsa.PrivateKey, *rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, nil, errors.New("embedded key is not PEM")
	}
	k, err := x509lite.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return nil, nil, err
	}
	b := func(x []byte) *big.Int { return new(big.Int).SetBytes(x) }
	std := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: b(k.N), E: k.E}, D: b(k.D), Primes: []*big.Int{b(k.P), b(k.Q)}}
	std.Precompute()
	if err := std.Validate(); err != nil {
		return nil, nil, err
	}
	digest := sha256.Sum256([]byte("minitls bench"))
	sig, err := mrsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
	if err != nil {
		return nil, nil, err
	}
	if err := rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		return nil, nil, fmt.Errorf("crypto/rsa rejects a minitls signature with the same key: %w", err)
	}
	return k, std, nil
}

func benchNoCleanup() {}

// benchLoop makes a benchOp of a function that cannot fail.
func benchLoop(f func()) benchOp {
	return func(n int) (time.Duration, error) {
		for range n {
			f()
		}
		return 0, nil
	}
}

// benchLoopErr makes a benchOp of a function that checks its own result.
func benchLoopErr(f func() error) benchOp {
	return func(n int) (time.Duration, error) {
		for range n {
			if err := f(); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}
}

// benchChaChaCases adds the ChaCha20-Poly1305 rows (issue 22) beside
// AES-GCM's: Seal and Open of the same sizes with the same zero key, nonce
// and 13 bytes of additional data, minitls on its fastest ChaCha path and,
// when that is assembly, again on its portable Go ("-portable" twins);
// golang.org/x/crypto/chacha20poly1305 is the stdlib column.
func benchChaChaCases(cases *[]benchCase) {
	key := make([]byte, mchacha.KeySize)
	names := mchacha.Implementations()
	paths := []string{names[len(names)-1]}
	if paths[0] != "portable" {
		paths = append(paths, "portable")
	}
	for _, open := range []bool{false, true} {
		for _, size := range []struct {
			name string
			n    int
		}{{"64B", 64}, {"1KiB", 1 << 10}, {"16KiB", 16 << 10}} {
			for i, path := range paths {
				id, verb := "chacha-seal-"+size.name, "Seal"
				if open {
					id, verb = "chacha-open-"+size.name, "Open"
				}
				label := fmt.Sprintf("ChaCha20-Poly1305 %s %s", verb, benchSpaceUnit(size.name))
				if i > 0 {
					id, label = id+"-portable", "  portable path (Go)"
				}
				*cases = append(*cases, benchCase{
					id: id, group: "symmetric", operation: label, unit: benchUnitMBs, bytes: int64(size.n), chacha: path,
					prepare: func() ([2]benchOp, func(), error) {
						mc, err := mchacha.NewWithImplementation(key, path)
						if err != nil {
							return [2]benchOp{}, nil, err
						}
						xc, err := xchacha.New(key)
						if err != nil {
							return [2]benchOp{}, nil, err
						}
						var ops [2]benchOp
						for j, a := range []cipher.AEAD{mc, xc} {
							nonce, ad := make([]byte, 12), make([]byte, 13)
							pt := make([]byte, size.n)
							dst := make([]byte, 0, size.n+a.Overhead())
							if !open {
								ops[j] = benchLoop(func() { a.Seal(dst[:0], nonce, pt, ad) })
								continue
							}
							sealed := a.Seal(nil, nonce, pt, ad)
							ops[j] = benchLoopErr(func() error {
								_, err := a.Open(dst[:0], nonce, sealed, ad)
								return err
							})
						}
						if !bytes.Equal(mc.Seal(nil, make([]byte, 12), key, key), xc.Seal(nil, make([]byte, 12), key, key)) {
							return ops, nil, errors.New("minitls and x/crypto ChaCha20-Poly1305 disagree")
						}
						return ops, benchNoCleanup, nil
					},
				})
			}
		}
	}
}

// benchCases lists the operations in table order. Symmetric operations use
// the all-zero AES-128 key, a zero nonce and 13 bytes of additional data
// (a TLS record's), like the Go benchmarks in cipher/gcm, so the two
// methods measure the same thing.
func benchCases(fx *benchFixture, s benchSettings) []benchCase {
	key := make([]byte, 16)
	newAEADs := func() ([2]cipher.AEAD, error) {
		mb, err := maes.NewCipher(key)
		if err != nil {
			return [2]cipher.AEAD{}, err
		}
		mg, err := mgcm.New(mb)
		if err != nil {
			return [2]cipher.AEAD{}, err
		}
		sb, err := aes.NewCipher(key)
		if err != nil {
			return [2]cipher.AEAD{}, err
		}
		sg, err := cipher.NewGCM(sb)
		if err != nil {
			return [2]cipher.AEAD{}, err
		}
		// Both must compute the same function, or the race is unfair.
		nonce, ad, pt := make([]byte, 12), make([]byte, 13), []byte("minitls bench: same output from both")
		if !bytes.Equal(mg.Seal(nil, nonce, pt, ad), sg.Seal(nil, nonce, pt, ad)) {
			return [2]cipher.AEAD{}, errors.New("minitls and crypto/cipher AES-128-GCM disagree")
		}
		return [2]cipher.AEAD{mg, sg}, nil
	}

	var cases []benchCase
	// symmetric adds a row timing minitls on the path it uses by default
	// (the fastest this CPU has) and, when that is a hardware path, the
	// same operation again on the portable Go path: the pair shows what the
	// CPU's AES instructions change.
	fastest, portable := impl.Current(), impl.Portable
	symmetric := func(c benchCase) {
		c.path = &fastest
		cases = append(cases, c)
		if fastest != impl.Portable {
			c.id += "-portable"
			c.operation = "  portable path (bitsliced Go)"
			c.path = &portable
			cases = append(cases, c)
		}
	}
	symmetric(benchCase{
		id: "aes128-4blocks", group: "symmetric", operation: "AES-128 encrypt 4 blocks (EncryptBlocks)", unit: benchUnitMBs, bytes: 64,
		prepare: func() ([2]benchOp, func(), error) {
			mb, err := maes.NewCipher(key)
			if err != nil {
				return [2]benchOp{}, nil, err
			}
			mc, ok := mb.(*maes.Cipher)
			if !ok {
				return [2]benchOp{}, nil, fmt.Errorf("minitls AES is a %T, not *aes.Cipher", mb)
			}
			sb, err := aes.NewCipher(key)
			if err != nil {
				return [2]benchOp{}, nil, err
			}
			mbuf, sbuf := make([]byte, 64), make([]byte, 64)
			// crypto/aes has no multi-block call outside its modes: four
			// Encrypt calls, as in cipher/aes's BenchmarkAES.
			return [2]benchOp{
				benchLoop(func() { mc.EncryptBlocks(mbuf, mbuf) }),
				benchLoop(func() {
					for i := 0; i < 64; i += 16 {
						sb.Encrypt(sbuf[i:i+16], sbuf[i:i+16])
					}
				}),
			}, benchNoCleanup, nil
		},
	})
	for _, open := range []bool{false, true} {
		for _, size := range []struct {
			name string
			n    int
		}{{"64B", 64}, {"1KiB", 1 << 10}, {"16KiB", 16 << 10}} {
			id, verb := "gcm-seal-"+size.name, "Seal"
			if open {
				id, verb = "gcm-open-"+size.name, "Open"
			}
			label := fmt.Sprintf("AES-128-GCM %s %s", verb, benchSpaceUnit(size.name))
			symmetric(benchCase{
				id: id, group: "symmetric", operation: label, unit: benchUnitMBs, bytes: int64(size.n),
				prepare: func() ([2]benchOp, func(), error) {
					aeads, err := newAEADs()
					if err != nil {
						return [2]benchOp{}, nil, err
					}
					var ops [2]benchOp
					for i, g := range aeads {
						nonce, ad := make([]byte, 12), make([]byte, 13)
						pt := make([]byte, size.n)
						dst := make([]byte, 0, size.n+g.Overhead())
						if !open {
							ops[i] = benchLoop(func() { g.Seal(dst[:0], nonce, pt, ad) })
							continue
						}
						sealed := g.Seal(nil, nonce, pt, ad)
						ops[i] = benchLoopErr(func() error {
							_, err := g.Open(dst[:0], nonce, sealed, ad)
							return err
						})
					}
					return ops, benchNoCleanup, nil
				},
			})
		}
	}
	benchChaChaCases(&cases)
	symmetric(benchCase{
		// crypto/tls does not export its record layer, so both columns run
		// minitls's record layer; the stdlib column plugs in crypto/aes +
		// cipher.NewGCM, which isolates what the AEAD costs inside a record.
		id: "record-16KiB", group: "symmetric", operation: "record protect+unprotect 16 KiB", unit: benchUnitMBs, bytes: 16 << 10,
		prepare: func() ([2]benchOp, func(), error) {
			var ops [2]benchOp
			for i := range ops {
				sealA, err := newAEADs()
				if err != nil {
					return ops, nil, err
				}
				openA, err := newAEADs()
				if err != nil {
					return ops, nil, err
				}
				salt := []byte{1, 2, 3, 4}
				seal, err := record.NewProtection(sealA[i], salt)
				if err != nil {
					return ops, nil, err
				}
				open, err := record.NewProtection(openA[i], salt)
				if err != nil {
					return ops, nil, err
				}
				const size = 16 << 10
				pt := make([]byte, size)
				buf := make([]byte, 0, record.HeaderLen+size+seal.Overhead())
				var seq uint64
				ops[i] = benchLoopErr(func() error {
					rec := record.Header{Type: record.ApplicationData, Version: record.VersionTLS12, Length: size + seal.Overhead()}.Append(buf)
					rec = seal.Seal(rec, seq, record.ApplicationData, record.VersionTLS12, pt)
					h, err := record.ParseHeader(rec, true)
					if err != nil {
						return err
					}
					frag := rec[record.HeaderLen:]
					_, err = open.Open(frag[record.ExplicitNonceLen:record.ExplicitNonceLen], seq, h.Type, h.Version, frag)
					seq++
					return err
				})
			}
			return ops, benchNoCleanup, nil
		},
	})
	cases = append(cases, benchCase{
		id: "prf-tls12", group: "symmetric", operation: "TLS 1.2 PRF: master secret + key block", unit: benchUnitOps,
		prepare: func() ([2]benchOp, func(), error) { return benchPRFOps(fx) },
	})

	for _, bits := range []int{2048, 3072} {
		priv, std := fx.key2048, fx.std2048
		if bits == 3072 {
			priv, std = fx.key3072, fx.std3072
		}
		name := fmt.Sprintf("RSA-%d", bits)
		id := fmt.Sprintf("rsa-%d-", bits)
		pms := make([]byte, 48) // a TLS premaster secret's size
		digest := sha256.Sum256([]byte("minitls bench"))
		rsaCase := func(suffix, what string, ops func() ([2]benchOp, error)) benchCase {
			return benchCase{
				id: id + suffix, group: "asymmetric", operation: name + " " + what, unit: benchUnitOps,
				prepare: func() ([2]benchOp, func(), error) {
					o, err := ops()
					return o, benchNoCleanup, err
				},
			}
		}
		cases = append(cases,
			rsaCase("decrypt", "private decrypt (PKCS#1 v1.5)", func() ([2]benchOp, error) {
				c, err := mrsa.EncryptPKCS1v15(rand.Reader, &priv.PublicKey, pms)
				if err != nil {
					return [2]benchOp{}, err
				}
				mkey, skey := make([]byte, 48), make([]byte, 48)
				return [2]benchOp{
					benchLoopErr(func() error { return mrsa.DecryptPKCS1v15SessionKey(rand.Reader, priv, c, mkey) }),
					benchLoopErr(func() error {
						if err := benchStdDecryptSessionKey(std, c, skey); err != nil {
							return err
						}
						if !bytes.Equal(skey, pms) {
							return errors.New("crypto/rsa decrypted a minitls ciphertext wrongly")
						}
						return nil
					}),
				}, nil
			}),
			rsaCase("encrypt", "public encrypt (PKCS#1 v1.5)", func() ([2]benchOp, error) {
				return [2]benchOp{
					benchLoopErr(func() error { _, err := mrsa.EncryptPKCS1v15(rand.Reader, &priv.PublicKey, pms); return err }),
					benchLoopErr(func() error { _, err := benchStdEncrypt(&std.PublicKey, pms); return err }),
				}, nil
			}),
			rsaCase("sign", "sign (PKCS#1 v1.5, SHA-256)", func() ([2]benchOp, error) {
				return [2]benchOp{
					benchLoopErr(func() error {
						_, err := mrsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:])
						return err
					}),
					benchLoopErr(func() error {
						_, err := rsa.SignPKCS1v15(rand.Reader, std, crypto.SHA256, digest[:])
						return err
					}),
				}, nil
			}),
			rsaCase("verify", "verify (PKCS#1 v1.5, SHA-256)", func() ([2]benchOp, error) {
				sig, err := mrsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:])
				if err != nil {
					return [2]benchOp{}, err
				}
				return [2]benchOp{
					benchLoopErr(func() error { return mrsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, digest[:], sig) }),
					benchLoopErr(func() error { return rsa.VerifyPKCS1v15(&std.PublicKey, crypto.SHA256, digest[:], sig) }),
				}, nil
			}),
		)
	}

	benchECDSACases(&cases) // bench_ecdsa.go

	mib := benchSize(s.bulkBytes)
	// Each handshake kind is a pair of rows: handshakes per second over
	// loopback (elapsed time, client and server together), then the
	// server's CPU time per handshake (see bench_net.go).
	for _, hs := range []struct {
		id, operation, serverOperation string
		kind                           benchHSKind
	}{
		{"handshake", "full handshake, RSA-2048 (loopback)", "  server CPU per full RSA handshake", benchKindRSA},
		{"handshake-ecdhe", "full handshake, ECDHE-RSA, X25519 (loopback)", "  server CPU per full ECDHE handshake", benchKindECDHE},
		{"handshake-ecdsa", "full handshake, ECDHE-ECDSA P-256, X25519", "  server CPU per full ECDHE-ECDSA handshake", benchKindECDSA},
		{"handshake-resumed", "resumed handshake, session ticket (loopback)", "  server CPU per resumed handshake", benchKindResumed},
		{"handshake-tls13", "full handshake, TLS 1.3, X25519 (loopback)", "  server CPU per full TLS 1.3 handshake", benchKindTLS13},
		{"handshake-tls13-mlkem", "full handshake, TLS 1.3, X25519MLKEM768", "  server CPU, X25519MLKEM768", benchKindMLKEM},
		{"handshake-tls13-resumed", "resumed handshake, TLS 1.3, PSK + X25519", "  server CPU per resumed TLS 1.3 handshake", benchKindTLS13Resumed},
		{"handshake-mutual", "full handshake, ECDHE-RSA + client certificate", "  server CPU per mutual-TLS handshake", benchKindMutual},
	} {
		cases = append(cases,
			benchCase{
				id: hs.id, group: "connection", operation: hs.operation, unit: benchUnitOps, loopback: true, tls: hs.kind.info(),
				prepare: func() ([2]benchOp, func(), error) { return benchHandshakeOps(fx, hs.kind, false) },
			},
			benchCase{
				id: hs.id + "-server-cpu", group: "connection", operation: hs.serverOperation, unit: benchUnitOps, loopback: true, serverCPU: true, tls: hs.kind.info(),
				prepare: func() ([2]benchOp, func(), error) { return benchHandshakeOps(fx, hs.kind, true) },
			},
		)
		if hs.kind.ecdhe && !hs.kind.tls13 && !hs.kind.resume {
			// The client's side of a full ECDHE handshake, one-sided and
			// mutual: what client authentication costs the client.
			op := "  client CPU per full ECDHE handshake"
			if hs.kind.ecdsa {
				op = "  client CPU per full ECDHE-ECDSA handshake"
			}
			if hs.kind.mutual {
				op = "  client CPU per mutual-TLS handshake"
			}
			cases = append(cases, benchCase{
				id: hs.id + "-client-cpu", group: "connection", operation: op, unit: benchUnitOps, loopback: true, clientCPU: true, tls: hs.kind.info(),
				prepare: func() ([2]benchOp, func(), error) { return benchHandshakeOps(fx, hs.kind, false) },
			})
		}
	}
	cases = append(cases,
		benchCase{
			id: "bulk-transfer", group: "connection", operation: "bulk transfer " + mib + " (loopback)", unit: benchUnitMBs, bytes: s.bulkBytes, loopback: true, tls: benchKindRSA.info(),
			prepare: func() ([2]benchOp, func(), error) { return benchBulkOps(fx, s.bulkBytes, false) },
		},
		benchCase{
			id: "bulk-server-cpu", group: "connection", operation: "  server CPU, sending " + mib, unit: benchUnitMBs, bytes: s.bulkBytes, loopback: true, serverCPU: true, tls: benchKindRSA.info(),
			prepare: func() ([2]benchOp, func(), error) { return benchBulkOps(fx, s.bulkBytes, true) },
		},
	)
	return cases
}

// benchSize names a whole number of KiB or MiB, as in "8 MiB".
func benchSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// benchSpaceUnit turns "16KiB" into "16 KiB" for the table.
func benchSpaceUnit(s string) string {
	for i, r := range s {
		if r < '0' || r > '9' {
			return s[:i] + " " + s[i:]
		}
	}
	return s
}

// benchPRFOps times what the PRF does in every full handshake: the master
// secret (48 bytes from the 48-byte premaster secret) and the key block
// (40 bytes for AES-128-GCM). crypto/tls does not export its PRF, but
// ConnectionState.ExportKeyingMaterial (RFC 5705) on a TLS 1.2 connection is
// that same PRF over the master secret, "label" and the two randoms; with
// 13-byte labels (like "master secret" and "key expansion", which it refuses
// to export) and the same output lengths it does the same HMAC work.
func benchPRFOps(fx *benchFixture) ([2]benchOp, func(), error) {
	cs, err := benchStdConnectionState(fx)
	if err != nil {
		return [2]benchOp{}, nil, err
	}
	pms, cr, sr := make([]byte, 48), make([]byte, 32), make([]byte, 32)
	rand.Read(pms)
	rand.Read(cr)
	rand.Read(sr)
	mini := func() error {
		ms := handshake.MasterSecret(sha256.New, pms, cr, sr)
		kb := handshake.KeyExpansion(sha256.New, ms, cr, sr, 16, 4)
		if len(kb.ClientKey) != 16 {
			return errors.New("short key block")
		}
		return nil
	}
	std := func() error {
		if _, err := cs.ExportKeyingMaterial("EXPORTER-mstr", nil, 48); err != nil {
			return err
		}
		_, err := cs.ExportKeyingMaterial("EXPORTER-keys", nil, 40)
		return err
	}
	if err := std(); err != nil {
		return [2]benchOp{}, nil, fmt.Errorf("crypto/tls ExportKeyingMaterial: %w", err)
	}
	return [2]benchOp{benchLoopErr(mini), benchLoopErr(std)}, benchNoCleanup, nil
}

// benchStdConnectionState runs one crypto/tls handshake over an in-memory
// pipe and returns the client's state.
func benchStdConnectionState(fx *benchFixture) (tls.ConnectionState, error) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	srv := tls.Server(b, benchStdServerConfig(fx))
	errc := make(chan error, 1)
	go func() { errc <- srv.Handshake() }()
	cli := tls.Client(a, benchStdClientConfig(fx))
	a.SetDeadline(time.Now().Add(30 * time.Second))
	b.SetDeadline(time.Now().Add(30 * time.Second))
	if err := cli.Handshake(); err != nil {
		return tls.ConnectionState{}, err
	}
	if err := <-errc; err != nil {
		return tls.ConnectionState{}, err
	}
	return cli.ConnectionState(), nil
}

// crypto/rsa deprecated PKCS#1 v1.5 encryption in Go 1.26 in favour of OAEP;
// TLS 1.2's RSA key exchange is exactly that scheme, so the baseline must
// use it.

func benchStdDecryptSessionKey(priv *rsa.PrivateKey, c, key []byte) error {
	//lint:ignore SA1019 PKCS#1 v1.5 encryption is what TLS 1.2 RSA key exchange uses.
	return rsa.DecryptPKCS1v15SessionKey(nil, priv, c, key)
}

func benchStdEncrypt(pub *rsa.PublicKey, msg []byte) ([]byte, error) {
	//lint:ignore SA1019 see benchStdDecryptSessionKey
	return rsa.EncryptPKCS1v15(rand.Reader, pub, msg)
}
