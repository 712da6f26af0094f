package main

// The ECDSA rows of minitls bench (issue 19): P-256 signing and
// verification, minitls's cipher/ecdsa against crypto/ecdsa on the same key
// and digest, and the lessons that set them beside RSA-2048: what the
// server's private-key operation costs with each kind of certificate, and
// what the client's verification costs.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	mecdsa "minitls/cipher/ecdsa"
	"minitls/x509lite"
)

// benchKindECDSA is the full ECDHE_ECDSA handshake: X25519 signed by the
// server's P-256 key (ecdsa_secp256r1_sha256), beside benchKindECDHE's
// RSA-2048 signature.
var benchKindECDSA = benchHSKind{suite: tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ecdhe: true, ecdsa: true}

// benchIssueECDSALeaf makes the ECDHE_ECDSA rows' server certificate: a
// fresh P-256 key for benchServerName, issued by the bench CA, in both
// libraries' key types.
func benchIssueECDSALeaf(fx *benchFixture, ca *x509lite.Certificate, now time.Time) error {
	k, err := mecdsa.GenerateKey(mecdsa.P256(), rand.Reader)
	if err != nil {
		return err
	}
	if fx.stdECDSAKey, err = ecdsa.ParseRawPrivateKey(elliptic.P256(), k.Bytes()); err != nil {
		return err
	}
	leafT := &x509lite.Certificate{
		SerialNumber: []byte{3}, Subject: x509lite.NewName(x509lite.Attr(x509lite.OIDCommonName, benchServerName)),
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour),
		KeyUsage:    x509lite.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509lite.ExtKeyUsage{x509lite.ExtKeyUsageServerAuth}, DNSNames: []string{benchServerName},
	}
	if fx.ecdsaLeafDER, err = x509lite.CreateCertificateWithKey(rand.Reader, leafT, ca, k.Public(), fx.key3072); err != nil {
		return err
	}
	fx.ecdsaKey = k
	return nil
}

// benchECDSACases appends the ecdsa-p256-sign and ecdsa-p256-verify rows.
func benchECDSACases(cases *[]benchCase) {
	digest := sha256.Sum256([]byte("minitls bench"))
	keys := func() (*mecdsa.PrivateKey, *ecdsa.PrivateKey, error) {
		k, err := mecdsa.GenerateKey(mecdsa.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		std, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), k.Bytes())
		return k, std, err
	}
	*cases = append(*cases,
		benchCase{
			id: "ecdsa-p256-sign", group: "asymmetric", operation: "ECDSA P-256 sign (SHA-256)", unit: benchUnitOps,
			prepare: func() ([2]benchOp, func(), error) {
				k, std, err := keys()
				if err != nil {
					return [2]benchOp{}, nil, err
				}
				return [2]benchOp{
					benchLoopErr(func() error { _, err := mecdsa.SignASN1(rand.Reader, k, digest[:]); return err }),
					benchLoopErr(func() error { _, err := ecdsa.SignASN1(rand.Reader, std, digest[:]); return err }),
				}, benchNoCleanup, nil
			},
		},
		benchCase{
			id: "ecdsa-p256-verify", group: "asymmetric", operation: "ECDSA P-256 verify (SHA-256)", unit: benchUnitOps,
			prepare: func() ([2]benchOp, func(), error) {
				k, std, err := keys()
				if err != nil {
					return [2]benchOp{}, nil, err
				}
				sig, err := mecdsa.SignASN1(rand.Reader, k, digest[:])
				if err != nil {
					return [2]benchOp{}, nil, err
				}
				refused := errors.New("ECDSA signature refused")
				return [2]benchOp{
					benchLoopErr(func() error {
						if !mecdsa.VerifyASN1(&k.PublicKey, digest[:], sig) {
							return refused
						}
						return nil
					}),
					benchLoopErr(func() error {
						if !ecdsa.VerifyASN1(&std.PublicKey, digest[:], sig) {
							return refused
						}
						return nil
					}),
				}, benchNoCleanup, nil
			},
		},
	)
}

// benchComputeECDSALessons compares ECDSA P-256 with RSA-2048 on each side
// of a handshake: the server signs (an RSA-2048 signature against an ECDSA
// one), the client verifies (where RSA, with its small public exponent, is
// the cheaper one).
func benchComputeECDSALessons(rep *benchReport) {
	rsaSign, rsaVerify := rep.row("rsa-2048-sign"), rep.row("rsa-2048-verify")
	ecSign, ecVerify := rep.row("ecdsa-p256-sign"), rep.row("ecdsa-p256-verify")
	if rsaSign == nil || rsaVerify == nil || ecSign == nil || ecVerify == nil {
		return
	}
	m, s := rsaSign.Minitls.NsPerOp/ecSign.Minitls.NsPerOp, rsaSign.Stdlib.NsPerOp/ecSign.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "rsa-sign-over-ecdsa-sign", Unit: "x", From: []string{rsaSign.ID, ecSign.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("The server's private-key operation: an RSA-2048 signature costs %s, an ECDSA P-256 one %s, %s× as much (minitls); stdlib: %s vs %s, %s×. A full handshake saves only that difference: its key exchange and record keys cost the same with either certificate (the ECDHE-ECDSA rows).",
			benchDur(rsaSign.Minitls.NsPerOp), benchDur(ecSign.Minitls.NsPerOp), benchNum(m),
			benchDur(rsaSign.Stdlib.NsPerOp), benchDur(ecSign.Stdlib.NsPerOp), benchNum(s)),
	})
	m, s = ecVerify.Minitls.NsPerOp/rsaVerify.Minitls.NsPerOp, ecVerify.Stdlib.NsPerOp/rsaVerify.Stdlib.NsPerOp
	rep.Lessons = append(rep.Lessons, benchLesson{
		ID: "ecdsa-verify-over-rsa-verify", Unit: "x", From: []string{ecVerify.ID, rsaVerify.ID}, Minitls: m, Stdlib: s,
		Text: fmt.Sprintf("The client's verification goes the other way: ECDSA P-256 verify costs %s against %s for RSA-2048 (public exponent 65537), %s× (minitls); stdlib: %s vs %s, %s×.",
			benchDur(ecVerify.Minitls.NsPerOp), benchDur(rsaVerify.Minitls.NsPerOp), benchNum(m),
			benchDur(ecVerify.Stdlib.NsPerOp), benchDur(rsaVerify.Stdlib.NsPerOp), benchNum(s)),
	})
}
