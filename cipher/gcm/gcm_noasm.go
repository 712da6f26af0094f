//go:build !amd64 || purego

package gcm

import "minitls/cipher/internal/aeskey"

// newPath returns nil: this build has no GCM assembly.
func newPath(*aeskey.Schedule) hwPath { return nil }
