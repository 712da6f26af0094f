package handshake

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"minitls/record"
)

// lockedBuffer is a bytes.Buffer safe for the key log writer and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFinishedSplitAcrossRecords (STYLE §4): the server's protected Finished
// arrives cut into three GCM records. A proxy that knows the keys (from the
// key log, like Wireshark) decrypts every protected server record and
// re-seals it, the Finished as three records, renumbering the sequence. The
// client must reassemble the message and verify it, then read data sealed
// after it.
func TestFinishedSplitAcrossRecords(t *testing.T) {
	ccfg, scfg := baseConfigs(t)
	suite := suiteByID(TLS_RSA_WITH_AES_128_GCM_SHA256)
	ccfg.CipherSuites = []uint16{uint16(suite.id)}
	keylog := &lockedBuffer{}
	scfg.KeyLogWriter = keylog

	cc, proxyClientSide := tcpPair(t)
	proxyServerSide, sc := tcpPair(t)
	go io.Copy(proxyServerSide, proxyClientSide) // client → server untouched
	proxyErr := make(chan error, 1)
	var records int
	go func() {
		proxyErr <- func() error {
			rd := record.NewReader(proxyServerSide)
			var serverRandom []byte
			var prot *record.Protection
			var inSeq, outSeq uint64
			for {
				h, rec, err := rd.Next()
				if err != nil {
					return err
				}
				if prot == nil {
					if serverRandom == nil && h.Type == record.Handshake {
						serverRandom = append([]byte{}, rec[5+4+2:5+4+2+32]...)
					}
					if _, err := proxyClientSide.Write(rec); err != nil {
						return err
					}
					if h.Type == record.ChangeCipherSpec {
						// The server's keys: from the key log line.
						f := strings.Fields(keylog.String())
						clientRandom, _ := hex.DecodeString(f[1])
						master, _ := hex.DecodeString(f[2])
						kb := KeyExpansion(suite.prf, master, clientRandom, serverRandom, suite.keyLen, suite.ivLen)
						aead, err := suite.newAEAD(kb.ServerKey)
						if err != nil {
							return err
						}
						if prot, err = record.NewProtection(aead, kb.ServerIV); err != nil {
							return err
						}
						rd.SetProtected(true)
					}
					continue
				}
				plain, err := prot.Open(nil, inSeq, h.Type, h.Version, rec[record.HeaderLen:])
				if err != nil {
					return err
				}
				inSeq++
				pieces := [][]byte{plain}
				if inSeq == 1 { // the Finished
					pieces = [][]byte{plain[:5], plain[5:11], plain[11:]}
				}
				for _, p := range pieces {
					sealed := prot.Seal(nil, outSeq, h.Type, h.Version, p)
					outSeq++
					records++
					out := record.Header{Type: h.Type, Version: h.Version, Length: len(sealed)}.Append(nil)
					if _, err := proxyClientSide.Write(append(out, sealed...)); err != nil {
						return err
					}
				}
			}
		}()
	}()

	client, server := Client(cc, ccfg), Server(sc, scfg)
	errc := make(chan error, 1)
	go func() { errc <- server.Handshake() }()
	if err := client.Handshake(); err != nil {
		t.Fatalf("client: %v (server %v)", err, <-errc)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	go server.Write([]byte("sealed after the split Finished"))
	buf := make([]byte, 31)
	if _, err := io.ReadFull(client, buf); err != nil || string(buf) != "sealed after the split Finished" {
		t.Fatalf("read %q, %v", buf, err)
	}
	server.Close()
	if _, err := client.Read(buf); err != io.EOF {
		t.Fatalf("after close_notify: %v", err)
	}
	cc.Close()
	sc.Close()
	if err := <-proxyErr; err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		var oe *net.OpError
		if !errors.As(err, &oe) {
			t.Errorf("proxy: %v", err)
		}
	}
	if records < 5 {
		t.Errorf("proxy re-sealed %d records, want the 3-piece Finished, data and close_notify", records)
	}
}
