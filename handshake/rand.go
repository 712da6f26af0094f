package handshake

import (
	"crypto/sha256"
	"encoding/binary"
	"io"
	"sync"
)

// NewDeterministicRand returns a reproducible stream of pseudo-random bytes
// derived from seed (SHA-256 of seed and a block counter), for Config.Rand
// in tests, golden transcripts and `minitls demo -seed N`: with the same
// seed, the same Config.Time and the same peer, a handshake's bytes are
// identical run to run.
//
// It is NOT a secure random source: anyone who knows the seed knows every
// key. Never use it for a connection that protects real data. It is safe
// for concurrent use (one Config serves many connections), but then which
// connection gets which bytes depends on scheduling.
//
// spec: rfc5246#7.4.1.2 (Random), rfc4086#3 (what real randomness needs)
func NewDeterministicRand(seed uint64) io.Reader {
	return &deterministicRand{seed: seed}
}

type deterministicRand struct {
	mu      sync.Mutex
	seed    uint64
	counter uint64
	buf     []byte
}

// Read fills p from the SHA-256 counter stream; it never fails.
func (r *deterministicRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			var in [16]byte
			binary.BigEndian.PutUint64(in[:8], r.seed)
			binary.BigEndian.PutUint64(in[8:], r.counter)
			r.counter++
			sum := sha256.Sum256(in[:])
			r.buf = sum[:]
		}
		c := copy(p[n:], r.buf)
		r.buf = r.buf[c:]
		n += c
	}
	return n, nil
}
