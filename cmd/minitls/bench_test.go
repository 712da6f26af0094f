package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"minitls/cipher/chacha20poly1305"
	mrsa "minitls/cipher/rsa"
	"minitls/internal/impl"
)

// These tests run the real `minitls bench` code path, every operation and
// every output, with benchTinyForTest making -quick's rounds about a
// millisecond long so the whole run takes a second or two. The numbers of
// such a run are noise; what is checked is that they are reported
// consistently: each figure matches its rounds, each ratio and each lesson
// is the arithmetic of the figures beside it, and the chart draws exactly
// those figures.

// benchTestReport mirrors the documented JSON schema (see benchReport),
// written out again here so that a renamed field breaks the test.
type benchTestReport struct {
	Schema             string  `json:"schema"`
	CPU                string  `json:"cpu"`
	AESPath            string  `json:"aes_path"`
	AESPathDescription string  `json:"aes_path_description"`
	RSAPath            string  `json:"rsa_path"`
	GoVersion          string  `json:"go_version"`
	GOOS               string  `json:"goos"`
	GOARCH             string  `json:"goarch"`
	NumCPU             int     `json:"num_cpu"`
	GOMAXPROCS         int     `json:"gomaxprocs"`
	Mode               string  `json:"mode"`
	RoundTargetMS      float64 `json:"round_target_ms"`
	Rounds             int     `json:"rounds"`
	BulkBytes          int64   `json:"bulk_bytes"`
	ServerCPUMethod    string  `json:"server_cpu_method"`
	Started            string  `json:"started"`
	ElapsedS           float64 `json:"elapsed_s"`
	Results            []struct {
		ID         string          `json:"id"`
		Group      string          `json:"group"`
		Operation  string          `json:"operation"`
		Unit       string          `json:"unit"`
		BytesPerOp int64           `json:"bytes_per_op"`
		Minitls    benchTestFigure `json:"minitls"`
		Stdlib     benchTestFigure `json:"stdlib"`
		Ratio      float64         `json:"ratio"`
		Clock      string          `json:"clock"`
		Path       string          `json:"path"`
		TLS        *struct {
			Suite   string `json:"suite"`
			Curve   string `json:"curve"`
			Resumed bool   `json:"resumed"`
		} `json:"tls"`
	} `json:"results"`
	Lessons []struct {
		ID      string   `json:"id"`
		Unit    string   `json:"unit"`
		From    []string `json:"from"`
		Minitls float64  `json:"minitls"`
		Stdlib  float64  `json:"stdlib"`
		Text    string   `json:"text"`
	} `json:"lessons"`
}

type benchTestFigure struct {
	NsPerOp     float64   `json:"ns_per_op"`
	Value       float64   `json:"value"`
	OpsPerRound int       `json:"ops_per_round"`
	Rounds      []float64 `json:"rounds_ns_per_op"`
	WallNsPerOp float64   `json:"wall_ns_per_op"`
	WallRounds  []float64 `json:"wall_rounds_ns_per_op"`
}

// benchSymmetricIDs are the rows that run on minitls's AES/GCM path, in
// table order; on a CPU with a hardware path each is followed by its
// "-portable" twin (issue 15).
var benchSymmetricIDs = []string{
	"aes128-4blocks",
	"gcm-seal-64B", "gcm-seal-1KiB", "gcm-seal-16KiB", "gcm-open-64B", "gcm-open-1KiB", "gcm-open-16KiB",
	"record-16KiB",
}

