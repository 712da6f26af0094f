//go:build linux

package main

import (
	"syscall"
	"time"
	"unsafe"
)

// getCPUClock names how getProcessCPU measures (get -json's cpu_clock).
const getCPUClock = "CLOCK_PROCESS_CPUTIME_ID"

// getHaveCPUClock: getProcessCPU is a CPU clock here.
const getHaveCPUClock = true

// getClockProcessCPUTime is Linux's CLOCK_PROCESS_CPUTIME_ID, which the
// syscall package does not name.
const getClockProcessCPUTime = 2

// getProcessCPU returns the CPU time, user plus system, that the process
// has used so far: all its threads, the runtime's included. While get
// measures a connection nothing else runs in it, so a difference of two
// readings is the client's CPU for what happened between them. (A
// per-thread clock would need the goroutine locked to its thread, which
// makes every blocking read hand the thread off and back, and so slows the
// very handshake it measures.)
func getProcessCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, getClockProcessCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
