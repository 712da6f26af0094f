//go:build !amd64 || purego

package aes

// This build has no AES assembly: impl.Current() is always impl.Portable,
// NewCipher never sets c.hw, and these are never called.

func (c *Cipher) encryptHW(dst, src []byte) {
	panic("minitls/cipher/aes: no hardware path in this build")
}
func (c *Cipher) decryptHW(dst, src []byte) {
	panic("minitls/cipher/aes: no hardware path in this build")
}
func (c *Cipher) encryptBlocksHW(dst, src []byte) {
	panic("minitls/cipher/aes: no hardware path in this build")
}