// benchWantIDs are the rows issues 8, 10, 11 and 15 ask for, in table order.
var benchWantIDs = append(benchWantSymmetric(), []string{
	"prf-tls12",
	"rsa-2048-decrypt", "rsa-2048-encrypt", "rsa-2048-sign", "rsa-2048-verify",
	"rsa-3072-decrypt", "rsa-3072-encrypt", "rsa-3072-sign", "rsa-3072-verify",
	"ecdsa-p256-sign", "ecdsa-p256-verify",
	"handshake", "handshake-server-cpu", "handshake-ecdhe", "handshake-ecdhe-server-cpu", "handshake-ecdhe-client-cpu",
	"handshake-ecdsa", "handshake-ecdsa-server-cpu", "handshake-ecdsa-client-cpu",
	"handshake-resumed", "handshake-resumed-server-cpu", "handshake-tls13", "handshake-tls13-server-cpu",
	"handshake-tls13-mlkem", "handshake-tls13-mlkem-server-cpu", "handshake-tls13-resumed",
	"handshake-tls13-resumed-server-cpu", "handshake-mutual", "handshake-mutual-server-cpu", "handshake-mutual-client-cpu",
	"bulk-transfer", "bulk-server-cpu",
}...)

func benchWantSymmetric() []string {
	var ids []string
	for _, id := range benchSymmetricIDs {
		if id == "record-16KiB" {
			ids = append(ids, benchWantChaCha()...)
		}
		ids = append(ids, id)
		if impl.Current() != impl.Portable {
			ids = append(ids, id+"-portable")
		}
	}
	return ids
}

// benchChaChaIDs are the ChaCha20-Poly1305 rows (issue 22), after AES-GCM's
// Seal and Open rows; each has a "-portable" twin when
// cipher/chacha20poly1305 runs assembly here.
var benchChaChaIDs = []string{
	"chacha-seal-64B", "chacha-seal-1KiB", "chacha-seal-16KiB", "chacha-open-64B", "chacha-open-1KiB", "chacha-open-16KiB",
}

func benchChaChaFastest() string {
	names := chacha20poly1305.Implementations()
	return names[len(names)-1]
}

func benchWantChaCha() []string {
	var ids []string
	for _, id := range benchChaChaIDs {
		ids = append(ids, id)
		if benchChaChaFastest() != "portable" {
			ids = append(ids, id+"-portable")
		}
	}
	return ids
}

// benchWantPath is the path a row's minitls figure must say it ran on: the
// fastest for the symmetric rows, portable for their twins, none for the
// others.
func benchWantPath(id string) string {
	for _, s := range benchChaChaIDs {
		switch id {
		case s:
			return benchChaChaFastest()
		case s + "-portable":
			return "portable"
		}
	}
	for _, s := range benchSymmetricIDs {
		switch id {
		case s:
			return impl.Current().String()
		case s + "-portable":
			return "portable"
		}
	}
	return ""
}

// benchWantTLS is what each loopback row must say its connections
// negotiated: suite, group, resumed.
var benchWantTLS = map[string][3]string{
	"handshake":                          {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "full"},
	"handshake-server-cpu":               {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "full"},
	"handshake-ecdhe":                    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-ecdhe-server-cpu":         {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-ecdhe-client-cpu":         {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-ecdsa":                    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-ecdsa-server-cpu":         {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-ecdsa-client-cpu":         {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-mutual":                   {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-mutual-server-cpu":        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-mutual-client-cpu":        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-resumed":                  {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "resumed"},
	"handshake-resumed-server-cpu":       {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "resumed"},
	"handshake-tls13":                    {"TLS_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-tls13-server-cpu":         {"TLS_AES_128_GCM_SHA256", "x25519", "full"},
	"handshake-tls13-mlkem":              {"TLS_AES_128_GCM_SHA256", "x25519mlkem768", "full"},
	"handshake-tls13-mlkem-server-cpu":   {"TLS_AES_128_GCM_SHA256", "x25519mlkem768", "full"},
	"handshake-tls13-resumed":            {"TLS_AES_128_GCM_SHA256", "x25519", "resumed"},
	"handshake-tls13-resumed-server-cpu": {"TLS_AES_128_GCM_SHA256", "x25519", "resumed"},
	"bulk-transfer":                      {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "full"},
	"bulk-server-cpu":                    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "", "full"},
}

// benchRunTiny runs minitls bench -quick with tiny rounds and the given flags.
func benchRunTiny(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	benchTinyForTest = true
	defer func() { benchTinyForTest = false }()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"bench", "-quick"}, args...), &out, &errOut); code != 0 {
		t.Fatalf("minitls bench -quick %v: exit status %d\nstderr:\n%s", args, code, errOut.String())
	}
	return out.String(), errOut.String()
}

