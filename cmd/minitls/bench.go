package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"
)

// minitls bench measures, in this process and in one run, what the HTTPS
// story claims: asymmetric cryptography (RSA) is expensive, symmetric
// cryptography (AES-GCM) is cheap, so TLS uses RSA once per connection to
// agree on a key and AES-GCM for every byte after. Each operation runs twice,
// once with minitls's own code and once with Go's standard library (crypto/aes,
// crypto/cipher.NewGCM, crypto/rsa, crypto/tls), so the numbers say both how
// minitls compares and how the two kinds of cryptography compare on this
// machine.

func init() {
	register(command{
		name:    "bench",
		summary: "time symmetric against asymmetric crypto, minitls against stdlib",
		order:   50,
		run:     benchRun,
	})
}

// benchSchema names the layout of the -json output (see benchReport).
const benchSchema = "minitls-bench/3"

// benchSettings is how long a run measures. Each operation is calibrated so
// that one round takes about roundTarget, warmed up by the calibration itself,
// then measured for rounds rounds (minitls and stdlib alternating, so a load
// change on the machine hits both), and the median round is reported.
type benchSettings struct {
	mode        string
	roundTarget time.Duration
	rounds      int
	bulkBytes   int64 // bytes per operation of the loopback bulk transfer
}

var (
	benchFull  = benchSettings{mode: "full", roundTarget: 60 * time.Millisecond, rounds: 15, bulkBytes: 8 << 20}
	benchQuick = benchSettings{mode: "quick", roundTarget: 25 * time.Millisecond, rounds: 3, bulkBytes: 1 << 20}
	// benchTiny replaces benchQuick when benchTinyForTest is set: the unit test
	// runs the whole command, every operation and every output, in about a
	// second. Its numbers are too noisy to mean anything.
	benchTiny        = benchSettings{mode: "tiny", roundTarget: time.Millisecond, rounds: 3, bulkBytes: 64 << 10}
	benchTinyForTest = false
)

func benchRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "[-quick] [-json] [-svg FILE]",
		"Times AES-128 and AES-128-GCM, RSA-2048 and RSA-3072, the TLS 1.2 PRF, the\n"+
			"record layer, TLS 1.2 handshakes over loopback TCP (full RSA key transport,\n"+
			"full ECDHE with X25519, resumed by session ticket) and bulk transfer, each\n"+
			"with minitls and with Go's standard library, in this process; the AES rows\n"+
			"run on minitls's fastest path for this CPU and again on its portable Go.\n"+
			"Prints a table (ratio = minitls throughput / stdlib throughput) and the\n"+
			"lessons the numbers teach. A full run takes about a minute and a half; keep\n"+
			"the machine otherwise idle.",
		stderr)
	quick := fs.Bool("quick", false, "shorter rounds, 1 MiB bulk transfer: about 15 s on a 2-core\nmachine, noisier")
	asJSON := fs.Bool("json", false, "write the results as JSON (schema "+benchSchema+") instead of the table")
	svgFile := fs.String("svg", "", "also write a log-scale SVG bar chart of the time per operation to `FILE`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return &exitError{code: 2, err: fmt.Errorf("unexpected argument %q (bench takes only flags; see minitls bench -h)", fs.Arg(0))}
	}
	s := benchFull
	if *quick {
		s = benchQuick
		if benchTinyForTest {
			s = benchTiny
		}
	}
	// Check the chart can be written before spending a minute measuring.
	var svgOut *os.File
	if *svgFile != "" {
		f, err := os.Create(*svgFile)
		if err != nil {
			return fmt.Errorf("cannot write the chart: %w", err)
		}
		defer f.Close()
		svgOut = f
	}

	p := newBenchProgress(stderr)
	rep, err := benchMeasure(s, p)
	p.done()
	if err != nil {
		return err
	}
	benchComputeLessons(rep)

	if svgOut != nil {
		w := bufio.NewWriter(svgOut)
		benchWriteSVG(w, rep)
		if err := w.Flush(); err != nil {
			return fmt.Errorf("writing the chart %s: %w", *svgFile, err)
		}
		if err := svgOut.Close(); err != nil {
			return fmt.Errorf("writing the chart %s: %w", *svgFile, err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	benchWriteText(stdout, rep)
	if *svgFile != "" {
		fmt.Fprintf(stdout, "\nChart written to %s (open it in a browser).\n", *svgFile)
	}
	return nil
}

// benchReport is everything one run measured; -json writes it as is.
//
// Schema "minitls-bench/3" (JSON object; /2 had no "aes_path", no "path"
// and no "-portable" rows; /1 had no "tls" and no ECDHE or resumed rows):
//
//	schema             "minitls-bench/3"
//	cpu                CPU model from /proc/cpuinfo "model name", else GOARCH
//	aes_path           the AES and AES-GCM path minitls uses on this CPU and
//	                   build (minitls/internal/impl): "vaes-avx512", "aesni"
//	                   or "portable"; aes_path_description says it for people
//	rsa_path           the path of minitls's RSA arithmetic on this CPU and
//	                   build (minitls/cipher/rsa.Implementation):
//	                   "avx512-ifma", "mulx-adx" or "portable"
//	go_version, goos, goarch, num_cpu, gomaxprocs
//	mode               "full" or "quick"
//	round_target_ms    the time one measured round aims at
//	rounds             measured rounds per operation and implementation
//	bulk_bytes         bytes per operation of the bulk-transfer rows
//	server_cpu_method  how the server-CPU rows were measured:
//	                   "CLOCK_THREAD_CPUTIME_ID" (CPU time of the server
//	                   goroutine's locked OS thread, see bench_net.go) or
//	                   "wall" (other systems: the server's elapsed time, an
//	                   upper bound)
//	started            RFC 3339 time; elapsed_s: length of the run in seconds
//	results            rows, in table order:
//	  id               stable name: "aes128-4blocks", "gcm-seal-64B" ...
//	                   "gcm-open-16KiB", "record-16KiB", "prf-tls12",
//	                   "rsa-2048-decrypt" ("-encrypt", "-sign", "-verify",
//	                   and the same for 3072); loopback: "handshake" (full,
//	                   RSA key transport), "handshake-ecdhe" (full, ECDHE
//	                   X25519 + RSA-2048 signature), "handshake-resumed"
//	                   (session ticket), "handshake-tls13" (full, TLS 1.3,
//	                   X25519), "handshake-tls13-mlkem" (full, TLS 1.3,
//	                   X25519MLKEM768), "handshake-tls13-resumed" (TLS 1.3
//	                   PSK with X25519), "handshake-mutual" (full, ECDHE
//	                   X25519, the client presenting an RSA-2048
//	                   certificate), each followed by its "-server-cpu"
//	                   row ("handshake-ecdhe" and "handshake-mutual" also by
//	                   "-client-cpu"), then "bulk-transfer",
//	                   "bulk-server-cpu". When
//	                   aes_path is a hardware path, each symmetric row but
//	                   the PRF is followed by the same id + "-portable": the
//	                   same operation with minitls forced to its portable Go
//	                   path (stdlib measured again beside it)
//	  path             symmetric rows only: the path minitls's ciphers were
//	                   made for (aes_path, or "portable" on "-portable" rows)
//	  group            "symmetric", "asymmetric" or "connection"
//	  operation        what a person reads in the table
//	  unit             "MB/s" (10^6 bytes per second) or "op/s"
//	  bytes_per_op     bytes one operation processes (0 for "op/s" rows)
//	  clock            what ns_per_op measures (see benchMeasureCase):
//	                   "thread-cpu" CPU time of the thread running the
//	                   operation (in-process rows), "wall" elapsed time
//	                   (loopback rows, and in-process rows on systems without
//	                   a thread CPU clock), "server-cpu" the server's CPU time
//	                   ("server-wall" without a thread CPU clock)
//	  tls              loopback rows only: what both ends of every measured
//	                   connection were checked to have negotiated, for both
//	                   implementations: {suite: e.g.
//	                   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"; curve: "x25519"
//	                   for ECDHE, absent otherwise; resumed: true when every
//	                   measured handshake resumed (DidResume on client and
//	                   server), false when every one was full}
//	  minitls, stdlib  {ns_per_op: median of rounds_ns_per_op, the time per
//	                   operation of each round; value: throughput in unit,
//	                   bytes_per_op*1e3/ns_per_op for MB/s or 1e9/ns_per_op
//	                   for op/s; ops_per_round; for in-process rows also
//	                   wall_ns_per_op, the median of wall_rounds_ns_per_op:
//	                   the elapsed time, as go test -bench would report it}
//	  ratio            minitls.value / stdlib.value (>1: minitls is faster)
//	lessons            conclusions, each computed from rows of this run:
//	  id, unit         "rsa2048-decrypt-as-gcm" (KiB), "handshake-as-mib-sent"
//	                   (MiB), "breakeven-bytes" (bytes), "asym-sym-2048" and
//	                   "asym-sym-3072" (x), "ecdhe-over-rsa-server-cpu" (x:
//	                   server CPU of a full ECDHE handshake / of a full RSA
//	                   one), "full-over-resumed-server-cpu" (x: server CPU of
//	                   a full RSA handshake / of a resumed one, the N of
//	                   "a resumed handshake costs 1/N of a full one")
//	  from             ids of the rows it is computed from
//	  minitls, stdlib  the number for each implementation
//	  text             the sentence printed under the table
type benchReport struct {
	Schema             string        `json:"schema"`
	CPU                string        `json:"cpu"`
	AESPath            string        `json:"aes_path"`
	AESPathDescription string        `json:"aes_path_description"`
	RSAPath            string        `json:"rsa_path"`
	GoVersion          string        `json:"go_version"`
	GOOS               string        `json:"goos"`
	GOARCH             string        `json:"goarch"`
	NumCPU             int           `json:"num_cpu"`
	GOMAXPROCS         int           `json:"gomaxprocs"`
	Mode               string        `json:"mode"`
	RoundTargetMS      float64       `json:"round_target_ms"`
	Rounds             int           `json:"rounds"`
	BulkBytes          int64         `json:"bulk_bytes"`
	ServerCPUMethod    string        `json:"server_cpu_method"`
	Started            time.Time     `json:"started"`
	ElapsedS           float64       `json:"elapsed_s"`
	Results            []benchRow    `json:"results"`
	Lessons            []benchLesson `json:"lessons"`
}

// benchRow is one operation, measured with both implementations.
type benchRow struct {
	ID         string      `json:"id"`
	Group      string      `json:"group"`
	Operation  string      `json:"operation"`
	Unit       string      `json:"unit"`
	BytesPerOp int64       `json:"bytes_per_op"`
	Minitls    benchFigure `json:"minitls"`
	Stdlib     benchFigure `json:"stdlib"`
	Ratio      float64     `json:"ratio"`
	Clock      string      `json:"clock"`
	// Path is the AES/GCM path of minitls's figure (symmetric rows only).
	Path string `json:"path,omitempty"`
	// TLS is what a loopback row's connections negotiated (checked on
	// every measured connection); nil for in-process rows.
	TLS *benchTLSInfo `json:"tls,omitempty"`
}

// benchTLSInfo names what the connections of a loopback row negotiated.
type benchTLSInfo struct {
	Suite   string `json:"suite"`
	Curve   string `json:"curve,omitempty"`
	Resumed bool   `json:"resumed"`
}

// Clocks of benchRow.Clock.
var (
	benchClockThread = map[bool]string{true: "thread-cpu", false: "wall"}[benchHaveThreadCPU]
	benchClockWall   = "wall"
	benchClockServer = map[bool]string{true: "server-cpu", false: "server-wall"}[benchHaveThreadCPU]
	benchClockClient = map[bool]string{true: "client-cpu", false: "wall"}[benchHaveThreadCPU]
)

// benchFigure is one implementation's result for one operation.
type benchFigure struct {
	NsPerOp     float64   `json:"ns_per_op"`
	Value       float64   `json:"value"`
	OpsPerRound int       `json:"ops_per_round"`
	Rounds      []float64 `json:"rounds_ns_per_op"`
	// Elapsed time per operation (in-process rows only, whose ns_per_op
	// is CPU time; see benchMeasureCase).
	WallNsPerOp float64   `json:"wall_ns_per_op,omitempty"`
	WallRounds  []float64 `json:"wall_rounds_ns_per_op,omitempty"`
}

// benchLesson is one conclusion drawn from the rows.
type benchLesson struct {
	ID      string   `json:"id"`
	Unit    string   `json:"unit"`
	From    []string `json:"from"`
	Minitls float64  `json:"minitls"`
	Stdlib  float64  `json:"stdlib"`
	Text    string   `json:"text"`
}

const (
	benchUnitMBs = "MB/s"
	benchUnitOps = "op/s"
)

// benchValue turns a time per operation into the row's throughput unit.
func benchValue(unit string, bytesPerOp int64, nsPerOp float64) float64 {
	if unit == benchUnitMBs {
		return float64(bytesPerOp) * 1e3 / nsPerOp // bytes/ns = 10^3 MB/s
	}
	return 1e9 / nsPerOp
}

func (rep *benchReport) row(id string) *benchRow {
	for i := range rep.Results {
		if rep.Results[i].ID == id {
			return &rep.Results[i]
		}
	}
	return nil
}

// benchComputeLessons derives the lessons from the rows. Each lesson needs
// only times per operation (ns/op), so it holds for any unit the table uses.
func benchComputeLessons(rep *benchReport) {
	seal, rsa2048, rsa3072 := rep.row("gcm-seal-16KiB"), rep.row("rsa-2048-decrypt"), rep.row("rsa-3072-decrypt")
	hsCPU, bulkCPU := rep.row("handshake-server-cpu"), rep.row("bulk-server-cpu")
	if seal == nil || rsa2048 == nil || rsa3072 == nil || hsCPU == nil || bulkCPU == nil {
		return
	}
	both := func(f func(seal, rsa2048, rsa3072, hsCPU, bulkCPU benchFigure) float64) (float64, float64) {
		return f(seal.Minitls, rsa2048.Minitls, rsa3072.Minitls, hsCPU.Minitls, bulkCPU.Minitls),
			f(seal.Stdlib, rsa2048.Stdlib, rsa3072.Stdlib, hsCPU.Stdlib, bulkCPU.Stdlib)
	}
	sealNsPerByte := func(f benchFigure) float64 { return f.NsPerOp / float64(seal.BytesPerOp) }
	mibNs := func(f benchFigure) float64 { return f.NsPerOp / float64(bulkCPU.BytesPerOp) * (1 << 20) }

	// 1. One RSA-2048 private decryption buys this much AES-128-GCM.
	m, s := both(func(seal, r2, _, _, _ benchFigure) float64 { return r2.NsPerOp / sealNsPerByte(seal) / 1024 })
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "rsa2048-decrypt-as-gcm", Unit: "KiB", From: []string{rsa2048.ID, seal.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("One RSA-2048 private decryption costs as much time as AES-128-GCM sealing %s KiB (minitls: %s vs %s per 16 KiB) or %s KiB (stdlib: %s vs %s).",
			benchNum(m), benchDur(rsa2048.Minitls.NsPerOp), benchDur(seal.Minitls.NsPerOp),
			benchNum(s), benchDur(rsa2048.Stdlib.NsPerOp), benchDur(seal.Stdlib.NsPerOp)),
	})

	// 2. The server's CPU time for one full handshake, in MiB of application data sent.
	m, s = both(func(_, _, _, hs, bulk benchFigure) float64 { return hs.NsPerOp / mibNs(bulk) })
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "handshake-as-mib-sent", Unit: "MiB", From: []string{hsCPU.ID, bulkCPU.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("The server spends %s of CPU on one full handshake and %s on sending one MiB: one handshake costs as much as %s MiB of data (minitls); stdlib: %s vs %s, %s MiB.",
			benchDur(hsCPU.Minitls.NsPerOp), benchDur(mibNs(bulkCPU.Minitls)), benchNum(m),
			benchDur(hsCPU.Stdlib.NsPerOp), benchDur(mibNs(bulkCPU.Stdlib)), benchNum(s)),
	})

	// 3. Break-even: bytes whose AES-128-GCM sealing costs the server as much
	// CPU as the handshake did.
	m, s = both(func(seal, _, _, hs, _ benchFigure) float64 { return hs.NsPerOp / sealNsPerByte(seal) })
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "breakeven-bytes", Unit: "bytes", From: []string{hsCPU.ID, seal.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("A connection must carry %s before encrypting its data costs the server more CPU than its handshake did (minitls: AES-128-GCM takes %s of CPU per 16 KiB); stdlib: %s (%s per 16 KiB).",
			benchBytes(m), benchDur(seal.Minitls.NsPerOp), benchBytes(s), benchDur(seal.Stdlib.NsPerOp)),
	})

	// 4. Asymmetric against symmetric, per byte, at both key sizes.
	for _, r := range []*benchRow{rsa2048, rsa3072} {
		k := 256.0
		if r == rsa3072 {
			k = 384
		}
		bits := int(k * 8)
		m, s := both(func(seal, r2, r3, _, _ benchFigure) float64 {
			f := r2
			if r == rsa3072 {
				f = r3
			}
			return (f.NsPerOp / k) / sealNsPerByte(seal)
		})
		rep.Lessons = append(rep.Lessons, benchLesson{
			ID: fmt.Sprintf("asym-sym-%d", bits), Unit: "x", From: []string{r.ID, seal.ID}, Minitls: m, Stdlib: s,
			Text: fmt.Sprintf("Per byte, RSA-%d private decryption (of a %d-byte block) costs %s× AES-128-GCM (minitls) and %s× (stdlib).",
				bits, int(k), benchNum(m), benchNum(s)),
		})
	}
	benchComputeHandshakeLessons(rep, hsCPU)
	benchComputePathLesson(rep, seal)
	benchComputeChaChaLesson(rep, seal)
	benchComputeECDSALessons(rep) // bench_ecdsa.go
}

