package main

// minitls get as a measuring client: -n connections in a row, -resume to
// resume the first session on the others, -timing to say where each
// handshake's time went, -json for scripts.
//
// Where the time goes is measured on the client, from the handshake's own
// trace: every Event arrives synchronously on the goroutine doing the work,
// so stamping each one with the wall clock and the process's CPU clock cuts
// the handshake into intervals, and what happened at each end of an
// interval says what it was:
//
//	ClientHello out ... server record in       waiting for the server's first flight
//	Certificate in ... next step               certificate chain verification
//	ServerKeyExchange / CertificateVerify in   the server's signature checked
//	ClientKeyExchange phase ... message out    key exchange (RSA encryption or ECDHE)
//	TLS 1.3: making the ClientHello's shares,  key exchange (X25519, P-256, X25519MLKEM768)
//	the shared secret on the ServerHello
//	client Finished out ... server record in   waiting for the server's Finished
//	anything else                              parsing, hashing, key schedule, records
//
// A wait starts when our flight's last record is written (handed to the
// kernel) and ends when the answer's record has been read (and decrypted):
// it holds the network's round trips and the server's work, its
// private-key operation above all. The intervals are consecutive, so they
// add up to the total.
//
// spec: rfc5246#7.3 (the flights), rfc8446#2 (TLS 1.3's)

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"minitls/handshake"
)

// getSchema names the layout of get's -json output (see getReport).
const getSchema = "minitls-get/1"

// getStep is one kind of interval of a connection's timeline.
type getStep int

// The steps, in the order of the -timing table.
const (
	getStepConnect     getStep = iota // TCP connect (one round trip)
	getStepFirstFlight                // waiting for the server's first flight
	getStepVerify                     // certificate chain verification
	getStepSignature                  // the server's signature checked (ServerKeyExchange, CertificateVerify)
	getStepKeyExchange                // RSA encryption of the premaster secret, ECDHE, TLS 1.3 key shares
	getStepFinished                   // waiting for the server's Finished
	getStepOther                      // parsing, hashing, key schedule, records
	getNumSteps
)

// getSteps names each step: a stable id for -json, a label for the table.
var getSteps = [getNumSteps]struct{ id, label string }{
	getStepConnect:     {"tcp-connect", "TCP connect"},
	getStepFirstFlight: {"wait-first-flight", "wait: server's first flight"},
	getStepVerify:      {"verify-chain", "certificate chain verification"},
	getStepSignature:   {"verify-signature", "server's signature checked"},
	getStepKeyExchange: {"key-exchange", "key exchange (RSA, ECDHE, ML-KEM)"},
	getStepFinished:    {"wait-finished", "wait: server's Finished"},
	getStepOther:       {"other", "the rest (messages, hashes, keys)"},
}

// getSpan is the time one step took: elapsed, and the client's CPU time
// in it.
type getSpan struct {
	Wall time.Duration
	CPU  time.Duration
}

// getMark is one instant of a connection: when a trace event arrived, on
// the wall clock and on the thread's CPU clock, and what it said.
type getMark struct {
	wall  time.Time
	cpu   time.Duration
	kind  handshake.EventKind // 0 for the start, the connect and the end
	sent  bool
	msg   handshake.HandshakeType // EventMessage
	phase handshake.Phase         // EventPhase
}

// getRecorder collects one connection's marks and what its ClientHello
// offered; the trace hook feeds it.
type getRecorder struct {
	marks []getMark
	// offeredTicket, offeredPSK: the ClientHello carried a session ticket,
	// or a TLS 1.3 pre_shared_key. spec: rfc5077#3.4, rfc8446#4.2.11
	offeredTicket, offeredPSK bool
	// offeredKeyShare: the ClientHello carried TLS 1.3 key shares, made
	// while it was built. spec: rfc8446#4.2.8
	offeredKeyShare bool
	group           string // the ECDHE group: ServerKeyExchange's, or the TLS 1.3 key_share's
}

