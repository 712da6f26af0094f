//go:build linux

package handshake

import (
	"syscall"
	"time"
)

// threadCPUTime returns the user+system CPU time of the calling OS thread
// (getrusage RUSAGE_THREAD), or false if it cannot be read. The caller
// locks its goroutine to the thread first.
func threadCPUTime() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD, Linux only
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