// benchComputeChaChaLesson adds why ChaCha20-Poly1305 exists (issue 22):
// sealing 16 KiB with it and with AES-128-GCM, both on minitls's portable
// Go (what a CPU without AES instructions gets, AES being bitsliced to stay
// constant-time), and both on this CPU's fastest paths. Minitls is the
// portable ratio AES-GCM / ChaCha20-Poly1305; Stdlib the same ratio for
// crypto/cipher's AES-GCM and x/crypto's ChaCha20-Poly1305 on this CPU.
func benchComputeChaChaLesson(rep *benchReport, seal *benchRow) {
	chacha := rep.row("chacha-seal-16KiB")
	if chacha == nil {
		return
	}
	sealPortable, chachaPortable := rep.row(seal.ID+"-portable"), rep.row(chacha.ID+"-portable")
	if sealPortable == nil {
		sealPortable = seal // minitls's AES runs the portable path anyway
	}
	if chachaPortable == nil {
		chachaPortable = chacha
	}
	m := sealPortable.Minitls.NsPerOp / chachaPortable.Minitls.NsPerOp
	s := seal.Stdlib.NsPerOp / chacha.Stdlib.NsPerOp
	here := seal.Minitls.NsPerOp / chacha.Minitls.NsPerOp
	faster, slower, by := "ChaCha20-Poly1305", "AES-128-GCM", here
	if here < 1 {
		faster, slower, by = "AES-128-GCM", "ChaCha20-Poly1305", 1/here
	}
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "chacha-over-aes", Unit: "x", From: []string{sealPortable.ID, chachaPortable.ID, seal.ID, chacha.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("Why ChaCha20-Poly1305 exists: on a CPU without AES instructions (minitls's portable Go) it seals 16 KiB in %s against %s for constant-time AES-128-GCM, %s× faster, with only additions, rotations and XORs. On this CPU (AES-GCM on the %s path, ChaCha20-Poly1305 on %s) %s is faster, by %s× (%s against %s for %s); in Go's libraries AES-128-GCM takes %s× the time of x/crypto's ChaCha20-Poly1305.",
			benchDur(chachaPortable.Minitls.NsPerOp), benchDur(sealPortable.Minitls.NsPerOp), benchNum(m),
			seal.Path, chacha.Path, faster, benchNum(by), benchDur(min(seal.Minitls.NsPerOp, chacha.Minitls.NsPerOp)),
			benchDur(max(seal.Minitls.NsPerOp, chacha.Minitls.NsPerOp)), slower, benchNum(s)),
	})
}

