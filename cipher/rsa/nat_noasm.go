//go:build !amd64 || purego

package rsa

// detectPaths: without amd64 assembly (another GOARCH, or the purego build
// tag) only the portable Go code exists.
func detectPaths() []path { return []path{pathPortable} }

// montMulAsm never applies here; montMul runs montMulGeneric.
func montMulAsm(m *modulus, out, a, b, t nat) bool { return false }

// montSqrAsm never applies here; montSqr runs montSqrGeneric.
func montSqrAsm(m *modulus, out, a, t nat) bool { return false }

// initAsm has nothing to prepare without assembly.
func initAsm(m *modulus) {}

// expAsm never applies here; exp runs in Go.
func expAsm(m *modulus, x nat, e []byte) nat { return nil }

// expPairAsm never applies here; expPair runs two exps.
func expPairAsm(m *modulus, x nat, e []byte, m2 *modulus, x2 nat, e2 []byte) (nat, nat) {
	return nil, nil
}

// expPublicAsm never applies here; expPublic runs in Go.
func expPublicAsm(m *modulus, x nat, e uint) nat { return nil }
