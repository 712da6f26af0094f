package main

// The page `minitls serve` shows a visitor: their own handshake, drawn as a
// message-sequence diagram (inline SVG: the real messages in order, their
// sizes and timings, which were encrypted), the version and why, the key
// exchange named exactly, and what their client offered, grouped and
// annotated (GREASE explained). One self-contained document: no external
// style sheets, scripts, fonts or images, readable on a phone.

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"minitls/handshake"
)

// servePageData is a snapshot of one connection for the page.
type servePageData struct {
	remote  string
	st      handshake.ConnectionState
	flow    []serveFlowMsg
	hello   *handshake.ClientHello
	kx      serveKX
	keyBits int
	rsaTime time.Duration
	hsTime  time.Duration

	clientScheme handshake.SignatureScheme // the scheme of the visitor's CertificateVerify
}

func (in *serveConnInfo) pageData() servePageData {
	st := in.conn.ConnectionState()
	rsaTime, hsTime := in.rsaTime(), in.handshakeTime()
	in.mu.Lock()
	defer in.mu.Unlock()
	return servePageData{remote: in.remote, st: st, flow: append([]serveFlowMsg(nil), in.flow...), hello: in.hello,
		kx: in.kx, keyBits: in.keyBits, rsaTime: rsaTime, hsTime: hsTime, clientScheme: in.clientScheme}
}

// version is the negotiated version: the ServerHello's supported_versions
// under TLS 1.3, else what ConnectionState says.
func (d *servePageData) version() handshake.ProtocolVersion {
	if d.kx.version == serveTLS13 {
		return serveTLS13
	}
	return handshake.ProtocolVersion(d.st.Version)
}

// serveTLS13 is TLS 1.3's version number in supported_versions.
//
// spec: rfc8446#4.2.1
const serveTLS13 handshake.ProtocolVersion = 0x0304

// servePage explains the visitor's own handshake.
func servePage(w http.ResponseWriter, r *http.Request) {
	in, _ := r.Context().Value(serveCtxKey{}).(*serveConnInfo)
	if in == nil {
		http.Error(w, "not a minitls connection", http.StatusInternalServerError)
		return
	}
	d := in.pageData()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, servePageHTML(&d))
}

// servePageHTML renders the whole page.
func servePageHTML(d *servePageData) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<title>minitls: your handshake</title>\n<style>" + serveCSS + "</style></head><body>\n")
	b.WriteString("<h1>Hello from minitls</h1>\n")
	fmt.Fprintf(&b, "<p class=lead>This page came to you over a %s connection handled by minitls, a TLS stack written from scratch for study. Here is your own handshake.</p>\n",
		html.EscapeString(serveVersionName(d.version())))
	b.WriteString("<h2>The messages</h2>\n")
	b.WriteString(serveDiagram(d.flow))
	b.WriteString(serveFlowSummary(d))
	b.WriteString("<h2>What was agreed</h2>\n")
	serveSummaryTable(&b, d)
	serveClientCertificate(&b, d) // serve_clientcert.go: only when the visitor presented one
	b.WriteString("<h2>Why " + html.EscapeString(serveVersionName(d.version())) + "</h2>\n")
	b.WriteString("<p>" + html.EscapeString(serveVersionWhy(d)) + "</p>\n")
	if d.hello != nil {
		b.WriteString("<h2>What your client offered</h2>\n")
		serveOffered(&b, d)
	}
	b.WriteString("<p class=foot>Run <code>minitls demo</code> (and <code>minitls demo -tls13</code>) to see every byte of a handshake like yours. minitls is for study and experiment, not for protecting production traffic.</p>\n")
	b.WriteString("</body></html>\n")
	return b.String()
}

// serveCSS keeps the page readable from a phone to a desktop.
const serveCSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin-top:1.6rem;border-bottom:1px solid #ddd}h3{font-size:1rem;margin:.9rem 0 .2rem}
.lead{font-size:1.05rem}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-word}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .4rem;border-bottom:1px solid #eee}
th{width:34%;font-weight:600}svg.msc{width:100%;max-width:34rem;height:auto;display:block;margin:.5rem auto}
ul.offer{list-style:none;padding:0;margin:.2rem 0 .8rem}ul.offer li{margin:.15rem 0}
.tag{display:inline-block;font-size:.75rem;padding:0 .35rem;border-radius:.6rem;background:#eef;margin-left:.3rem}
.chosen{background:#0a7d32;color:#fff}.grease{background:#f3e6ff}.weak{background:#ffe9d6}
.note{color:#555;font-size:.9rem}.box{background:#f7f7f2;border-left:4px solid #c9b458;padding:.5rem .8rem}
.foot{color:#555;font-size:.9rem;margin-top:2rem}
@media (max-width:560px){th,td{display:block;width:auto;border:0;padding:.1rem 0}tr{display:block;border-bottom:1px solid #eee;padding:.3rem 0}}
`

func serveVersionName(v handshake.ProtocolVersion) string {
	switch v {
	case serveTLS13:
		return "TLS 1.3"
	case handshake.VersionTLS12:
		return "TLS 1.2"
	}
	return v.String()
}

// serveFlowSummary counts round trips, bytes and the server's time.
func serveFlowSummary(d *servePageData) string {
	var fromClient, fromServer int
	for _, m := range d.flow {
		if m.fromClient {
			fromClient += m.size
		} else {
			fromServer += m.size
		}
	}
	rt := serveRoundTrips(d.flow)
	trips := fmt.Sprintf("%d round trips", rt)
	if rt == 1 {
		trips = "1 round trip"
	}
	return fmt.Sprintf("<p class=note>%s before your client could send its request; %d handshake bytes from you, %d from the server. Times are the server's clock, from your ClientHello; the whole handshake took the server %s, waits for the network included.</p>\n",
		trips, fromClient, fromServer, html.EscapeString(cliDuration(d.hsTime)))
}

// serveRoundTrips counts the server's flights up to the one that holds
// its Finished: a client sends its request once it has the server's
// Finished (and has sent its own). 2 for a full TLS 1.2 handshake, 1 for
// TLS 1.3 or a resumed TLS 1.2 one, one more after a HelloRetryRequest.
func serveRoundTrips(flow []serveFlowMsg) int {
	n, inServerFlight := 0, false
	for _, m := range flow {
		if !m.fromClient && !inServerFlight {
			n++
		}
		inServerFlight = !m.fromClient
		if !m.fromClient && m.name == "Finished" {
			return n
		}
	}
	return n
}