// benchClose reports whether got equals want within float rounding.
func benchClose(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-9*math.Max(math.Abs(got), math.Abs(want))
}

func TestBenchJSONAndSVG(t *testing.T) {
	svgPath := filepath.Join(t.TempDir(), "bench.svg")
	stdout, stderr := benchRunTiny(t, "-json", "-svg", svgPath)

	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var rep benchTestReport
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("-json output does not parse as the documented schema: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatal("-json output has more than one JSON value")
	}
	if rep.AESPath != impl.Current().String() || rep.AESPathDescription != impl.Current().Describe() {
		t.Errorf("aes_path %q (%q), want %v", rep.AESPath, rep.AESPathDescription, impl.Current())
	}
	if rep.RSAPath != mrsa.Implementation() {
		t.Errorf("rsa_path %q, want %q", rep.RSAPath, mrsa.Implementation())
	}
	if rep.Schema != "minitls-bench/3" || rep.GoVersion != runtime.Version() || rep.CPU == "" || rep.GOARCH != runtime.GOARCH {
		t.Errorf("header: schema %q go %q cpu %q arch %q", rep.Schema, rep.GoVersion, rep.CPU, rep.GOARCH)
	}
	if rep.Rounds < 3 || rep.Mode != "tiny" || rep.BulkBytes <= 0 || rep.ServerCPUMethod == "" {
		t.Errorf("run settings: rounds %d mode %q bulk %d method %q", rep.Rounds, rep.Mode, rep.BulkBytes, rep.ServerCPUMethod)
	}

	// Rows: the ones the issue asks for, each consistent with itself.
	var ids []string
	ns := map[string][2]float64{}
	bytesPerOp := map[string]int64{}
	for _, r := range rep.Results {
		ids = append(ids, r.ID)
		ns[r.ID] = [2]float64{r.Minitls.NsPerOp, r.Stdlib.NsPerOp}
		bytesPerOp[r.ID] = r.BytesPerOp
		switch r.Unit {
		case "MB/s":
			if r.BytesPerOp <= 0 {
				t.Errorf("%s: MB/s row with %d bytes per op", r.ID, r.BytesPerOp)
			}
		case "op/s":
			if r.BytesPerOp != 0 {
				t.Errorf("%s: op/s row with %d bytes per op", r.ID, r.BytesPerOp)
			}
		default:
			t.Errorf("%s: unit %q", r.ID, r.Unit)
		}
		wantClock := map[bool]string{true: "thread-cpu", false: "wall"}[benchHaveThreadCPU]
		switch {
		case r.Group == "connection" && strings.HasSuffix(r.ID, "-server-cpu"):
			wantClock = map[bool]string{true: "server-cpu", false: "server-wall"}[benchHaveThreadCPU]
		case r.Group == "connection" && strings.HasSuffix(r.ID, "-client-cpu"):
			wantClock = map[bool]string{true: "client-cpu", false: "wall"}[benchHaveThreadCPU]
		case r.Group == "connection":
			wantClock = "wall"
		}
		if r.Clock != wantClock {
			t.Errorf("%s: clock %q, want %q", r.ID, r.Clock, wantClock)
		}
		if w, loopback := benchWantTLS[r.ID]; !loopback {
			if r.TLS != nil {
				t.Errorf("%s: in-process row with a tls object", r.ID)
			}
		} else if r.TLS == nil {
			t.Errorf("%s: loopback row without a tls object", r.ID)
		} else if got := [3]string{r.TLS.Suite, r.TLS.Curve, map[bool]string{true: "resumed", false: "full"}[r.TLS.Resumed]}; got != w {
			t.Errorf("%s: tls %v, want %v", r.ID, got, w)
		}
		if r.Path != benchWantPath(r.ID) {
			t.Errorf("%s: path %q, want %q", r.ID, r.Path, benchWantPath(r.ID))
		}
		if r.Operation == "" || r.Group == "" {
			t.Errorf("%s: operation %q group %q", r.ID, r.Operation, r.Group)
		}
		for impl, f := range map[string]benchTestFigure{"minitls": r.Minitls, "stdlib": r.Stdlib} {
			if !(f.NsPerOp >= 1) || math.IsInf(f.NsPerOp, 0) || f.OpsPerRound < 1 {
				t.Errorf("%s/%s: ns/op %v, %d ops per round", r.ID, impl, f.NsPerOp, f.OpsPerRound)
				continue
			}
			if len(f.Rounds) != rep.Rounds {
				t.Errorf("%s/%s: %d rounds, want %d", r.ID, impl, len(f.Rounds), rep.Rounds)
			} else if m := max(benchTestMedian(f.Rounds), 1); !benchClose(f.NsPerOp, m) {
				t.Errorf("%s/%s: ns/op %v is not the median %v of its rounds %v", r.ID, impl, f.NsPerOp, m, f.Rounds)
			}
			// In-process rows are timed by the thread's CPU clock and carry
			// the elapsed time too; loopback rows (group "connection") are
			// elapsed time or the server's CPU time.
			if r.Group == "connection" {
				if f.WallNsPerOp != 0 || f.WallRounds != nil {
					t.Errorf("%s/%s: loopback row with a second clock", r.ID, impl)
				}
			} else if len(f.WallRounds) != rep.Rounds || !benchClose(f.WallNsPerOp, benchTestMedian(f.WallRounds)) {
				t.Errorf("%s/%s: wall ns/op %v is not the median of its %d rounds %v", r.ID, impl, f.WallNsPerOp, len(f.WallRounds), f.WallRounds)
			}
			want := 1e9 / f.NsPerOp
			if r.Unit == "MB/s" {
				want = float64(r.BytesPerOp) / (f.NsPerOp / 1e9) / 1e6
			}
			if !benchClose(f.Value, want) {
				t.Errorf("%s/%s: value %v %s, but %v ns/op makes %v", r.ID, impl, f.Value, r.Unit, f.NsPerOp, want)
			}
		}
		if !benchClose(r.Ratio, r.Minitls.Value/r.Stdlib.Value) {
			t.Errorf("%s: ratio %v, but %v / %v = %v", r.ID, r.Ratio, r.Minitls.Value, r.Stdlib.Value, r.Minitls.Value/r.Stdlib.Value)
		}
	}
	if !slices.Equal(ids, benchWantIDs) {
		t.Fatalf("rows %v\nwant %v", ids, benchWantIDs)
	}
	if bytesPerOp["bulk-transfer"] != rep.BulkBytes || bytesPerOp["bulk-server-cpu"] != rep.BulkBytes || bytesPerOp["gcm-seal-16KiB"] != 16384 {
		t.Errorf("bytes per op: bulk %d/%d (want %d), seal %d", bytesPerOp["bulk-transfer"], bytesPerOp["bulk-server-cpu"], rep.BulkBytes, bytesPerOp["gcm-seal-16KiB"])
	}

	// Lessons: recomputed here from the rows they name.
	type want struct {
		from []string
		f    func(impl int) float64
	}
	seal := func(i int) float64 { return ns["gcm-seal-16KiB"][i] / 16384 } // ns per byte
	wants := map[string]want{
		"rsa2048-decrypt-as-gcm": {[]string{"rsa-2048-decrypt", "gcm-seal-16KiB"},
			func(i int) float64 { return ns["rsa-2048-decrypt"][i] / seal(i) / 1024 }},
		"handshake-as-mib-sent": {[]string{"handshake-server-cpu", "bulk-server-cpu"},
			func(i int) float64 {
				return ns["handshake-server-cpu"][i] / (ns["bulk-server-cpu"][i] / float64(rep.BulkBytes) * 1048576)
			}},
		"breakeven-bytes": {[]string{"handshake-server-cpu", "gcm-seal-16KiB"},
			func(i int) float64 { return ns["handshake-server-cpu"][i] / seal(i) }},
		"asym-sym-2048": {[]string{"rsa-2048-decrypt", "gcm-seal-16KiB"},
			func(i int) float64 { return ns["rsa-2048-decrypt"][i] / 256 / seal(i) }},
		"asym-sym-3072": {[]string{"rsa-3072-decrypt", "gcm-seal-16KiB"},
			func(i int) float64 { return ns["rsa-3072-decrypt"][i] / 384 / seal(i) }},
		"rsa-sign-over-ecdsa-sign": {[]string{"rsa-2048-sign", "ecdsa-p256-sign"},
			func(i int) float64 { return ns["rsa-2048-sign"][i] / ns["ecdsa-p256-sign"][i] }},
		"ecdsa-verify-over-rsa-verify": {[]string{"ecdsa-p256-verify", "rsa-2048-verify"},
			func(i int) float64 { return ns["ecdsa-p256-verify"][i] / ns["rsa-2048-verify"][i] }},
		"ecdhe-over-rsa-server-cpu": {[]string{"handshake-ecdhe-server-cpu", "handshake-server-cpu"},
			func(i int) float64 { return ns["handshake-ecdhe-server-cpu"][i] / ns["handshake-server-cpu"][i] }},
		"full-over-resumed-server-cpu": {[]string{"handshake-server-cpu", "handshake-resumed-server-cpu"},
			func(i int) float64 { return ns["handshake-server-cpu"][i] / ns["handshake-resumed-server-cpu"][i] }},
		"tls13-over-tls12-server-cpu": {[]string{"handshake-tls13-server-cpu", "handshake-ecdhe-server-cpu"},
			func(i int) float64 { return ns["handshake-tls13-server-cpu"][i] / ns["handshake-ecdhe-server-cpu"][i] }},
		"mlkem-extra-server-cpu": {[]string{"handshake-tls13-mlkem-server-cpu", "handshake-tls13-server-cpu"},
			func(i int) float64 {
				return ns["handshake-tls13-mlkem-server-cpu"][i] - ns["handshake-tls13-server-cpu"][i]
			}},
		"mutual-extra-client-cpu": {[]string{"handshake-mutual-client-cpu", "handshake-ecdhe-client-cpu"},
			func(i int) float64 { return ns["handshake-mutual-client-cpu"][i] - ns["handshake-ecdhe-client-cpu"][i] }},
		"tls13-full-over-resumed-server-cpu": {[]string{"handshake-tls13-server-cpu", "handshake-tls13-resumed-server-cpu"},
			func(i int) float64 {
				return ns["handshake-tls13-server-cpu"][i] / ns["handshake-tls13-resumed-server-cpu"][i]
			}},
	}
	if impl.Current() != impl.Portable {
		// minitls: portable time / hardware time; stdlib: portable / stdlib.
		wants["hardware-over-portable"] = want{[]string{"gcm-seal-16KiB", "gcm-seal-16KiB-portable"},
			func(i int) float64 {
				p := ns["gcm-seal-16KiB-portable"]
				return p[0] / [2]float64{ns["gcm-seal-16KiB"][0], p[1]}[i]
			}}
	}
	// chacha-over-aes: both portable (the twins, or the rows themselves when
	// there is no assembly path), and this CPU's paths (issue 22).
	gcmP, chaP := "gcm-seal-16KiB", "chacha-seal-16KiB"
	if impl.Current() != impl.Portable {
		gcmP += "-portable"
	}
	if benchChaChaFastest() != "portable" {
		chaP += "-portable"
	}
	wants["chacha-over-aes"] = want{[]string{gcmP, chaP, "gcm-seal-16KiB", "chacha-seal-16KiB"},
		func(i int) float64 {
			if i == 0 {
				return ns[gcmP][0] / ns[chaP][0]
			}
			return ns["gcm-seal-16KiB"][1] / ns["chacha-seal-16KiB"][1]
		}}
	seen := map[string]bool{}
	for _, l := range rep.Lessons {
		w, ok := wants[l.ID]
		if !ok || seen[l.ID] {
			t.Errorf("unexpected or repeated lesson %q", l.ID)
			continue
		}
		seen[l.ID] = true
		if !slices.Equal(l.From, w.from) {
			t.Errorf("lesson %s derives from %v, want %v", l.ID, l.From, w.from)
		}
		if !benchClose(l.Minitls, w.f(0)) || !benchClose(l.Stdlib, w.f(1)) {
			t.Errorf("lesson %s: %v and %v, but the rows give %v and %v", l.ID, l.Minitls, l.Stdlib, w.f(0), w.f(1))
		}
		if l.Text == "" || l.Unit == "" {
			t.Errorf("lesson %s: text %q unit %q", l.ID, l.Text, l.Unit)
		}
		// The sentence prints the numbers it states (as the table does).
		for _, v := range []float64{l.Minitls, l.Stdlib} {
			if l.Unit == "x" && !strings.Contains(l.Text, benchNum(v)) {
				t.Errorf("lesson %s: text %q does not show %s", l.ID, l.Text, benchNum(v))
			}
		}
		if l.ID == "full-over-resumed-server-cpu" && !strings.Contains(l.Text, "1/"+benchNum(l.Minitls)) {
			t.Errorf("lesson %s: text %q does not say 1/%s", l.ID, l.Text, benchNum(l.Minitls))
		}
	}
	if len(seen) != len(wants) {
		t.Errorf("lessons %v, want all of %d", seen, len(wants))
	}

	// Progress went to stderr, one plain line per operation (not a terminal).
	if !strings.Contains(stderr, fmt.Sprintf("[%d/%d]", len(benchWantIDs), len(benchWantIDs))) || strings.Contains(stderr, "\r") {
		t.Errorf("progress on stderr:\n%q", stderr)
	}

	benchCheckSVG(t, svgPath, rep)
}