// mark stamps an instant on the wall clock and the process's CPU clock
// (nothing but the connection runs while get measures it).
func (r *getRecorder) mark(kind handshake.EventKind) *getMark {
	r.marks = append(r.marks, getMark{wall: time.Now(), cpu: getProcessCPU(), kind: kind})
	return &r.marks[len(r.marks)-1]
}

// event records one trace event.
func (r *getRecorder) event(e handshake.Event) {
	m := r.mark(e.Kind)
	m.sent, m.phase = e.Sent, e.Phase
	if e.Kind != handshake.EventMessage {
		return
	}
	m.msg = e.Message.Type()
	switch msg := e.Message.(type) {
	case *handshake.ClientHello:
		for _, x := range msg.Extensions {
			r.offeredTicket = r.offeredTicket || (x.Type == handshake.ExtSessionTicket && len(x.Data) > 0)
			r.offeredPSK = r.offeredPSK || x.Type == handshake.ExtPreSharedKey
			r.offeredKeyShare = r.offeredKeyShare || x.Type == handshake.ExtKeyShare
		}
	case *handshake.ServerKeyExchange:
		r.group = msg.NamedCurve.String()
	case *handshake.ServerHello:
		// TLS 1.3: the server's key_share opens with its group (a
		// HelloRetryRequest's is the group alone). spec: rfc8446#4.2.8
		for _, x := range msg.Extensions {
			if x.Type == handshake.ExtKeyShare && len(x.Data) >= 2 {
				r.group = handshake.CurveID(uint16(x.Data[0])<<8 | uint16(x.Data[1])).String()
			}
		}
	}
}

// getSplit cuts the timeline into steps (see the file comment). With
// keyShares, the ClientHello was built with TLS 1.3 key shares: making
// them is key exchange, whichever version the server then picks. With
// tls13, so is computing the shared secret on the ServerHello.
//
// A wait starts when the flight it answers is handed to the kernel: the
// write that follows the last record sent is part of it when only phase
// changes lie between that record and the answer. On loopback that write
// does much of the receiving side's TCP work too.
func getSplit(marks []getMark, keyShares, tls13 bool) [getNumSteps]getSpan {
	steps := make([]getStep, len(marks)) // steps[k]: the interval that ends at marks[k]
	finishedSent := false
	for k := 1; k < len(marks); k++ {
		steps[k] = getStepOf(marks[k-1], marks[k], k, keyShares, tls13, finishedSent)
		if m := marks[k]; m.kind == handshake.EventMessage && m.sent && m.msg == handshake.TypeFinished {
			finishedSent = true
		}
		if steps[k] != getStepFirstFlight && steps[k] != getStepFinished {
			continue
		}
		j := k - 1
		for j > 1 && marks[j].kind == handshake.EventPhase {
			j--
		}
		if marks[j].kind == handshake.EventRecord && marks[j].sent {
			for w := j + 1; w < k; w++ {
				steps[w] = steps[k]
			}
		}
	}
	var out [getNumSteps]getSpan
	for k := 1; k < len(marks); k++ {
		out[steps[k]].Wall += marks[k].wall.Sub(marks[k-1].wall)
		out[steps[k]].CPU += marks[k].cpu - marks[k-1].cpu
	}
	return out
}

// getStepOf classifies the interval from prev to next, the k-th.
func getStepOf(prev, next getMark, k int, keyShares, tls13, finishedSent bool) getStep {
	received := func(m getMark, t handshake.HandshakeType) bool {
		return m.kind == handshake.EventMessage && !m.sent && m.msg == t
	}
	switch {
	case k == 1:
		return getStepConnect
	case next.kind == handshake.EventRecord && !next.sent && finishedSent:
		return getStepFinished
	case next.kind == handshake.EventRecord && !next.sent:
		return getStepFirstFlight
	case received(prev, handshake.TypeCertificate):
		return getStepVerify
	case received(prev, handshake.TypeServerKeyExchange), received(prev, handshake.TypeCertificateVerify):
		return getStepSignature
	case prev.kind == handshake.EventPhase && prev.phase == handshake.PhaseClientKeyExchange:
		return getStepKeyExchange
	case keyShares && prev.kind == handshake.EventPhase && prev.phase == handshake.PhaseClientHello,
		tls13 && received(prev, handshake.TypeServerHello):
		return getStepKeyExchange
	}
	return getStepOther
}

