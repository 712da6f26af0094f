package handshake_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"

	"minitls/handshake"
	"minitls/x509lite"
)

// A client: verify the server against a CA file and fetch a page.
func ExampleDial() {
	roots := x509lite.NewCertPool()
	caPEM, err := os.ReadFile("testdata/ca.pem")
	if err != nil {
		log.Fatal(err)
	}
	roots.AppendCertsFromPEM(caPEM)
	conn, err := handshake.Dial("tcp", "localhost:8443", &handshake.Config{RootCAs: roots})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	st := conn.ConnectionState()
	fmt.Printf("%v, extended master secret %v\n", handshake.CipherSuite(st.CipherSuite), st.ExtendedMasterSecret)
	io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n")
	io.Copy(os.Stdout, conn)
}

// A server: net/http over a minitls listener.
func ExampleNewListener() {
	cert, err := handshake.LoadX509KeyPair("testdata/server.pem", "testdata/server-key.pem")
	if err != nil {
		log.Fatal(err)
	}
	l, err := handshake.Listen("tcp", "127.0.0.1:8443", &handshake.Config{Certificates: []handshake.Certificate{cert}})
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello over TLS 1.2")
	})))
}

// The trace hook explains every byte; this prints each handshake message
// with its fields.
func ExampleConfig_trace() {
	cfg := &handshake.Config{ServerName: "localhost", Trace: func(e handshake.Event) {
		if e.Kind != handshake.EventMessage {
			return
		}
		dir := "received"
		if e.Sent {
			dir = "sent"
		}
		fmt.Printf("%s %v (%d bytes)\n", dir, e.Message.Type(), len(e.Bytes))
		for _, f := range e.Fields {
			fmt.Printf("  %4d +%-4d %-30s %s\n", f.Offset, f.Length, f.Name, f.Value)
		}
	}}
	_ = cfg // pass to handshake.Dial or handshake.Client
}