// benchCheckSVG parses the whole chart as XML and checks it has exactly one
// bar (a rect with data-* attributes) per figure of the report, carrying
// that figure, and that longer times draw longer bars (a log scale is
// monotonic).
func benchCheckSVG(t *testing.T, path string, rep benchTestReport) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type bar struct{ ns, width float64 }
	bars := map[string]bar{}
	d := xml.NewDecoder(bytes.NewReader(raw))
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			root = se.Name.Space + " " + se.Name.Local
		}
		attr := map[string]string{}
		hasData := false
		for _, a := range se.Attr {
			attr[a.Name.Local] = a.Value
			hasData = hasData || strings.HasPrefix(a.Name.Local, "data-")
		}
		if !hasData {
			continue
		}
		if se.Name.Local != "rect" {
			t.Errorf("data attributes on a <%s>", se.Name.Local)
			continue
		}
		key := attr["data-op"] + "/" + attr["data-impl"]
		if _, dup := bars[key]; dup {
			t.Errorf("two bars for %s", key)
		}
		nsv, err1 := strconv.ParseFloat(attr["data-ns-per-op"], 64)
		w, err2 := strconv.ParseFloat(attr["width"], 64)
		if err1 != nil || err2 != nil || w <= 0 {
			t.Errorf("bar %s: data-ns-per-op %q width %q", key, attr["data-ns-per-op"], attr["width"])
		}
		bars[key] = bar{nsv, w}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Errorf("root element %q, want an SVG <svg>", root)
	}
	if len(bars) != 2*len(rep.Results) {
		t.Errorf("%d bars, want %d (two per row)", len(bars), 2*len(rep.Results))
	}
	var all []bar
	for _, r := range rep.Results {
		for impl, f := range map[string]benchTestFigure{"minitls": r.Minitls, "stdlib": r.Stdlib} {
			b, ok := bars[r.ID+"/"+impl]
			if !ok {
				t.Errorf("no bar for %s/%s", r.ID, impl)
				continue
			}
			if !benchClose(b.ns, f.NsPerOp) {
				t.Errorf("bar %s/%s shows %v ns, the report says %v", r.ID, impl, b.ns, f.NsPerOp)
			}
			all = append(all, b)
		}
	}
	slices.SortFunc(all, func(a, b bar) int { return int(math.Copysign(1, a.ns-b.ns)) })
	for i := 1; i < len(all); i++ {
		if all[i].ns > all[i-1].ns && all[i].width < all[i-1].width {
			t.Errorf("a %v ns bar is %v wide, shorter than a %v ns bar (%v)", all[i].ns, all[i].width, all[i-1].ns, all[i-1].width)
		}
	}
}

