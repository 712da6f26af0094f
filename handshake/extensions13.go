package handshake

// The extensions TLS 1.3 negotiates with. Their bodies differ by message
// (a client's key_share is a list, a server's one entry, a
// HelloRetryRequest's a group), so parseExtensions keeps them opaque and the
// TLS 1.3 state machines parse them with the types below, knowing which
// message they came in.
//
// spec: rfc8446#4.2

// KeyShareEntry is one key share: a group and the sender's public value in
// it (for X25519 32 bytes, for P-256 an uncompressed point of 65 bytes, for
// X25519MLKEM768 an ML-KEM-768 encapsulation key or ciphertext followed by
// an X25519 public value).
//
//	struct {
//	    NamedGroup group;
//	    opaque key_exchange<1..2^16-1>;
//	} KeyShareEntry;
//
// spec: rfc8446#4.2.8
type KeyShareEntry struct {
	Group       CurveID
	KeyExchange []byte
}

func (e *KeyShareEntry) parse(r *reader) {
	e.Group = CurveID(r.u16("group"))
	r.note(e.Group)
	e.KeyExchange = r.opaque(2, 1, 1<<16-1, "key_exchange")
}

func (e *KeyShareEntry) marshal(b *builder) {
	b.u16(uint16(e.Group))
	b.opaque(2, 1, 1<<16-1, "key_exchange", e.KeyExchange)
}

// KeyShareClientHello is the client's key_share: one share per group it
// guesses the server will pick, in preference order, each group at most
// once (a duplicate is illegal_parameter).
//
//	struct {
//	    KeyShareEntry client_shares<0..2^16-1>;
//	} KeyShareClientHello;
//
// spec: rfc8446#4.2.8
type KeyShareClientHello struct {
	Shares []KeyShareEntry
}

// Unmarshal parses the extension body.
func (k *KeyShareClientHello) Unmarshal(data []byte) error {
	*k = KeyShareClientHello{}
	r := newReader(data, "key_share")
	list := r.vector(2, 0, 1<<16-1, "client_shares")
	seen := map[CurveID]bool{}
	for !list.empty() && !list.failed() {
		var e KeyShareEntry
		e.parse(list)
		if seen[e.Group] && !list.failed() {
			// spec: rfc8446#4.2.8 "Clients MUST NOT offer multiple
			// KeyShareEntry values for the same group."
			r.failErr(&ParseError{What: "key_share", Reason: "two shares for group " + e.Group.String(), Illegal: true})
		}
		seen[e.Group] = true
		k.Shares = append(k.Shares, e)
	}
	return r.finish("key_share")
}

// Marshal returns the extension body.
func (k *KeyShareClientHello) Marshal() ([]byte, error) {
	var b builder
	b.vector(2, 0, 1<<16-1, "client_shares", func(b *builder) {
		for i := range k.Shares {
			k.Shares[i].marshal(b)
		}
	})
	return b.result()
}

// KeyShareServerHello is the server's key_share in a ServerHello: its share
// in the group it chose among the client's shares.
//
//	struct {
//	    KeyShareEntry server_share;
//	} KeyShareServerHello;
//
// spec: rfc8446#4.2.8
type KeyShareServerHello struct {
	Share KeyShareEntry
}

// Unmarshal parses the extension body.
func (k *KeyShareServerHello) Unmarshal(data []byte) error {
	*k = KeyShareServerHello{}
	r := newReader(data, "key_share")
	k.Share.parse(r)
	return r.finish("key_share")
}

// Marshal returns the extension body.
func (k *KeyShareServerHello) Marshal() ([]byte, error) {
	var b builder
	k.Share.marshal(&b)
	return b.result()
}

// KeyShareHelloRetryRequest is the key_share of a HelloRetryRequest: the
// group the server wants a share in.
//
//	struct {
//	    NamedGroup selected_group;
//	} KeyShareHelloRetryRequest;
//
// spec: rfc8446#4.2.8
type KeyShareHelloRetryRequest struct {
	SelectedGroup CurveID
}

// Unmarshal parses the extension body.
func (k *KeyShareHelloRetryRequest) Unmarshal(data []byte) error {
	r := newReader(data, "key_share")
	k.SelectedGroup = CurveID(r.u16("selected_group"))
	return r.finish("key_share")
}

// Marshal returns the extension body.
func (k *KeyShareHelloRetryRequest) Marshal() ([]byte, error) {
	var b builder
	b.u16(uint16(k.SelectedGroup))
	return b.result()
}

// SelectedVersion is the body of supported_versions in a ServerHello or
// HelloRetryRequest: the one version the server chose.
//
//	struct { ProtocolVersion selected_version; } (server_hello case)
//
// spec: rfc8446#4.2.1
type SelectedVersion struct {
	Version ProtocolVersion
}

// Unmarshal parses the extension body.
func (v *SelectedVersion) Unmarshal(data []byte) error {
	r := newReader(data, "supported_versions")
	v.Version = ProtocolVersion(r.u16("selected_version"))
	return r.finish("supported_versions")
}

// Marshal returns the extension body.
func (v *SelectedVersion) Marshal() ([]byte, error) {
	var b builder
	b.u16(uint16(v.Version))
	return b.result()
}

// PSK key exchange modes. minitls offers and accepts only psk_dhe_ke: a
// resumed handshake still runs (EC)DHE, so it keeps forward secrecy.
//
// spec: rfc8446#4.2.9
const (
	pskModeKE    uint8 = 0 // psk_ke: PSK only, no forward secrecy
	pskModeDHEKE uint8 = 1 // psk_dhe_ke
)

