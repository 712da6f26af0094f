package rsa_test

import (
	"fmt"
	"math/big"

	"minitls/cipher/rsa"
)

// ModExp runs the same constant-time fixed-window exponentiation that RSA
// private keys use; here 4^13 mod 497 (the classic textbook example).
func ExampleModExp() {
	r, err := rsa.ModExp([]byte{4}, []byte{13}, []byte{0x01, 0xf1})
	if err != nil {
		panic(err)
	}
	fmt.Println(new(big.Int).SetBytes(r))
	// Output: 445
}

// An even modulus cannot be used with Montgomery arithmetic.
func ExampleModMul_evenModulus() {
	_, err := rsa.ModMul([]byte{3}, []byte{5}, []byte{10})
	fmt.Println(err)
	// Output: minitls/cipher/rsa: modulus must be odd and greater than 1
}
