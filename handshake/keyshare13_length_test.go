package handshake

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"minitls/record"
)

// TestX25519MLKEM768ShareLength: an X25519MLKEM768 key share has one
// length: the client's is the ML-KEM-768 encapsulation key and an X25519
// public value (1184+32 = 1216 bytes), the server's the ML-KEM-768
// ciphertext and an X25519 public value (1088+32 = 1120 bytes). A share one
// byte short or long is refused with illegal_parameter by the side that
// reads it, before any decapsulation, and the error names both lengths.
//
// spec: draft-ietf-tls-ecdhe-mlkem-03#3 (the shares' layout and sizes),
// rfc8446#4.2.8 ("...MUST abort the handshake with an "illegal_parameter"
// alert" for a share that does not fit its group)
func TestX25519MLKEM768ShareLength(t *testing.T) {
	resize := func(b []byte, delta int) []byte {
		if delta < 0 {
			return b[:len(b)+delta]
		}
		return append(b, make([]byte, delta)...)
	}
	for _, delta := range []int{-1, 1} {
		t.Run(fmt.Sprintf("server share %+d byte", delta), func(t *testing.T) {
			ccfg, scfg := configs13(t)
			ccfg.CurvePreferences = []CurveID{CurveX25519MLKEM768}
			scfg.testHookFlight = flightHook(0, editMsg[*ServerHello](t, 0, func(m *ServerHello) {
				data, _ := m.extension(ExtKeyShare)
				var ks KeyShareServerHello
				if err := ks.Unmarshal(data); err != nil || ks.Share.Group != CurveX25519MLKEM768 || len(ks.Share.KeyExchange) != 1120 {
					t.Errorf("server key_share %v, %d bytes (%v); want X25519MLKEM768, 1120 bytes", ks.Share.Group, len(ks.Share.KeyExchange), err)
				}
				ks.Share.KeyExchange = resize(ks.Share.KeyExchange, delta)
				e, _ := NewExtension(ExtKeyShare, &ks)
				m.Extensions = setExt(m.Extensions, e)
			}))
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, true, record.IllegalParameter)
			want := fmt.Sprintf("X25519MLKEM768 server share is %d bytes, want 1120", 1120+delta)
			if !errors.Is(r.clientErr, ErrInvalidPublicKey) || !strings.Contains(r.clientErr.Error(), want) {
				t.Errorf("client error %q, want ErrInvalidPublicKey saying %q", r.clientErr, want)
			}
		})
		t.Run(fmt.Sprintf("client share %+d byte", delta), func(t *testing.T) {
			ccfg, scfg := configs13(t)
			ccfg.CurvePreferences = []CurveID{CurveX25519MLKEM768}
			ccfg.testHookFlight = flightHook(0, editMsg[*ClientHello](t, 0, func(m *ClientHello) {
				data, _ := m.extension(ExtKeyShare)
				var ks KeyShareClientHello
				if err := ks.Unmarshal(data); err != nil || len(ks.Shares) != 1 || ks.Shares[0].Group != CurveX25519MLKEM768 || len(ks.Shares[0].KeyExchange) != 1216 {
					t.Errorf("client key_share %+v (%v); want one X25519MLKEM768 share of 1216 bytes", ks.Shares, err)
					return
				}
				ks.Shares[0].KeyExchange = resize(ks.Shares[0].KeyExchange, delta)
				e, _ := NewExtension(ExtKeyShare, &ks)
				m.Extensions = setExt(m.Extensions, e)
			}))
			r := runPair(t, ccfg, scfg, 0, 0)
			checkAlert(t, r, false, record.IllegalParameter)
			want := fmt.Sprintf("X25519MLKEM768 client share is %d bytes, want 1216", 1216+delta)
			if !errors.Is(r.serverErr, ErrInvalidPublicKey) || !strings.Contains(r.serverErr.Error(), want) {
				t.Errorf("server error %q, want ErrInvalidPublicKey saying %q", r.serverErr, want)
			}
		})
	}
}