// getSessionCache is the client's session cache, remembering whether the
// last handshake found a session to offer.
type getSessionCache struct {
	handshake.ClientSessionCache
	mu  sync.Mutex
	hit bool
}

// Get looks the session up and notes whether there was one.
func (c *getSessionCache) Get(key string) (*handshake.ClientSessionState, bool) {
	s, ok := c.ClientSessionCache.Get(key)
	c.mu.Lock()
	c.hit = c.hit || (ok && s != nil)
	c.mu.Unlock()
	return s, ok
}

// take reports whether a session was found since the last call.
func (c *getSessionCache) take() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	hit := c.hit
	c.hit = false
	return hit
}

// getConnResult is one measured connection.
type getConnResult struct {
	Index   int    `json:"index"`
	Version string `json:"version"`
	Suite   string `json:"suite"`
	Group   string `json:"group,omitempty"`
	Resumed bool   `json:"resumed"`
	// ResumedBy says how: "session ticket", "session ID" or "TLS 1.3
	// PSK"; Offered what the ClientHello offered ("" for nothing).
	ResumedBy      string        `json:"resumed_by,omitempty"`
	Offered        string        `json:"offered,omitempty"`
	ConnectNs      int64         `json:"connect_ns"`
	HandshakeNs    int64         `json:"handshake_ns"`
	HandshakeCPUNs int64         `json:"handshake_cpu_ns"`
	Status         string        `json:"status"`
	BodyBytes      int64         `json:"body_bytes"`
	Phases         []getPhaseRow `json:"phases,omitempty"`

	steps [getNumSteps]getSpan
}

// getPhaseRow is one step of a connection in -json.
type getPhaseRow struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	WallNs int64  `json:"wall_ns"`
	CPUNs  int64  `json:"cpu_ns"`
}

// getStats summarizes handshake times (TCP connect excluded).
type getStats struct {
	Count    int   `json:"count"`
	MinNs    int64 `json:"min_ns"`
	MedianNs int64 `json:"median_ns"`
	MaxNs    int64 `json:"max_ns"`
}