// TestBenchText checks the table a person reads: the header names the CPU
// and Go, every row is there with both columns and a ratio, and the lessons
// follow.
func TestBenchText(t *testing.T) {
	stdout, _ := benchRunTiny(t)
	if !strings.Contains(stdout, "CPU: "+benchCPUName()) || !strings.Contains(stdout, runtime.Version()) {
		t.Errorf("header does not name the CPU %q and Go %q:\n%s", benchCPUName(), runtime.Version(), stdout)
	}
	lines := strings.Split(stdout, "\n")
	rows := 0
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) > 4 && strings.HasSuffix(f[len(f)-1], "×") && (strings.Contains(l, "MB/s") || strings.Contains(l, "/op")) {
			rows++
		}
	}
	if rows != len(benchWantIDs) {
		t.Errorf("%d table rows with two figures and a ratio, want %d:\n%s", rows, len(benchWantIDs), stdout)
	}
	lessons := 14 // 7, TLS 1.3's three (against TLS 1.2, the post-quantum share, resumption), ChaCha20-Poly1305 against AES-GCM, ECDSA against RSA (sign, verify), mutual TLS's client CPU
	if impl.Current() != impl.Portable {
		lessons++ // hardware-over-portable
	}
	if n := strings.Count(stdout, "\n  • "); n != lessons || !strings.Contains(stdout, "What the numbers say:") {
		t.Errorf("%d lessons, want %d:\n%s", n, lessons, stdout)
	}
	if !strings.Contains(stdout, "minitls AES path: "+impl.Current().String()+" — ") {
		t.Errorf("header does not name the AES path %v:\n%s", impl.Current(), stdout)
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "minitls RSA path: "+mrsa.Implementation()+".") {
		t.Errorf("header does not name the RSA path %v:\n%s", mrsa.Implementation(), stdout)
	}
	for _, l := range lines {
		if cliTestColumns(l) > cliWidth {
			t.Errorf("line wider than %d columns: %q", cliWidth, l)
		}
	}
}

