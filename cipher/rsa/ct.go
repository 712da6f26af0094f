package rsa

import "math/bits"

// _W is the width of a limb in bits (64 on 64-bit platforms).
const _W = bits.UintSize

// choice is a constant-time boolean: it is always 0 or 1, and code that
// consumes it turns it into an all-zeros or all-ones mask instead of
// branching on it.
type choice uint

// not returns 1 - c.
func not(c choice) choice { return 1 ^ c }

// ctMask returns all ones if on == 1 and all zeros if on == 0.
func ctMask(on choice) uint { return -uint(on) }

// ctEq returns 1 if x == y and 0 otherwise, without branching.
func ctEq(x, y uint) choice {
	// x^y is zero exactly when x == y. For a non-zero z, either z or -z has
	// its top bit set, so (z | -z) >> (W-1) is 1 for non-zero z and 0 for 0.
	z := x ^ y
	return not(choice((z | -z) >> (_W - 1)))
}
