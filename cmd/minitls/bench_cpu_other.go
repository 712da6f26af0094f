//go:build !linux

package main

import "time"

// benchServerCPUMethod names how benchThreadCPU measures (see benchReport).
// Without a portable per-thread CPU clock in the standard library, other
// systems count the server's elapsed time instead: an upper bound on its CPU
// time, which includes the moments it waits for the client.
const benchServerCPUMethod = "wall"

// benchHaveThreadCPU: benchThreadCPU is not a CPU clock here.
const benchHaveThreadCPU = false

var benchEpoch = time.Now()

// benchThreadCPU returns the time since the program started (see
// benchServerCPUMethod).
func benchThreadCPU() time.Duration { return time.Since(benchEpoch) }
