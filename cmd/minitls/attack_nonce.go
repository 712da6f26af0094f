package main

// minitls attack nonce-reuse: the "forbidden attack" on AES-GCM (Joux
// 2006; Böck et al., "Nonce-Disrespecting Adversaries", WOOT 2016, found
// it live on HTTPS servers).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"minitls/cipher/aes"
	"minitls/cmd/minitls/internal/attack"
	"minitls/record"
)

func init() {
	registerLesson(attackLesson{
		name:    "nonce-reuse",
		summary: "a repeated GCM nonce: recover H, forge a record",
		order:   2,
		run:     nonceRun,
	})
}

// nonceMessages are what the sender sends: requests whose first one the
// attacker can guess (a known plaintext).
var nonceMessages = []string{
	`POST /pay {"to":"alice","eur":10}`,
	`POST /pay {"to":"bob","eur":25}`,
	`POST /pay {"to":"carol","eur":7}`,
}

// nonceForged is what the attacker makes the receiver accept.
const nonceForged = `POST /pay {"to":"eve","eur":9999}`

func nonceRun(args []string, stdout, stderr io.Writer) error {
	var f attackFlags
	set := newAttackFlagSet("nonce-reuse", "[-seed N] [-trace]",
		"A sender whose explicit GCM nonce never changes sends three records under\n"+
			"one key. From them the attacker recovers GHASH's key H (the roots of a\n"+
			"polynomial over GF(2^128)) and forges a fourth record that minitls's real\n"+
			"receiver accepts. Then minitls's real sender sends the same three records:\n"+
			"its nonces are the sequence numbers, never repeated, and the attack finds\n"+
			"nothing.", stderr, &f, true)
	if err := parseAttackFlags(set, args, &f); err != nil {
		return err
	}
	_, err := nonceLesson(newAttackPrinter(stdout), &f)
	return err
}

// nonceOutcome is what the lesson measured, for the tests.
type nonceOutcome struct {
	h             []byte // the true hash key E_K(0^128)
	recoveredH    []byte // from the weakened sender's records
	forged        []byte // the forged record as sent
	accepted      []byte // what the real receiver read from it
	realNonces    [][]byte
	realErr       error // RecoverH on the real sender's records
	realForgeErr  error // the real receiver on a forgery attempt
	weakNonces    [][]byte
	weakRecovered int // candidates for H
}

// nonceKeys is one direction's keys: AES-128 key and 4-byte salt.
type nonceKeys struct{ key, salt []byte }

func (k nonceKeys) protection() (*record.Protection, error) {
	aead, err := wireNewAEAD(k.key)
	if err != nil {
		return nil, err
	}
	return record.NewProtection(aead, k.salt)
}

// nonceWeakSender is the weakened endpoint: it seals TLS 1.2 AES-GCM
// records exactly as rfc5288#3 says, except that its explicit nonce is
// drawn once, when the keys are set, and then reused for every record
// (the bug Böck et al. found in the wild). Its sequence numbers, additional
// data and framing are right.
func nonceWeakSender(k nonceKeys, nonce []byte, msgs []string) ([]byte, error) {
	aead, err := wireNewAEAD(k.key)
	if err != nil {
		return nil, err
	}
	out := []byte{byte(record.ChangeCipherSpec), 3, 3, 0, 1, 1}
	for seq, m := range msgs {
		header := []byte{byte(record.ApplicationData), 3, 3, 0, 0}
		binary.BigEndian.PutUint16(header[3:], uint16(record.ExplicitNonceLen+len(m)+aead.Overhead()))
		full := append(bytes.Clone(k.salt), nonce...) // THE WEAKNESS: the same nonce every time
		out = append(out, header...)
		out = append(out, nonce...)
		out = aead.Seal(out, full, []byte(m), wireAD(uint64(seq), header, len(m)))
	}
	return out, nil
}

// nonceRealSender sends msgs through minitls's real record layer.
func nonceRealSender(k nonceKeys, msgs []string) ([]byte, error) {
	var wire bytes.Buffer
	rc := record.NewConn(struct {
		io.Reader
		io.Writer
	}{bytes.NewReader(nil), &wire})
	p, err := k.protection()
	if err != nil {
		return nil, err
	}
	rc.SetPendingWrite(p)
	if err := rc.WriteChangeCipherSpec(); err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if _, err := rc.WriteApplicationData([]byte(m)); err != nil {
			return nil, err
		}
	}
	return wire.Bytes(), nil
}