// PSKKeyExchangeModes is the client's psk_key_exchange_modes.
//
//	enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
//	struct {
//	    PskKeyExchangeMode ke_modes<1..255>;
//	} PskKeyExchangeModes;
//
// spec: rfc8446#4.2.9
type PSKKeyExchangeModes struct {
	Modes []uint8
}

// Unmarshal parses the extension body.
func (p *PSKKeyExchangeModes) Unmarshal(data []byte) error {
	r := newReader(data, "psk_key_exchange_modes")
	p.Modes = r.opaque(1, 1, 255, "ke_modes")
	return r.finish("psk_key_exchange_modes")
}

// Marshal returns the extension body.
func (p *PSKKeyExchangeModes) Marshal() ([]byte, error) {
	var b builder
	b.opaque(1, 1, 255, "ke_modes", p.Modes)
	return b.result()
}

// Cookie is the body of the cookie extension: opaque data a server puts in
// a HelloRetryRequest and the client echoes in its second ClientHello.
//
//	struct {
//	    opaque cookie<1..2^16-1>;
//	} Cookie;
//
// spec: rfc8446#4.2.2
type Cookie struct {
	Cookie []byte
}

// Unmarshal parses the extension body.
func (c *Cookie) Unmarshal(data []byte) error {
	r := newReader(data, "cookie")
	c.Cookie = r.opaque(2, 1, 1<<16-1, "cookie")
	return r.finish("cookie")
}

// Marshal returns the extension body.
func (c *Cookie) Marshal() ([]byte, error) {
	var b builder
	b.opaque(2, 1, 1<<16-1, "cookie", c.Cookie)
	return b.result()
}

// PSKIdentity is one offered pre-shared key: for a resumption, a ticket and
// its obfuscated age.
//
//	struct {
//	    opaque identity<1..2^16-1>;
//	    uint32 obfuscated_ticket_age;
//	} PskIdentity;
//
// spec: rfc8446#4.2.11
type PSKIdentity struct {
	Identity            []byte
	ObfuscatedTicketAge uint32
}

// OfferedPSKs is the client's pre_shared_key extension, which must be the
// last extension of the ClientHello; each binder is an HMAC over the
// ClientHello up to the binders (see pskBinder).
//
//	opaque PskBinderEntry<32..255>;
//	struct {
//	    PskIdentity identities<7..2^16-1>;
//	    PskBinderEntry binders<33..2^16-1>;
//	} OfferedPsks;
//
// spec: rfc8446#4.2.11
type OfferedPSKs struct {
	Identities []PSKIdentity
	Binders    [][]byte
}

// Unmarshal parses the extension body; the two lists must be as long as
// each other (else illegal_parameter).
func (o *OfferedPSKs) Unmarshal(data []byte) error {
	*o = OfferedPSKs{}
	r := newReader(data, "pre_shared_key")
	ids := r.vector(2, 7, 1<<16-1, "identities")
	for !ids.empty() && !ids.failed() {
		id := ids.opaque(2, 1, 1<<16-1, "identity")
		age := ids.u32("obfuscated_ticket_age")
		o.Identities = append(o.Identities, PSKIdentity{Identity: id, ObfuscatedTicketAge: age})
	}
	binders := r.vector(2, 33, 1<<16-1, "binders")
	for !binders.empty() && !binders.failed() {
		o.Binders = append(o.Binders, binders.opaque(1, 32, 255, "binder"))
	}
	if err := r.finish("pre_shared_key"); err != nil {
		return err
	}
	if len(o.Binders) != len(o.Identities) {
		return &ParseError{What: "pre_shared_key", Reason: "not one binder per identity", Illegal: true}
	}
	return nil
}

// Marshal returns the extension body.
func (o *OfferedPSKs) Marshal() ([]byte, error) {
	var b builder
	b.vector(2, 7, 1<<16-1, "identities", func(b *builder) {
		for _, id := range o.Identities {
			b.opaque(2, 1, 1<<16-1, "identity", id.Identity)
			b.u32(id.ObfuscatedTicketAge)
		}
	})
	b.vector(2, 33, 1<<16-1, "binders", func(b *builder) {
		for _, bd := range o.Binders {
			b.opaque(1, 32, 255, "binder", bd)
		}
	})
	return b.result()
}

// bindersLen is the length of the binders vector of o as marshalled: the
// part of the ClientHello the binders do not cover.
func (o *OfferedPSKs) bindersLen() int {
	n := 2
	for _, bd := range o.Binders {
		n += 1 + len(bd)
	}
	return n
}

// SelectedIdentity is the server's pre_shared_key: the index of the PSK it
// accepted.
//
//	struct { uint16 selected_identity; } (server_hello case)
//
// spec: rfc8446#4.2.11
type SelectedIdentity struct {
	Index uint16
}

// Unmarshal parses the extension body.
func (s *SelectedIdentity) Unmarshal(data []byte) error {
	r := newReader(data, "pre_shared_key")
	s.Index = r.u16("selected_identity")
	return r.finish("pre_shared_key")
}

// Marshal returns the extension body.
func (s *SelectedIdentity) Marshal() ([]byte, error) {
	var b builder
	b.u16(s.Index)
	return b.result()
}

// extension returns the body of the extension of type t, if present.
func (m *ServerHello) extension(t ExtensionType) ([]byte, bool) {
	return findExtension(m.Extensions, t)
}
