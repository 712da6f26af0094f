//go:build !linux

package main

import "time"

// getCPUClock names how getProcessCPU measures: here, not at all.
const getCPUClock = "wall"

// getHaveCPUClock: getProcessCPU is not a CPU clock here.
const getHaveCPUClock = false

var getEpoch = time.Now()

// getProcessCPU returns the time since the program started: without a
// process CPU clock, the CPU columns show elapsed time.
func getProcessCPU() time.Duration { return time.Since(getEpoch) }