// getReport is one run of get -n/-resume/-timing; -json writes it as is.
//
// Schema "minitls-get/1" (a JSON object, shaped like minitls bench -json's):
//
//	schema            "minitls-get/1"
//	cpu, go_version, goos, goarch, num_cpu, gomaxprocs   as in bench
//	cpu_clock         how cpu_ns figures were measured: "CLOCK_PROCESS_CPUTIME_ID"
//	                  (the process's CPU; only the connection runs in it) or
//	                  "wall" (no such clock here: the figures are elapsed time)
//	started           RFC 3339 time; elapsed_s: length of the run in seconds
//	url, addr         what was fetched, and the address dialled (the host
//	                  is looked up once, so connect_ns is no name lookup)
//	resume            whether -resume was given
//	connections       one per connection, in order:
//	  index           1..n
//	  version         "TLS 1.2" or "TLS 1.3"; suite: IANA name; group: the
//	                  ECDHE group, absent with RSA key transport and resumption
//	  resumed         the server resumed the offered session (DidResume)
//	  resumed_by      "session ticket", "session ID" or "TLS 1.3 PSK"
//	  offered         what the ClientHello offered to resume, absent if nothing
//	  connect_ns      TCP connect; handshake_ns: ClientHello to the
//	                  handshake's end; handshake_cpu_ns: the client's CPU in it
//	  status          HTTP status line; body_bytes: the body's length
//	  phases          with -timing: {id, label, wall_ns, cpu_ns} for
//	                  "tcp-connect", "wait-first-flight", "verify-chain",
//	                  "verify-signature", "key-exchange", "wait-finished",
//	                  "other"; their wall_ns add up to connect_ns + handshake_ns
//	handshake         {all, full, resumed}: {count, min_ns, median_ns, max_ns}
//	                  of handshake_ns; full and resumed absent when empty
//	meaning           the sentences printed under the -timing table
type getReport struct {
	Schema      string                        `json:"schema"`
	CPU         string                        `json:"cpu"`
	GoVersion   string                        `json:"go_version"`
	GOOS        string                        `json:"goos"`
	GOARCH      string                        `json:"goarch"`
	NumCPU      int                           `json:"num_cpu"`
	GOMAXPROCS  int                           `json:"gomaxprocs"`
	CPUClock    string                        `json:"cpu_clock"`
	Started     time.Time                     `json:"started"`
	ElapsedS    float64                       `json:"elapsed_s"`
	URL         string                        `json:"url"`
	Addr        string                        `json:"addr"`
	Resume      bool                          `json:"resume"`
	Connections []*getConnResult              `json:"connections"`
	Handshake   map[string]getStats           `json:"handshake"`
	Meaning     []string                      `json:"meaning,omitempty"`
	medians     map[bool][getNumSteps]getSpan // by resumed, with -timing
	rtt         time.Duration                 // the median TCP connect, with -timing
}

// getMeasureOptions is what a measuring run was asked for.
type getMeasureOptions struct {
	n              int
	resume, timing bool
	asJSON         bool
}

// getMeasure runs the connections of a measuring run one after the other
// and writes the report to stdout.
func getMeasure(t *getTarget, o getMeasureOptions, stdout io.Writer) error {
	rep := &getReport{
		Schema: getSchema, CPU: benchCPUName(), GoVersion: runtime.Version(), GOOS: runtime.GOOS,
		GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		CPUClock: getCPUClock,
		Started:  time.Now(), URL: t.u.String(), Resume: o.resume,
	}
	if err := t.resolve(); err != nil {
		return err
	}
	var cache *getSessionCache
	if o.resume {
		cache = &getSessionCache{ClientSessionCache: handshake.NewLRUClientSessionCache(1)}
		t.cfg.ClientSessionCache = cache
	}
	st := cliStyle{on: !o.asJSON && colorEnabled(stdout)}
	if !o.asJSON {
		getWriteHeader(stdout, t, o)
	}
	for i := 1; i <= o.n; i++ {
		r, err := getConnect(t, i, cache)
		if err != nil {
			return err
		}
		if o.timing {
			for s := range getNumSteps {
				r.Phases = append(r.Phases, getPhaseRow{ID: getSteps[s].id, Label: getSteps[s].label,
					WallNs: int64(r.steps[s].Wall), CPUNs: int64(r.steps[s].CPU)})
			}
		}
		if !o.asJSON {
			var prev *getConnResult
			if len(rep.Connections) > 0 {
				prev = rep.Connections[len(rep.Connections)-1]
			}
			getWriteConn(stdout, st, r, prev, o.timing)
		}
		rep.Connections = append(rep.Connections, r)
	}
	rep.Addr = t.dial
	rep.ElapsedS = time.Since(rep.Started).Seconds()
	rep.Handshake = getSummarize(rep.Connections)
	if o.timing {
		rep.medians = getMedianSteps(rep.Connections)
		rep.rtt = getMedianConnect(rep.Connections)
		for _, resumed := range []bool{false, true} {
			if m, ok := rep.medians[resumed]; ok {
				rep.Meaning = append(rep.Meaning, getMeaning(m, resumed, rep.rtt))
			}
		}
	}
	if o.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	getWriteSummary(stdout, st, rep)
	return nil
}