// benchComputePathLesson adds what the CPU's AES instructions change: the
// same AES-128-GCM sealing on minitls's hardware path and on its portable
// Go path (seal is the hardware path's row). It adds nothing when minitls
// runs the portable path anyway (no "-portable" rows).
func benchComputePathLesson(rep *benchReport, seal *benchRow) {
	portable, aes, aesPortable := rep.row(seal.ID+"-portable"), rep.row("aes128-4blocks"), rep.row("aes128-4blocks-portable")
	if portable == nil || aes == nil || aesPortable == nil {
		return
	}
	m := portable.Minitls.NsPerOp / seal.Minitls.NsPerOp
	s := portable.Minitls.NsPerOp / portable.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "hardware-over-portable", Unit: "x", From: []string{seal.ID, portable.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("What AES instructions change: minitls seals 16 KiB with AES-128-GCM in %s on its %s path and in %s in portable Go (bitsliced AES, GHASH by integer multiplication), %s× faster (AES-128 on 4 blocks: %s×); Go's standard library, on the CPU's AES and carry-less multiply instructions, is %s× minitls's portable Go. The lessons above use the %s path.",
			benchDur(seal.Minitls.NsPerOp), seal.Path, benchDur(portable.Minitls.NsPerOp), benchNum(m),
			benchNum(aesPortable.Minitls.NsPerOp/aes.Minitls.NsPerOp), benchNum(s), seal.Path),
	})
}

