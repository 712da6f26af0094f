//go:build linux

package main

import (
	"syscall"
	"time"
	"unsafe"
)

// benchServerCPUMethod names how benchThreadCPU measures (see benchReport).
const benchServerCPUMethod = "CLOCK_THREAD_CPUTIME_ID"

// benchHaveThreadCPU: benchThreadCPU is a per-thread CPU clock here.
const benchHaveThreadCPU = true

// benchClockThreadCPUTime is Linux's CLOCK_THREAD_CPUTIME_ID, which the
// syscall package does not name.
const benchClockThreadCPUTime = 3

// benchThreadCPU returns the CPU time, user plus system, that the calling OS
// thread has used so far. It means something only in a goroutine locked to
// its thread (runtime.LockOSThread), as a benchServer's is.
//
// It asks clock_gettime(CLOCK_THREAD_CPUTIME_ID), not
// getrusage(RUSAGE_THREAD): the kernel brings a running thread's time up to
// date for the former, but the latter leaves out what ran since the last
// scheduler tick, up to a few milliseconds, which made short operations look
// several times cheaper than they are.
func benchThreadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, benchClockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
