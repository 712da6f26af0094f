//go:build amd64 && !purego

package gcm

import "minitls/cipher/internal/aeskey"

// newAESNI returns GCM on AES-NI + PCLMULQDQ for the schedule, or nil while
// that path's assembly is not written (the portable GCM runs instead).
func newAESNI(ks *aeskey.Schedule) hwPath { return nil }
