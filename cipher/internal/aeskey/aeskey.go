// Package aeskey holds an AES key schedule in the form the CPU's AES
// instructions read it. minitls/cipher/aes expands it (NewCipher) and
// minitls/cipher/gcm's fused assembly encrypts with it; the type lives here so
// that neither package has to export key material in its public API.
package aeskey

import "minitls/internal/impl"

// MaxRounds is Nr for AES-256, the largest key size (fips197#5, Figure 4).
const MaxRounds = 14

// Schedule is an expanded AES key for one of the hardware paths.
//
// spec: fips197#5.2
type Schedule struct {
	// Rounds is Nr: 10, 12 or 14 for 128-, 192- and 256-bit keys.
	Rounds int
	// Enc holds round keys 0..Nr of the cipher (fips197#5.1): round key r
	// is w[4r..4r+3] (fips197#5.2) as 16 bytes at Enc[16r:16r+16], each word
	// most significant byte first, which is the order AESENC reads.
	Enc [16 * (MaxRounds + 1)]byte
	// Dec holds the round keys of the equivalent inverse cipher
	// (fips197#5.3.5) in the order AESDEC uses them: Dec[0:16] is Enc's
	// round Nr, Dec[16r:16r+16] for 0 < r < Nr is InvMixColumns of Enc's
	// round Nr-r, and Dec[16Nr:] is Enc's round 0.
	Dec [16 * (MaxRounds + 1)]byte
	// Path is the hardware path the schedule was made for (never
	// impl.Portable).
	Path impl.Path
}
