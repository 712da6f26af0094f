//go:build !amd64 || purego

package rsa

// detectPaths: without amd64 assembly (another GOARCH, or the purego build
// tag) only the portable Go code exists.
func detectPaths() []path { return []path{pathPortable} }

// montMulAsm never applies here; montMul runs montMulGeneric.
func montMulAsm(m *modulus, out, a, b, t nat) bool { return false }

// montSqrAsm never applies here; montSqr runs montSqrGeneric.
func montSqrAsm(m *modulus, out, a, t nat) bool { return false }
