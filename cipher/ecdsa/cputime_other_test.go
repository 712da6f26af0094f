//go:build !unix

package ecdsa

import "time"

// processCPUTime is unavailable here: the cpu-ns/op metric is not reported.
func processCPUTime() (time.Duration, bool) { return 0, false }