// benchComputeHandshakeLessons adds what the three kinds of handshake teach,
// from the server's CPU time per handshake (rsa is the full RSA
// key-transport row).
func benchComputeHandshakeLessons(rep *benchReport, rsa *benchRow) {
	ecdhe, resumed := rep.row("handshake-ecdhe-server-cpu"), rep.row("handshake-resumed-server-cpu")
	if ecdhe == nil || resumed == nil {
		return
	}
	quot := func(a, b *benchRow) (float64, float64) {
		return a.Minitls.NsPerOp / b.Minitls.NsPerOp, a.Stdlib.NsPerOp / b.Stdlib.NsPerOp
	}

	// 5. What forward secrecy costs the server: ECDHE (an RSA signature
	// plus X25519) against RSA key transport (an RSA decryption).
	m, s := quot(ecdhe, rsa)
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "ecdhe-over-rsa-server-cpu", Unit: "x", From: []string{ecdhe.ID, rsa.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("Forward secrecy: a full ECDHE handshake (an RSA-2048 signature and X25519 instead of an RSA-2048 decryption) costs the server %s of CPU against %s for RSA key transport, %s× (minitls); stdlib: %s vs %s, %s×.",
			benchDur(ecdhe.Minitls.NsPerOp), benchDur(rsa.Minitls.NsPerOp), benchNum(m),
			benchDur(ecdhe.Stdlib.NsPerOp), benchDur(rsa.Stdlib.NsPerOp), benchNum(s)),
	})

	benchComputeTLS13Lessons(rep, ecdhe)
	benchComputeMutualLesson(rep)

	// 6. What resumption saves the server: no certificate, no RSA.
	m, s = quot(rsa, resumed)
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "full-over-resumed-server-cpu", Unit: "x", From: []string{rsa.ID, resumed.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("A resumed handshake (session ticket: no certificate, no RSA) costs the server 1/%s of a full RSA one: %s of CPU against %s (minitls); stdlib: 1/%s, %s vs %s.",
			benchNum(m), benchDur(resumed.Minitls.NsPerOp), benchDur(rsa.Minitls.NsPerOp),
			benchNum(s), benchDur(resumed.Stdlib.NsPerOp), benchDur(rsa.Stdlib.NsPerOp)),
	})
}

