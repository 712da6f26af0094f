//go:build !linux

package handshake

import "time"

// threadCPUTime is unavailable here: the client-cpu-ns/op metric is not
// reported.
func threadCPUTime() (time.Duration, bool) { return 0, false }
