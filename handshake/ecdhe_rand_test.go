package handshake

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// scalarDraws is a Config.Rand whose first bad draws of size bytes are all
// 0xff, a value above the group order of P-256 and P-384 (so not a valid
// private scalar), and whose bytes after that are all 0x01 (valid).
type scalarDraws struct{ bad, size, served int }

func (r *scalarDraws) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0x01
		if r.served < r.bad*r.size {
			p[i] = 0xff
		}
		r.served++
	}
	return len(p), nil
}

// TestGenerateNISTRedraws: a private scalar that crypto/ecdh refuses (here
// one above the order n) is drawn again, up to 65 times in a row; a
// Config.Rand that gives 66 invalid draws in a row is ErrConfig naming the
// curve, instead of a loop that never ends. A handshake whose Config.Rand
// only ever gives 0xff bytes ends the same way.
//
// spec: fips186-5#A.4.2 (rejection sampling: "If c > n-2, then go to step 4")
func TestGenerateNISTRedraws(t *testing.T) {
	for _, curve := range []CurveID{CurveP256, CurveP384} {
		_, size := nistCurve(curve)
		for _, bad := range []int{0, 1, 64, 65, 66, 200} {
			t.Run(fmt.Sprintf("%v/%d invalid", curve, bad), func(t *testing.T) {
				r := &scalarDraws{bad: bad, size: size}
				priv, err := generateNIST(r, curve)
				if bad > 65 {
					if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), curve.String()) {
						t.Fatalf("got %v, want ErrConfig naming %v", err, curve)
					}
					if r.served != 66*size {
						t.Errorf("read %d bytes, want 66 draws of %d", r.served, size)
					}
					return
				}
				if err != nil {
					t.Fatalf("after %d invalid draws: %v", bad, err)
				}
				if want := bytes.Repeat([]byte{1}, size); !bytes.Equal(priv.Bytes(), want) {
					t.Errorf("scalar %x, want the first valid draw %x", priv.Bytes(), want)
				}
			})
		}
	}
	t.Run("handshake", func(t *testing.T) {
		ccfg, scfg := configs13(t)
		ccfg.CurvePreferences = []CurveID{CurveP256}
		ccfg.Rand = bytes.NewReader(bytes.Repeat([]byte{0xff}, 1<<20))
		r := runPair(t, ccfg, scfg, 0, 0)
		if !errors.Is(r.clientErr, ErrConfig) || r.serverErr == nil {
			t.Fatalf("client: %v (want ErrConfig)\nserver: %v (want an error)", r.clientErr, r.serverErr)
		}
	})
}
