//go:build amd64 && !purego

package gcm

import (
	"minitls/cipher/internal/aeskey"
	"minitls/internal/impl"
)

// newPath returns the assembly for the schedule's hardware path, or nil when
// there is none yet (the portable GCM then runs over the hardware AES).
func newPath(ks *aeskey.Schedule) hwPath {
	switch ks.Path {
	case impl.AESNI:
		return newAESNI(ks)
	case impl.VAES512:
		return newVAES512(ks)
	}
	return nil
}