// resolve looks the host up once, so that each connection's TCP connect
// is one round trip and no name lookup: t.dial is the first address.
func (t *getTarget) resolve() error {
	host, port, err := net.SplitHostPort(t.addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("-connect %q: %v", t.addr, err)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		return getExplain(err, t.addr, host, t.timeout, "")
	}
	t.dial = net.JoinHostPort(ips[0], port)
	return nil
}

// getConnect makes connection number i: TCP connect, handshake, one GET
// whose body it reads and counts.
func getConnect(t *getTarget, i int, cache *getSessionCache) (*getConnResult, error) {
	rec := &getRecorder{}
	t.signals = &getSignals{} // what an earlier connection saw explains nothing here
	t.onEvent = rec.event
	defer func() { t.onEvent = nil }()
	fail := func(err error, inHandshake bool) error {
		e := getExplain(err, t.addr, t.host, t.timeout, t.signals.cause(err, inHandshake)).(*getError)
		e.msg = fmt.Sprintf("connection %d: %s", i, e.msg)
		return e
	}

	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	rec.mark(0)
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", t.dial)
	if err != nil {
		return nil, fail(err, false)
	}
	defer raw.Close()
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	rec.mark(0)
	conn := handshake.Client(raw, t.cfg)
	err = conn.HandshakeContext(ctx)
	rec.mark(0)
	t.onEvent = nil // what follows is not the handshake
	if err != nil {
		return nil, fail(err, true)
	}
	r := getDescribe(i, rec, conn.ConnectionState(), cache != nil && cache.take())
	if err := getFetch(conn, t.u, r); err != nil {
		return nil, fail(err, false)
	}
	conn.Close()
	return r, nil
}

// getDescribe makes connection i's result from its trace and state;
// offered says whether a cached session was offered.
func getDescribe(i int, rec *getRecorder, cs handshake.ConnectionState, offered bool) *getConnResult {
	marks := rec.marks // start, connected, the handshake's events, end
	tls13 := cs.Version == uint16(handshake.VersionTLS13)
	r := &getConnResult{
		Index:          i,
		Version:        handshake.ProtocolVersion(cs.Version).String(),
		Suite:          handshake.CipherSuite(cs.CipherSuite).String(),
		Group:          rec.group,
		Resumed:        cs.DidResume,
		ConnectNs:      int64(marks[1].wall.Sub(marks[0].wall)),
		HandshakeNs:    int64(marks[len(marks)-1].wall.Sub(marks[1].wall)),
		HandshakeCPUNs: int64(marks[len(marks)-1].cpu - marks[1].cpu),
		steps:          getSplit(marks, rec.offeredKeyShare, tls13),
	}
	if offered {
		switch {
		case rec.offeredPSK:
			r.Offered = "TLS 1.3 PSK"
		case rec.offeredTicket:
			r.Offered = "session ticket"
		default:
			r.Offered = "session ID"
		}
	}
	if r.Resumed {
		r.ResumedBy = r.Offered
		if tls13 {
			r.ResumedBy = "TLS 1.3 PSK" // spec: rfc8446#2.2
		}
	}
	return r
}

// getFetch sends one GET for u over conn and reads the response, noting
// its status and the length of its body in r.
func getFetch(conn *handshake.Conn, u *url.URL, r *getConnResult) error {
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "minitls-get")
	req.Close = true
	if err := req.Write(conn); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	r.Status = resp.Status
	r.BodyBytes, err = io.Copy(io.Discard, resp.Body)
	return err
}

// getSummarize computes min/median/max of the handshake times, of all
// connections and of the full and resumed ones apart.
func getSummarize(conns []*getConnResult) map[string]getStats {
	groups := map[string][]int64{}
	for _, c := range conns {
		groups["all"] = append(groups["all"], c.HandshakeNs)
		kind := "full"
		if c.Resumed {
			kind = "resumed"
		}
		groups[kind] = append(groups[kind], c.HandshakeNs)
	}
	out := map[string]getStats{}
	for k, v := range groups {
		slices.Sort(v)
		out[k] = getStats{Count: len(v), MinNs: v[0], MedianNs: getMedian(v), MaxNs: v[len(v)-1]}
	}
	return out
}

