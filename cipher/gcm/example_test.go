package gcm_test

import (
	"bytes"
	"fmt"

	"minitls/cipher/aes"
	"minitls/cipher/gcm"
)

// Seal and Open one short message with AES-128-GCM. The key and nonce are
// fixed here only so the output is reproducible; a real nonce must never
// repeat under one key (TLS 1.2 uses a 4-byte salt plus the record sequence
// number, RFC 5288 §3). The sealed bytes are what crypto/cipher's GCM gives
// for the same inputs.
func ExampleNew() {
	key := bytes.Repeat([]byte{0x42}, 16)
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	aead, err := gcm.New(block)
	if err != nil {
		panic(err)
	}
	nonce := make([]byte, aead.NonceSize())
	header := []byte("record header")

	sealed := aead.Seal(nil, nonce, []byte("hello, GCM"), header)
	fmt.Printf("%d bytes: %x\n", len(sealed), sealed)

	opened, err := aead.Open(nil, nonce, sealed, header)
	fmt.Printf("%q %v\n", opened, err)

	sealed[0] ^= 1 // any change is detected
	_, err = aead.Open(nil, nonce, sealed, header)
	fmt.Println(err)
	// Output:
	// 26 bytes: 9472a5ce96d98ed21dc0ebac3fac0b4cbfa86c15a798979880e1
	// "hello, GCM" <nil>
	// minitls/cipher/gcm: message authentication failed
}
