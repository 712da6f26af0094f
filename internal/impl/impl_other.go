//go:build !amd64 || purego

package impl

// detect returns only the portable path: there is no assembly for this
// architecture, or the purego build tag asked for none.
func detect() []Path { return []Path{Portable} }