// nonceReceive feeds wire to minitls's real receiver and returns every
// application-data message it accepted, and the error that stopped it
// (nil at a clean end of the bytes).
func nonceReceive(k nonceKeys, wire []byte) ([]string, error) {
	rc := record.NewConn(struct {
		io.Reader
		io.Writer
	}{bytes.NewReader(wire), io.Discard})
	p, err := k.protection()
	if err != nil {
		return nil, err
	}
	rc.SetPendingRead(p)
	if err := rc.ReadChangeCipherSpec(); err != nil {
		return nil, err
	}
	var got []string
	buf := make([]byte, 1<<14)
	for {
		n, err := rc.ReadApplicationData(buf)
		if n > 0 {
			got = append(got, string(buf[:n]))
		}
		if errors.Is(err, record.ErrTruncated) {
			return got, nil // the end of our bytes, not an attack here
		}
		if err != nil {
			return got, err
		}
	}
}

// nonceSealed returns the records of a stream as the attacker sees them,
// with the additional data it can rebuild (the sequence number is the
// count of records since ChangeCipherSpec), and their explicit nonces.
func nonceSealed(wire []byte) (recs []attack.Sealed, nonces [][]byte) {
	_, prot := wireSplit(wireRecords(wire))
	for seq, r := range prot {
		frag := r.fragment
		if len(frag) < record.ExplicitNonceLen+16 {
			continue
		}
		ct := frag[record.ExplicitNonceLen : len(frag)-16]
		recs = append(recs, attack.Sealed{AAD: wireAD(uint64(seq), r.header, len(ct)), Ciphertext: ct, Tag: frag[len(frag)-16:]})
		nonces = append(nonces, frag[:record.ExplicitNonceLen])
	}
	return recs, nonces
}

// nonceForge builds record number seq carrying msg, reusing the keystream
// and mask of the first record: its plaintext is known (guessed), so
// ciphertext XOR plaintext is the keystream for that nonce.
func nonceForge(h attack.Elem, recs []attack.Sealed, known string, nonce []byte, seq uint64, msg string) []byte {
	keystream := make([]byte, len(recs[0].Ciphertext))
	for i := range keystream {
		keystream[i] = recs[0].Ciphertext[i] ^ known[i]
	}
	ct := make([]byte, len(msg))
	for i := range ct {
		ct[i] = msg[i] ^ keystream[i]
	}
	header := []byte{byte(record.ApplicationData), 3, 3, 0, 0}
	binary.BigEndian.PutUint16(header[3:], uint16(record.ExplicitNonceLen+len(ct)+16))
	ad := wireAD(seq, header, len(ct))
	tag := attack.Forge(h, attack.Mask(h, recs[0]), ad, ct)
	out := append(header, nonce...)
	out = append(out, ct...)
	return append(out, tag...)
}