// TestBenchUsageErrors: mistakes are reported before any measuring starts.
func TestBenchUsageErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"bench", "extra"}, &out, &errOut); code != 2 {
		t.Errorf("bench extra: exit %d, want 2 (%s)", code, errOut.String())
	}
	errOut.Reset()
	bad := filepath.Join(t.TempDir(), "no-such-dir", "chart.svg")
	if code := run([]string{"bench", "-quick", "-svg", bad}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "cannot write the chart") || strings.Contains(errOut.String(), "[1/") {
		t.Errorf("bench -svg into a missing directory: exit %d, stderr %q", code, errOut.String())
	}
}

func benchTestMedian(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// TestBenchHandshakeChecks: the loopback handshake cases fail, rather than
// time the wrong thing, when a connection does not do what its row claims.
// Both libraries' ends are checked, client and server.
func TestBenchHandshakeChecks(t *testing.T) {
	fx, err := newBenchFixture()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		kind    benchHSKind
		wantErr string // "" means the operations must succeed
	}{
		// The rows of the table: two handshakes each, for both libraries.
		{"rsa", benchKindRSA, ""},
		{"ecdhe", benchKindECDHE, ""},
		{"resumed", benchKindResumed, ""},
		// The client offers its ticket, the server takes no tickets: every
		// handshake is full, so the resumed row must refuse to be measured
		// (the untimed first handshake passes; the first timed one fails).
		{"server refuses tickets", benchHSKind{suite: benchKindResumed.suite, clientCache: true, resume: true}, "did not resume"},
		// Session cache and tickets on, but a full handshake expected: the
		// second connection resumes and must be caught.
		{"unexpected resumption", benchHSKind{suite: benchKindRSA.suite, clientCache: true, serverTickets: true}, "resumed (DidResume true)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lock := range []bool{false, true} {
				ops, cleanup, err := benchHandshakeOps(fx, tc.kind, lock)
				if err != nil {
					t.Fatalf("lock %v: prepare: %v", lock, err)
				}
				for i, op := range ops {
					cpu, err := op(2)
					switch {
					case tc.wantErr == "" && err != nil:
						t.Errorf("lock %v, %s: %v", lock, benchImplNames[i], err)
					case tc.wantErr == "" && lock && benchHaveThreadCPU && cpu <= 0:
						t.Errorf("lock %v, %s: server CPU %v for two handshakes", lock, benchImplNames[i], cpu)
					case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
						t.Errorf("lock %v, %s: error %v, want one saying %q", lock, benchImplNames[i], err, tc.wantErr)
					}
				}
				cleanup()
			}
		})
	}
}

