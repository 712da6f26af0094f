package handshake

import (
	"testing"
	"time"

	"minitls/cipher/chacha20poly1305"
	"minitls/cipher/gcm"
	"minitls/internal/impl"
)

// TestRecordAndTicketAEADsUseFastestPath: the AEAD every suite protects
// records with, and the one session tickets are sealed with, run on the
// fastest AES-GCM path this CPU and build have (issue 15: the handshake and
// the record layer use the hardware path end to end, not the portable code);
// a ChaCha20-Poly1305 suite's on cipher/chacha20poly1305's fastest path.
func TestRecordAndTicketAEADsUseFastestPath(t *testing.T) {
	want := impl.Best()
	chachaPaths := chacha20poly1305.Implementations()
	for _, s := range suites {
		aead, err := s.newAEAD(make([]byte, s.keyLen))
		if err != nil {
			t.Fatalf("%v: newAEAD: %v", s.id, err)
		}
		if s.chacha {
			// ChaCha20-Poly1305 has paths of its own (issue 22).
			if got, best := chacha20poly1305.ImplementationOf(aead), chachaPaths[len(chachaPaths)-1]; got != best {
				t.Errorf("%v: record AEAD runs on %q, want %q", s.id, got, best)
			}
			continue
		}
		if got := gcm.PathOf(aead); got != want {
			t.Errorf("%v: record AEAD runs on %v, want %v", s.id, got, want)
		}
	}
	k, err := newTicketKey(NewDeterministicRand(1), time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := gcm.PathOf(k.aead); got != want {
		t.Errorf("session ticket AEAD runs on %v, want %v", got, want)
	}
}