// benchComputeMutualLesson adds what client authentication costs the
// client: the client CPU of a full ECDHE handshake in which it presents a
// certificate (one RSA-2048 signature more, its CertificateVerify) less that
// of the one-sided one. spec: rfc5246#7.4.8
func benchComputeMutualLesson(rep *benchReport) {
	one, mutual := rep.row("handshake-ecdhe-client-cpu"), rep.row("handshake-mutual-client-cpu")
	if one == nil || mutual == nil {
		return
	}
	m, s := mutual.Minitls.NsPerOp-one.Minitls.NsPerOp, mutual.Stdlib.NsPerOp-one.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "mutual-extra-client-cpu", Unit: "ns", From: []string{mutual.ID, one.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("Mutual TLS: proving who the client is (a certificate and a CertificateVerify, one RSA-2048 signature) adds %s of client CPU to a full ECDHE handshake (%s against %s; stdlib: %s, %s vs %s); the server pays one signature check more.",
			benchDur(m), benchDur(mutual.Minitls.NsPerOp), benchDur(one.Minitls.NsPerOp),
			benchDur(s), benchDur(mutual.Stdlib.NsPerOp), benchDur(one.Stdlib.NsPerOp)),
	})
}

// benchComputeTLS13Lessons adds what TLS 1.3 costs the server against TLS
// 1.2 with ECDHE, and what the post-quantum key share adds.
func benchComputeTLS13Lessons(rep *benchReport, ecdhe *benchRow) {
	x, pq := rep.row("handshake-tls13-server-cpu"), rep.row("handshake-tls13-mlkem-server-cpu")
	if x == nil || pq == nil {
		return
	}
	m, s := x.Minitls.NsPerOp/ecdhe.Minitls.NsPerOp, x.Stdlib.NsPerOp/ecdhe.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "tls13-over-tls12-server-cpu", Unit: "x", From: []string{x.ID, ecdhe.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("TLS 1.3 does the same work as TLS 1.2 ECDHE (one RSA-2048 signature, X25519) in one round trip instead of two: %s of server CPU against %s, %s× (minitls); stdlib: %s vs %s, %s×.",
			benchDur(x.Minitls.NsPerOp), benchDur(ecdhe.Minitls.NsPerOp), benchNum(m),
			benchDur(x.Stdlib.NsPerOp), benchDur(ecdhe.Stdlib.NsPerOp), benchNum(s)),
	})
	m, s = pq.Minitls.NsPerOp-x.Minitls.NsPerOp, pq.Stdlib.NsPerOp-x.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "mlkem-extra-server-cpu", Unit: "ns", From: []string{pq.ID, x.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("The post-quantum lesson: the hybrid X25519MLKEM768 share adds %s of server CPU to a full TLS 1.3 handshake (%s against %s with X25519 alone, %+.0f%%; stdlib: %s, %+.0f%%) and about 2.2 KB to the hellos (a 1216-byte share from the client, 1120 back, against 32 each way): a small price against recordings decrypted by a future quantum computer.",
			benchDur(m), benchDur(pq.Minitls.NsPerOp), benchDur(x.Minitls.NsPerOp), 100*m/x.Minitls.NsPerOp,
			benchDur(s), 100*s/x.Stdlib.NsPerOp),
	})
	if r := rep.row("handshake-tls13-resumed-server-cpu"); r != nil {
		m, s = x.Minitls.NsPerOp/r.Minitls.NsPerOp, x.Stdlib.NsPerOp/r.Stdlib.NsPerOp
		rep.Lessons = append(rep.Lessons, benchLesson{
			ID: "tls13-full-over-resumed-server-cpu", Unit: "x", From: []string{x.ID, r.ID}, Minitls: m, Stdlib: s,
			Text: fmt.Sprintf("A resumed TLS 1.3 handshake (the ticket's PSK with a fresh X25519 exchange, psk_dhe_ke: no certificate, no signature, still forward secret) costs the server 1/%s of a full one: %s of CPU against %s (minitls); stdlib: 1/%s, %s vs %s.",
				benchNum(m), benchDur(r.Minitls.NsPerOp), benchDur(x.Minitls.NsPerOp),
				benchNum(s), benchDur(r.Stdlib.NsPerOp), benchDur(x.Stdlib.NsPerOp)),
		})
	}
}

