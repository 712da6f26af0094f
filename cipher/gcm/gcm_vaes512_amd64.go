//go:build amd64 && !purego

package gcm

import "minitls/cipher/internal/aeskey"

// newVAES512 returns GCM on VAES + VPCLMULQDQ (AVX-512) for the schedule, or
// nil while that path's assembly is not written (the portable GCM runs
// instead).
func newVAES512(ks *aeskey.Schedule) hwPath { return nil }