// nonceLesson runs the lesson, printing to p.
func nonceLesson(p *attackPrinter, f *attackFlags) (*nonceOutcome, error) {
	out := &nonceOutcome{}
	p.title("minitls attack nonce-reuse: the forbidden attack on AES-GCM")
	p.para(0, "A GCM tag is GHASH_H(additional data, ciphertext) + E_K(nonce || 1): a polynomial in the secret hash key H, masked by a value that depends on the nonce. With a fresh nonce per record the mask hides H perfectly. Reuse one, and two tags minus each other cancel the mask.")
	keyBytes := make([]byte, 16+4+8)
	_, err := io.ReadFull(f.rand(0), keyBytes)
	if err != nil {
		return nil, err
	}
	k := nonceKeys{key: keyBytes[:16], salt: keyBytes[16:20]}
	stuck := keyBytes[20:28]
	if out.h, err = nonceHashKey(k.key); err != nil {
		return nil, err
	}

	p.heading("Step 1  A weakened sender repeats its nonce")
	p.para(2, "The weakness, and only it: the sender draws its 8-byte explicit nonce once, when the keys are set, and sends it with every record. Keys, salt, sequence numbers and additional data are right, and the receiver is minitls's real record layer, which takes the explicit nonce from each record as RFC 5288 says (a receiver cannot know which nonces the sender used before).")
	weak, err := nonceWeakSender(k, stuck, nonceMessages)
	if err != nil {
		return nil, err
	}
	recs, nonces := nonceSealed(weak)
	out.weakNonces = nonces
	for i, r := range recs {
		p.kv(fmt.Sprintf("record %d", i), fmt.Sprintf("nonce_explicit %x, %d bytes of ciphertext, tag %x", nonces[i], len(r.Ciphertext), r.Tag))
		if f.trace {
			p.kvHex("  ciphertext", r.Ciphertext, 0, plain)
			p.kvHex("  additional data", r.AAD, 0, plain)
		}
	}
	x := make([]byte, min(len(recs[0].Ciphertext), len(recs[1].Ciphertext)))
	for i := range x {
		x[i] = recs[0].Ciphertext[i] ^ recs[1].Ciphertext[i]
	}
	p.kvHex("c0 XOR c1", x, 0, p.st.yellow)
	px := make([]byte, len(x))
	for i := range px {
		px[i] = nonceMessages[0][i] ^ nonceMessages[1][i]
	}
	p.check(bytes.Equal(x, px), "= p0 XOR p1", "the keystream cancelled out")
	p.para(2, "Same key, same nonce: the same keystream, so that XOR is the XOR of the two plaintexts, and knowing (or guessing) one plaintext reveals the other. That is the first loss. The second is worse.")

	p.heading("Step 2  Recover the hash key H")
	p.para(2, "For records i and j under one nonce, tag_i + tag_j = GHASH_i(H) + GHASH_j(H): H is a root of a known polynomial over GF(2^128) of degree (blocks + 1). Its roots come from gcd(f, x^(2^128) - x), split by random trace maps (Cantor–Zassenhaus); the third record keeps only the root that fits both pairs.")
	poly := attack.GHASHPoly(recs[0].AAD, recs[0].Ciphertext).Add(attack.GHASHPoly(recs[1].AAD, recs[1].Ciphertext))
	p.kv("polynomial", fmt.Sprintf("degree %d, from records 0 and 1", poly.Add(attack.Poly{attack.LoadElem(recs[0].Tag).Add(attack.LoadElem(recs[1].Tag))}).Degree()))
	start := time.Now()
	cands, err := attack.RecoverH(recs, f.rand(1))
	took := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("recovering H from the weakened sender's records: %w", err)
	}
	out.weakRecovered = len(cands)
	out.recoveredH = cands[0].Bytes()
	p.kvHex("H", out.recoveredH, 0, p.st.yellow)
	p.check(bytes.Equal(out.recoveredH, out.h), "H", fmt.Sprintf("= E_K(0^128), the receiver's real hash key; %d candidate(s) left, found in %s", len(cands), cliDuration(took)))

	p.heading("Step 3  Forge a record")
	p.para(2, fmt.Sprintf("The attacker guesses record 0's plaintext (%q), so it knows that nonce's keystream; with H and the mask S = tag_0 + GHASH_0(H) it computes a valid tag for any ciphertext. It appends record 3 to the stream:", nonceMessages[0]))
	out.forged = nonceForge(cands[0], recs, nonceMessages[0], stuck, uint64(len(recs)), nonceForged)
	p.kvHex("forged record", out.forged, 0, p.st.yellow)
	got, err := nonceReceive(k, append(bytes.Clone(weak), out.forged...))
	if err == nil && len(got) == len(recs)+1 {
		out.accepted = []byte(got[len(recs)])
	}
	verdict := "accepted it as authentic and delivered:"
	if err != nil {
		verdict = fmt.Sprintf("refused it: %v", err)
	}
	p.check(out.accepted != nil && string(out.accepted) == nonceForged, "real receiver", verdict)
	if out.accepted != nil {
		p.line(attackLabelCol, p.st.yellow(fmt.Sprintf("%q", out.accepted)))
	}

	p.heading("Step 4  The same against minitls's real sender")
	p.para(2, "minitls's record layer uses the record's sequence number as its explicit nonce (as RFC 5288 §3 suggests): a counter, so no two records under one key share a nonce, and it refuses to send once the counter would wrap (ErrSeqExhausted after 2^64-1 records), rather than start over.")
	real, err := nonceRealSender(k, nonceMessages)
	if err != nil {
		return nil, err
	}
	realRecs, realNonces := nonceSealed(real)
	out.realNonces = realNonces
	for i := range realRecs {
		p.kv(fmt.Sprintf("record %d", i), fmt.Sprintf("nonce_explicit %x", realNonces[i]))
	}
	_, out.realErr = attack.RecoverH(realRecs, f.rand(2))
	p.check(false, "recover H", fmt.Sprintf("%v: each tag has its own mask E_K(salt || seq || 1), so tag_i + tag_j is no longer a polynomial in H alone", out.realErr))
	guess := attack.LoadElem(realRecs[0].Tag) // any guess: without H the forger picks blindly
	try := nonceForge(guess, realRecs, nonceMessages[0], realNonces[0], uint64(len(realRecs)), nonceForged)
	_, out.realForgeErr = nonceReceive(k, append(bytes.Clone(real), try...))
	p.check(false, "forgery", fmt.Sprintf("a record built the same way with a guessed H: %v", out.realForgeErr))

	p.heading("The lesson")
	p.para(2, "A nonce repeated once under a GCM key gives away confidentiality (the XOR of the plaintexts) and integrity: H lets the attacker forge records for as long as the key lives, with no further help. The only defence is the sender's: never repeat a nonce. TLS 1.3 takes the choice away (the nonce is the sequence number XORed into a secret IV, never sent), and minitls's TLS 1.2 records do the same with their counter.")
	return out, nil
}

// nonceHashKey returns the receiver's real GHASH key H = E_K(0^128)
// (sp800-38d#7.1 step 1), to check the attacker's answer against.
func nonceHashKey(key []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	h := make([]byte, 16)
	block.Encrypt(h, h)
	return h, nil
}