// benchWriteText prints the report for a person.
func benchWriteText(w io.Writer, rep *benchReport) {
	fmt.Fprintf(w, "minitls bench (%s run, %d rounds of ~%s per figure, median)\n", rep.Mode, rep.Rounds, time.Duration(rep.RoundTargetMS*float64(time.Millisecond)))
	cpu := fmt.Sprintf("CPU: %s (%d logical CPUs, GOMAXPROCS %d) · Go %s %s/%s", rep.CPU, rep.NumCPU, rep.GOMAXPROCS, rep.GoVersion, rep.GOOS, rep.GOARCH)
	for _, l := range cliWrapWords(cpu, cliWidth) {
		fmt.Fprintln(w, l)
	}
	path := fmt.Sprintf("minitls AES path: %s — %s.", rep.AESPath, rep.AESPathDescription)
	if rep.AESPath != "portable" {
		path += " The rows marked portable run the same operation on minitls's portable Go code."
	}
	path += fmt.Sprintf(" minitls RSA path: %s.", rep.RSAPath)
	for _, l := range cliWrapWords(path, cliWidth) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	width := len("operation")
	for _, r := range rep.Results {
		width = max(width, benchRuneLen(r.Operation))
	}
	line := func(op, a, b, c string) {
		fmt.Fprintf(w, "%s%s  %10s  %10s  %7s\n", op, strings.Repeat(" ", width-benchRuneLen(op)), a, b, c)
	}
	line("operation", "minitls", "stdlib", "ratio")
	group := ""
	for _, r := range rep.Results {
		if r.Group != group {
			if group != "" {
				fmt.Fprintln(w)
			}
			group = r.Group
		}
		line(r.Operation, benchCell(r, r.Minitls), benchCell(r, r.Stdlib), benchNum(r.Ratio)+"×")
	}
	fmt.Fprintln(w)
	note := "ratio = minitls throughput / stdlib throughput: 1× is as fast, below 1× minitls is slower. "
	if benchHaveThreadCPU {
		note += "Times are CPU time: of the thread running the operation (steady on a busy machine, " +
			"the same as elapsed time on an idle one), and of the server alone in the server CPU rows; " +
			"the loopback handshake and transfer rows are elapsed time, client and server together."
	} else {
		note += "Times are elapsed time; the server rows count the server's elapsed time."
	}
	for _, l := range cliWrapWords(note, cliWidth) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "What the numbers say:")
	for _, l := range rep.Lessons {
		for i, part := range cliWrapWords(l.Text, cliWidth-4) {
			bullet := "    "
			if i == 0 {
				bullet = "  • "
			}
			fmt.Fprintln(w, bullet+part)
		}
	}
	fmt.Fprintf(w, "\nMeasured in %.1f s.\n", rep.ElapsedS)
}