// getMedian is the median of sorted v (the mean of the middle two when
// their number is even).
func getMedian(v []int64) int64 {
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// getMedianSteps is, for the full and the resumed handshakes apart, the
// median of each step over the connections.
func getMedianSteps(conns []*getConnResult) map[bool][getNumSteps]getSpan {
	out := map[bool][getNumSteps]getSpan{}
	for _, resumed := range []bool{false, true} {
		var wall, cpu [getNumSteps][]int64
		for _, c := range conns {
			if c.Resumed != resumed {
				continue
			}
			for s := range getNumSteps {
				wall[s] = append(wall[s], int64(c.steps[s].Wall))
				cpu[s] = append(cpu[s], int64(c.steps[s].CPU))
			}
		}
		if len(wall[0]) == 0 {
			continue
		}
		var m [getNumSteps]getSpan
		for s := range getNumSteps {
			slices.Sort(wall[s])
			slices.Sort(cpu[s])
			m[s] = getSpan{Wall: time.Duration(getMedian(wall[s])), CPU: time.Duration(getMedian(cpu[s]))}
		}
		out[resumed] = m
	}
	return out
}

// getMedianConnect is the median TCP connect time of all connections:
// one round trip each, full or resumed alike.
func getMedianConnect(conns []*getConnResult) time.Duration {
	var v []int64
	for _, c := range conns {
		v = append(v, c.ConnectNs)
	}
	slices.Sort(v)
	return time.Duration(getMedian(v))
}

// getMeaning says in a sentence what a breakdown means: the waits are the
// network plus the server's work (its private-key operation, in a full
// handshake), verification and key exchange the client's own cryptography.
// A TCP connect takes one round trip (rtt, the run's median), so the waits
// less one round trip each estimate the server's work.
func getMeaning(m [getNumSteps]getSpan, resumed bool, rtt time.Duration) string {
	wait := m[getStepFirstFlight].Wall + m[getStepFinished].Wall
	own := m[getStepVerify].Wall + m[getStepSignature].Wall + m[getStepKeyExchange].Wall
	trips, tripsWord := time.Duration(1), "round trip"
	if m[getStepFinished].Wall > 0 {
		trips, tripsWord = 2, "round trips"
	}
	server := "too little to tell apart from the network"
	if s := wait - trips*rtt; s > 0 {
		server = "about " + getMS(s)
	}
	var total, cpu time.Duration
	for s := range getNumSteps {
		total += m[s].Wall
		cpu += m[s].CPU
	}
	if resumed {
		return fmt.Sprintf("Resumed: the network and the server cost %s (%d %s of %s, the median TCP connect; the server's own work %s, with no private-key operation); your own cryptography cost %s: no certificate to verify. Your CPU was busy %s of the %s.",
			getMS(wait), trips, tripsWord, getMS(rtt), server, getMS(own), getMS(cpu), getMS(total))
	}
	return fmt.Sprintf("Full: the server's private-key operation and the network cost %s (%d %s of %s, the median TCP connect; the server's own work %s); your own cryptography cost %s (chain %s, signature %s, key exchange %s). Your CPU was busy %s of the %s.",
		getMS(wait), trips, tripsWord, getMS(rtt), server, getMS(own), getMS(m[getStepVerify].Wall),
		getMS(m[getStepSignature].Wall), getMS(m[getStepKeyExchange].Wall), getMS(cpu), getMS(total))
}

// getMS writes a duration in milliseconds with three decimals, the unit of
// every -n and -timing figure (so that columns line up).
func getMS(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}

// getWriteHeader says what the run will do.
func getWriteHeader(w io.Writer, t *getTarget, o getMeasureOptions) {
	what := fmt.Sprintf("%d connection(s), each a full handshake", o.n)
	if o.resume {
		what = fmt.Sprintf("%d connection(s): one full handshake, then %d offering to resume its session", o.n, o.n-1)
	}
	fmt.Fprintf(w, "GET %s from %s: %s\n", t.u, t.dial, what)
}

// getConnLabel says what kind of handshake a connection made.
func getConnLabel(r *getConnResult) string {
	switch {
	case r.Resumed:
		return "resumed (" + r.ResumedBy + ")"
	case r.Offered != "":
		return "full (" + r.Offered + " refused)"
	}
	return "full"
}

// getWriteConn writes one line for a connection, and with timing its
// steps; what it negotiated only when that differs from the connection
// before (prev, nil for the first).
func getWriteConn(w io.Writer, st cliStyle, r, prev *getConnResult, timing bool) {
	label := fmt.Sprintf("%-25s", getConnLabel(r))
	if r.Resumed {
		label = st.green(label)
	}
	negotiated := r.Version + " " + r.Suite
	if r.Group != "" {
		negotiated += " " + r.Group
	}
	if prev != nil && prev.Version == r.Version && prev.Suite == r.Suite && (prev.Group == r.Group || r.Resumed) {
		negotiated = ""
	}
	line := fmt.Sprintf("#%-3d %s connect %s  handshake %s  cpu %s  %s  %d B  %s", r.Index, label,
		getMS(time.Duration(r.ConnectNs)), getMS(time.Duration(r.HandshakeNs)), getMS(time.Duration(r.HandshakeCPUNs)),
		r.Status, r.BodyBytes, negotiated)
	fmt.Fprintln(w, strings.TrimRight(line, " "))
	if !timing {
		return
	}
	var parts []string
	for s := range getNumSteps {
		if r.steps[s].Wall > 0 && s != getStepConnect {
			parts = append(parts, fmt.Sprintf("%s %.3f", getSteps[s].id, float64(r.steps[s].Wall)/float64(time.Millisecond)))
		}
	}
	fmt.Fprintf(w, "     %s\n", st.dim(strings.Join(parts, ", ")+" (ms)"))
}

// getWriteSummary writes min/median/max of the handshake times and, with
// -timing, the median breakdown of the full and the resumed handshakes.
func getWriteSummary(w io.Writer, st cliStyle, rep *getReport) {
	fmt.Fprintln(w)
	for _, k := range []string{"all", "full", "resumed"} {
		s, ok := rep.Handshake[k]
		if !ok || (k != "all" && s.Count == rep.Handshake["all"].Count) {
			continue
		}
		fmt.Fprintf(w, "handshake, %-8s %3d  min %s  median %s  max %s\n", k+":", s.Count,
			getMS(time.Duration(s.MinNs)), getMS(time.Duration(s.MedianNs)), getMS(time.Duration(s.MaxNs)))
	}
	if rep.medians == nil {
		return
	}
	for _, resumed := range []bool{false, true} {
		m, ok := rep.medians[resumed]
		if !ok {
			continue
		}
		kind := "full handshakes"
		if resumed {
			kind = "resumed handshakes"
		}
		fmt.Fprintf(w, "\n%s\n", st.bold("Where the time went, median of the "+kind+" (measured on the client)"))
		fmt.Fprintf(w, "      %-34s %12s %12s\n", "", "wall", "client CPU")
		var total getSpan
		for s := range getNumSteps {
			total.Wall += m[s].Wall
			total.CPU += m[s].CPU
			fmt.Fprintf(w, "      %-34s %12s %12s\n", getSteps[s].label, getMS(m[s].Wall), getMS(m[s].CPU))
		}
		fmt.Fprintf(w, "      %-34s %12s %12s\n", "total (sum of the medians)", getMS(total.Wall), getMS(total.CPU))
		for _, l := range cliWrapWords(getMeaning(m, resumed, rep.rtt), 96) {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	if !getHaveCPUClock {
		fmt.Fprintln(w, "  (no per-thread CPU clock on this system: the CPU column is elapsed time)")
	}
}
