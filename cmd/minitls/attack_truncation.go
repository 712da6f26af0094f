package main

// minitls attack truncation: cutting a response short (the truncation
// attack of rfc5246#7.2.1; Smyth and Pironti, "Truncating TLS Connections to
// Violate Beliefs in Web Applications", WOOT 2013).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"minitls/handshake"
	"minitls/record"
)

func init() {
	registerLesson(attackLesson{
		name:    "truncation",
		summary: "an on-path attacker cuts a response; only close_notify tells",
		order:   3,
		run:     truncRun,
	})
}

// truncLines is the server's response, one record per line; its meaning
// changes if the last line is cut.
var truncLines = []string{
	"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n",
	"order 2026-0042: 1 x laptop, 1,899.00 EUR\n",
	"payment: card 4929 ... 9012 charged\n",
	"status: CANCELLED at your request; the charge has been refunded\n",
}

// truncSuites keeps the lesson on TLS 1.2, where record types are visible.
var truncSuites = []uint16{uint16(handshake.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)}

// truncKeep is how many of truncLines reach the client (their records).
const truncKeep = 3 // every line of truncLines but the last

func truncRun(args []string, stdout, stderr io.Writer) error {
	var f attackFlags
	set := newAttackFlagSet("truncation", "[-seed N] [-trace]",
		"A server sends a response whose body ends when the connection ends (HTTP/1.0,\n"+
			"no Content-Length), one line per record. An attacker on the path forwards\n"+
			"the records but closes the TCP connection before the last one. A client\n"+
			"that treats the TCP close as the end of the data believes the cut response;\n"+
			"minitls's client sees that close_notify never came and reports a\n"+
			"truncation.", stderr, &f, true)
	if err := parseAttackFlags(set, args, &f); err != nil {
		return err
	}
	_, err := truncLesson(newAttackPrinter(stdout), &f)
	return err
}

// truncOutcome is what the lesson observed, for the tests.
type truncOutcome struct {
	weakBody, realBody []byte
	weakErr, realErr   error
	full               string // what the server sent
}

// truncServer answers one connection as a real minitls server: reads the
// request, writes each line (one record each), then close_notify.
func truncServer(ln net.Listener, cfg *handshake.Config) {
	for {
		raw, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			conn := handshake.Server(raw, cfg)
			defer conn.Close() // sends close_notify
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
				return
			}
			for _, l := range truncLines {
				if _, err := io.WriteString(conn, l); err != nil {
					return
				}
			}
		}()
	}
}

// truncProxy is the on-path attacker: it relays the client's bytes, and
// the server's records until truncKeep application-data records have
// passed; then it closes the client's TCP connection (a FIN) and drops the
// rest, close_notify included. It reports each record it saw to log.
func truncProxy(client net.Conn, serverAddr string, log func(typ record.ContentType, n int, passed bool)) {
	defer client.Close()
	server, err := net.Dial("tcp", serverAddr)
	if err != nil {
		return
	}
	defer server.Close()
	go io.Copy(server, client)
	r := bufio.NewReader(server)
	app := 0
	for {
		header := make([]byte, record.HeaderLen)
		if _, err := io.ReadFull(r, header); err != nil {
			break
		}
		body := make([]byte, int(header[3])<<8|int(header[4]))
		if _, err := io.ReadFull(r, body); err != nil {
			break
		}
		typ := record.ContentType(header[0])
		if typ == record.ApplicationData {
			app++
		}
		if app > truncKeep || (typ == record.Alert && app >= truncKeep) {
			log(typ, len(body), false)
			continue // read on so every dropped record is reported, but send nothing
		}
		log(typ, len(body), true)
		if _, err := client.Write(append(header, body...)); err != nil {
			return
		}
		if app == truncKeep {
			if tc, ok := client.(*net.TCPConn); ok {
				tc.CloseWrite() // the FIN: the client's read ends here
			}
		}
	}
	// Wait for the client to close its side, so that closing ours cannot
	// turn into a reset that discards data the client has not read yet.
	client.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, client)
}

// truncWeakRead is THE WEAKNESS: a reader that treats the transport's end
// as the end of the data, whether or not close_notify came (what many HTTP
// clients did: Smyth and Pironti found it in browsers in 2013).
func truncWeakRead(conn *handshake.Conn) ([]byte, error) {
	b, err := io.ReadAll(conn)
	if errors.Is(err, record.ErrTruncated) {
		err = nil // "the connection closed: that must be the end"
	}
	return b, err
}