// benchCell formats one figure: MB/s for bulk rows, time per operation for
// the others (easier to compare with each other than op/s).
func benchCell(r benchRow, f benchFigure) string {
	if r.Unit == benchUnitMBs {
		return benchNum(f.Value) + " MB/s"
	}
	return benchDur(f.NsPerOp) + "/op"
}

// benchNum formats a positive number with three significant digits (more
// for large numbers, which keep all their integer digits).
func benchNum(x float64) string {
	// Decide on the value as rounded, so 99.97 prints "100", not "100.0".
	switch a := math.Abs(x); {
	case a >= 99.95:
		return fmt.Sprintf("%.0f", x)
	case a >= 9.995:
		return fmt.Sprintf("%.1f", x)
	case a >= 0.9995:
		return fmt.Sprintf("%.2f", x)
	default:
		return fmt.Sprintf("%.3g", x)
	}
}

// benchDur formats a time in nanoseconds with a human unit.
func benchDur(ns float64) string {
	switch {
	case ns >= 1e9:
		return benchNum(ns/1e9) + " s"
	case ns >= 1e6:
		return benchNum(ns/1e6) + " ms"
	case ns >= 1e3:
		return benchNum(ns/1e3) + " µs"
	default:
		return benchNum(ns) + " ns"
	}
}

// benchBytes formats a byte count with a binary unit.
func benchBytes(n float64) string {
	switch {
	case n >= 1<<30:
		return benchNum(n/(1<<30)) + " GiB"
	case n >= 1<<20:
		return benchNum(n/(1<<20)) + " MiB"
	case n >= 1<<10:
		return benchNum(n/(1<<10)) + " KiB"
	default:
		return benchNum(n) + " bytes"
	}
}

func benchRuneLen(s string) int { return len([]rune(s)) }

// benchCPUName names the processor: /proc/cpuinfo's "model name" on Linux,
// else the architecture Go was built for.
func benchCPUName() string {
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				if v = strings.TrimSpace(v); v != "" {
					return v
				}
			}
		}
	}
	return runtime.GOARCH
}

// benchProgress shows which measurement is running on stderr: one line
// rewritten in place (\r) on a terminal, plain lines otherwise (a log file
// or a CI console).
type benchProgress struct {
	w    io.Writer
	tty  bool
	last int // length of the line on screen (tty only)
}

func newBenchProgress(w io.Writer) *benchProgress {
	p := &benchProgress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// step reports the start of a measurement; detail, when not empty, is a
// finer step shown only on a terminal.
func (p *benchProgress) step(i, n int, what, detail string) {
	what = strings.TrimSpace(what)
	if !p.tty {
		if detail == "" {
			fmt.Fprintf(p.w, "minitls bench: [%d/%d] %s\n", i, n, what)
		}
		return
	}
	s := fmt.Sprintf("minitls bench: [%d/%d] %s", i, n, what)
	if detail != "" {
		s += " — " + detail
	}
	// A line longer than the terminal would wrap, and \r would then
	// rewrite only its last part.
	if r := []rune(s); len(r) > 79 {
		s = string(r[:78]) + "…"
	}
	pad := max(0, p.last-benchRuneLen(s))
	fmt.Fprintf(p.w, "\r%s%s", s, strings.Repeat(" ", pad))
	p.last = benchRuneLen(s)
}

// note prints a line that stays (setup steps).
func (p *benchProgress) note(s string) {
	if p.tty {
		fmt.Fprintf(p.w, "\r%s%s\n", s, strings.Repeat(" ", max(0, p.last-benchRuneLen(s))))
		p.last = 0
		return
	}
	fmt.Fprintln(p.w, s)
}

func (p *benchProgress) done() {
	if p.tty && p.last > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.last))
		p.last = 0
	}
}