// TestBenchCheckConnSides: benchCheckConn reads what each library's
// ConnectionState says on either end, and rejects a suite other than the
// row's.
func TestBenchCheckConnSides(t *testing.T) {
	fx, err := newBenchFixture()
	if err != nil {
		t.Fatal(err)
	}
	for i, impl := range benchTLSImpls(fx, benchKindECDHE) {
		a, b := net.Pipe()
		client, server := impl.client(a), impl.server(b)
		a.SetDeadline(time.Now().Add(30 * time.Second))
		b.SetDeadline(time.Now().Add(30 * time.Second))
		errc := make(chan error, 1)
		go func() { errc <- server.Handshake() }()
		if err := client.Handshake(); err != nil {
			t.Fatalf("%s: client: %v", benchImplNames[i], err)
		}
		if err := <-errc; err != nil {
			t.Fatalf("%s: server: %v", benchImplNames[i], err)
		}
		for side, c := range map[string]benchTLSConn{"client": client, "server": server} {
			if err := benchCheckConn(c, benchKindECDHE, false); err != nil {
				t.Errorf("%s %s: %v", benchImplNames[i], side, err)
			}
			if err := benchCheckConn(c, benchKindECDHE, true); err == nil || !strings.Contains(err.Error(), "did not resume") {
				t.Errorf("%s %s: a full handshake passes as resumed (%v)", benchImplNames[i], side, err)
			}
			if err := benchCheckConn(c, benchKindRSA, false); err == nil || !strings.Contains(err.Error(), "TLS_RSA_WITH_AES_128_GCM_SHA256") {
				t.Errorf("%s %s: an ECDHE connection passes as RSA (%v)", benchImplNames[i], side, err)
			}
		}
		a.Close()
		b.Close()
	}
}

// TestBenchNum: three significant digits, deciding the format on the
// rounded value so no figure prints one digit too many ("100.0 µs").
func TestBenchNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{1234.4, "1234"}, {100, "100"}, {99.97, "100"}, {99.94, "99.9"}, {12.34, "12.3"},
		{9.996, "10.0"}, {9.994, "9.99"}, {3.14159, "3.14"}, {0.9996, "1.00"}, {0.12345, "0.123"},
	} {
		if got := benchNum(c.x); got != c.want {
			t.Errorf("benchNum(%v) = %q, want %q", c.x, got, c.want)
		}
	}
	if got := benchDur(99996); got != "100 µs" {
		t.Errorf("benchDur(99996) = %q, want \"100 µs\"", got)
	}
}