// truncFetch connects through an attacker proxy, sends a request and reads
// the response with read.
func truncFetch(f *attackFlags, seed uint64, srvAddr string, p *attackPrinter, read func(*handshake.Conn) ([]byte, error)) ([]byte, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	var mu sync.Mutex
	var seen []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		truncProxy(c, srvAddr, func(typ record.ContentType, n int, passed bool) {
			mu.Lock()
			defer mu.Unlock()
			verdict := "forwarded"
			if !passed {
				verdict = p.st.red("DROPPED")
			}
			seen = append(seen, fmt.Sprintf("%-18s %5d bytes  %s", typ, n, verdict))
		})
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, err
	}
	raw.SetDeadline(time.Now().Add(10 * time.Second))
	conn := handshake.Client(raw, &handshake.Config{ServerName: "localhost", InsecureSkipVerify: true,
		CipherSuites: truncSuites, Rand: f.rand(seed), Time: func() time.Time { return attackEpoch }})
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /order/2026-0042 HTTP/1.0\r\n\r\n"); err != nil {
		return nil, err
	}
	body, rerr := read(conn)
	conn.Close()
	raw.Close()
	<-done
	if f.trace {
		mu.Lock()
		p.line(6, "server → client records, as the attacker handled them:")
		for _, s := range seen {
			p.line(8, s)
		}
		mu.Unlock()
	}
	return body, rerr
}

// truncLesson runs the lesson, printing to p.
func truncLesson(p *attackPrinter, f *attackFlags) (*truncOutcome, error) {
	out := &truncOutcome{full: strings.Join(truncLines, "")}
	p.title("minitls attack truncation: cutting a response short")
	p.para(0, "TCP's end of stream is not authenticated: anyone on the path can send a FIN (or a RST) and stop the bytes. TLS records are authenticated one by one, so the attacker cannot change a record, but it can stop delivering them. That is why TLS ends a connection with close_notify, an authenticated alert: data without it may be incomplete (rfc5246#7.2.1).")
	srv, err := newAttackServer(f.rand(0), 2048)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	cfg := srv.config(f.rand(1), false)
	cfg.CipherSuites = truncSuites // TLS 1.2: no TLS 1.3 suite, so TLS 1.3 is off
	go truncServer(ln, cfg)
	p.heading("The server's response, one record per line, then close_notify")
	for _, l := range truncLines[1:] {
		p.line(6, fmt.Sprintf("%q", l))
	}
	p.para(2, fmt.Sprintf("The attacker relays the handshake and the first %d application-data records, then closes the client's side of the TCP connection and drops the rest: the last line and the close_notify alert. The connection is TLS 1.2, whose record headers show each record's type; under TLS 1.3 every record says application_data, and the attacker counts them just the same.", truncKeep))

	p.heading("Step 1  A client that takes the TCP close as the end")
	p.para(2, "The weakness, and only it: when the connection ends without close_notify, this client treats it as a normal end of data. It uses minitls's real TLS client and only reinterprets its record.ErrTruncated as io.EOF.")
	out.weakBody, out.weakErr = truncFetch(f, 2, ln.Addr().String(), p, truncWeakRead)
	p.check(out.weakErr == nil, "client believes", "the response is complete:")
	for _, l := range strings.SplitAfter(string(out.weakBody), "\n") {
		if l != "" && !strings.HasPrefix(l, "HTTP/") && !strings.HasPrefix(l, "Content-Type") && l != "\r\n" {
			p.line(attackLabelCol, p.st.yellow(fmt.Sprintf("%q", l)))
		}
	}
	p.para(2, "The order looks paid and standing; the cancellation never arrived, and nothing in the bytes received says so.")

	p.heading("Step 2  minitls's client, same attack")
	out.realBody, out.realErr = truncFetch(f, 3, ln.Addr().String(), p, func(c *handshake.Conn) ([]byte, error) { return io.ReadAll(c) })
	p.check(false, "client reports", fmt.Sprintf("%d bytes, then: %v", len(out.realBody), out.realErr))
	p.para(2, "minitls's Read returns io.EOF only after the peer's close_notify; a bare TCP close is record.ErrTruncated, so the application knows the data may be cut. (HTTP with Content-Length or chunked encoding also catches this particular cut; a body that ends with the connection, as here, has only close_notify to rely on.)")

	p.heading("The lesson")
	p.para(2, "Authenticating every record is not enough: the end of the data must be authenticated too. TLS 1.2 and 1.3 both require close_notify before closing (rfc8446#6.1), and a client that ignores its absence accepts whatever prefix an attacker chooses to deliver.")
	return out, nil
}
