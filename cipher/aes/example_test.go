package aes_test

import (
	"encoding/hex"
	"fmt"

	"minitls/cipher/aes"
)

// Encrypting the example of FIPS 197 Appendix C.1 with a 128-bit key.
func ExampleNewCipher() {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	plaintext, _ := hex.DecodeString("00112233445566778899aabbccddeeff")

	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	ciphertext := make([]byte, aes.BlockSize)
	block.Encrypt(ciphertext, plaintext)
	fmt.Printf("%x\n", ciphertext)

	_, err = aes.NewCipher(key[:7])
	fmt.Println(err)
	// Output:
	// 69c4e0d86a7b0430d8cdb78070b4c55a
	// minitls/cipher/aes: invalid key size 7 bytes (want 16, 24 or 32)
}

// EncryptBlocks is what a CTR mode calls: here four counter blocks
// encrypted in one bitsliced pass.
func ExampleCipher_EncryptBlocks() {
	key := make([]byte, 16)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	counters := make([]byte, 4*aes.BlockSize)
	for i := 0; i < 4; i++ {
		counters[16*i+15] = byte(i + 1) // counter blocks 1, 2, 3, 4
	}
	keystream := make([]byte, len(counters))
	block.(*aes.Cipher).EncryptBlocks(keystream, counters)
	// The first block equals E(K, J0) of test case 1 of the GCM specification
	// (all-zero key, J0 = 0^96 || 1), whose tag it is.
	fmt.Printf("%x\n", keystream[:16])
	// Output:
	// 58e2fccefa7e3061367f1d57a4e7455a
}
